// Weakness: a docker-build Image whose Dockerfile is given inline (dockerfile.inline, "equivalent to
// invoking Docker with -f -") and builds FROM golang:1.26.7-bookworm by tag only.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (Inline Dockerfile example; dockerfile.inline) ; https://docs.docker.com/reference/dockerfile/#from
// Expected: refused in prod; the violation sits on "svc-inline" and names the image and "not pinned by digest".
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-inline", {
  context: { location: __dirname },
  dockerfile: {
    inline: ["FROM golang:1.26.7-bookworm", "ENV GOTOOLCHAIN=local", "RUN go version", ""].join("\n"),
  },
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
