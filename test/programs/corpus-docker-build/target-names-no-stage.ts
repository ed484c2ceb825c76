// Weakness: `target` names "release", which no stage of the Dockerfile is: the build fails, and the
// pack cannot say which stage the image would be.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/#target ; https://docs.docker.com/build/building/multi-stage/#stop-at-a-specific-build-stage
// Expected: refused in prod; the violation sits on "svc-target-missing" and names the target.
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-target-missing", {
  context: { location: __dirname },
  dockerfile: {
    inline: [
      "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818 AS build",
      "ENV GOPROXY=http://athens.goproxy.svc.cluster.local \\",
      "    GOSUMDB=\"sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org\" \\",
      "    GOTOOLCHAIN=local GOFLAGS=\"-mod=readonly -trimpath\" CGO_ENABLED=0",
      "RUN go version",
      "",
    ].join("\n"),
  },
  target: "release",
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
