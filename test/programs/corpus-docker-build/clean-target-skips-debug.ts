// Clean: `target` names the clean first stage "prod"; the last stage "debug" (ENV GOSUMDB=off) is not
// needed by it, and BuildKit does not build a stage the target does not depend on.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/#target ; https://docs.docker.com/build/building/multi-stage/#stop-at-a-specific-build-stage ; https://docs.docker.com/build/buildkit/ (skips unused stages)
// Expected: clean in prod (no violation at all).
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-target-prod", {
  context: { location: __dirname },
  dockerfile: {
    inline: [
      "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818 AS prod",
      "ENV GOPROXY=http://athens.goproxy.svc.cluster.local \\",
      "    GOSUMDB=\"sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org\" \\",
      "    GOTOOLCHAIN=local GOFLAGS=\"-mod=readonly -trimpath\" CGO_ENABLED=0",
      "RUN go version",
      "",
      "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818 AS debug",
      "ENV GOPROXY=http://athens.goproxy.svc.cluster.local \\",
      "    GOSUMDB=\"sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org\" \\",
      "    GOTOOLCHAIN=local GOFLAGS=\"-mod=readonly -trimpath\" CGO_ENABLED=0",
      "ENV GOSUMDB=off",
      "RUN go version",
      "",
    ].join("\n"),
  },
  target: "prod",
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
