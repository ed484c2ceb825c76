// Weakness: buildArgs ("ARG names and values to set during the build", Docker's --build-arg)
// override the Dockerfile's ARG GOSUMDB default with "off"; the ARG is then environment for RUN.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (Build arguments example; buildArgs) ; https://docs.docker.com/reference/dockerfile/#arg
// Expected: refused in prod; the violation sits on "svc-buildargs" and names GOSUMDB and off.
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-buildargs", {
  context: { location: __dirname },
  dockerfile: {
    inline: [
      "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818",
      "ARG GOSUMDB=sum.golang.org",
      "RUN go mod download",
      "",
    ].join("\n"),
  },
  buildArgs: { GOSUMDB: "off" },
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
