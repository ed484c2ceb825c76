// Clean: only context.location; the provider builds "${context.location}/Dockerfile" (pinned bases,
// no Go download), and buildArgs carry the environment's Go baseline for its ARGs.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (context.location; dockerfile.location default; buildArgs)
// Expected: clean in prod (no violation at all).
import * as path from "path";
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-context-ok", {
  context: { location: path.join(__dirname, "clean-context-default") },
  buildArgs: { GOPROXY: "http://athens.goproxy.svc.cluster.local", GOSUMDB: "sum.golang.org", GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -trimpath" },
  platforms: [dockerbuild.Platform.Linux_amd64, dockerbuild.Platform.Linux_arm64],
  push: false,
});
