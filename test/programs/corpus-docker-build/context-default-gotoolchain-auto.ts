// Weakness: only context.location is given; the provider then builds "${context.location}/Dockerfile"
// (the documented default when the context is on disk), which sets GOTOOLCHAIN=auto.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (dockerfile.location: Defaults to "${context.location}/Dockerfile" if context is on-disk) ; https://go.dev/doc/toolchain
// Expected: refused in prod; the violation sits on "svc-auto" and names GOTOOLCHAIN and auto.
import * as path from "path";
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-auto", {
  context: { location: path.join(__dirname, "context-default-gotoolchain-auto") },
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
