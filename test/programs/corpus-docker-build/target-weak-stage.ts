// Weakness: `target` names the first stage "dev", whose ENV ends GOTOOLCHAIN=auto GOSUMDB=off; the
// last stage is clean, but BuildKit builds the target stage and the image is that stage.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/#target ; https://docs.docker.com/build/building/multi-stage/#stop-at-a-specific-build-stage
// Expected: refused in prod; the violation sits on "svc-target-dev" and names GOSUMDB and off.
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-target-dev", {
  context: { location: __dirname },
  dockerfile: {
    inline: [
      "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818 AS dev",
      "ENV GOPROXY=http://athens.goproxy.svc.cluster.local \\",
      "    GOSUMDB=\"sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org\" \\",
      "    GOTOOLCHAIN=local GOFLAGS=\"-mod=readonly -trimpath\" CGO_ENABLED=0",
      "ENV GOTOOLCHAIN=auto GOSUMDB=off",
      "",
      "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818 AS prod",
      "ENV GOPROXY=http://athens.goproxy.svc.cluster.local \\",
      "    GOSUMDB=\"sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org\" \\",
      "    GOTOOLCHAIN=local GOFLAGS=\"-mod=readonly -trimpath\" CGO_ENABLED=0",
      "RUN go version",
      "",
    ].join("\n"),
  },
  target: "dev",
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
