// Weakness: a base image whose ONBUILD RUN builds with GOSUMDB=off: the trigger runs in every image
// built FROM this one, with the inline setting.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (dockerfile.inline) ; https://docs.docker.com/reference/dockerfile/#onbuild
// Expected: refused in prod; the violation sits on "svc-onbuild" and names ONBUILD, GOSUMDB and off.
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-onbuild", {
  context: { location: __dirname },
  dockerfile: {
    inline: [
      "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818",
      "ENV GOPROXY=http://athens.goproxy.svc.cluster.local \\",
      "    GOSUMDB=\"sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org\" \\",
      "    GOTOOLCHAIN=local GOFLAGS=\"-mod=readonly -trimpath\" CGO_ENABLED=0",
      "ONBUILD COPY . /src",
      "ONBUILD RUN cd /src && GOSUMDB=off go build ./...",
      "",
    ].join("\n"),
  },
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
