// Weakness: an inline Dockerfile sets GOFLAGS=-insecure with ENV (a flag Go removed; it only ever
// skipped TLS and checksum checks).
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (dockerfile.inline) ; https://go.dev/doc/go1.17 ("-insecure" removed from go get) ; https://docs.docker.com/reference/dockerfile/#env
// Expected: refused in prod; the violation sits on "svc-insecure" and names GOFLAGS and -insecure.
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-insecure", {
  context: { location: __dirname },
  dockerfile: {
    inline: [
      "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818",
      "ENV GOFLAGS=-insecure",
      "RUN go build ./...",
      "",
    ].join("\n"),
  },
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
