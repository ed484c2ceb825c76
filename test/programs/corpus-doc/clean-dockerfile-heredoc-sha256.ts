// Clean: context-only docker.Image; heredoc download over https with `echo "<sha256> *go.tgz" |
// sha256sum -c -` before tar, digest-pinned bases, the environment settings on continuation lines,
// GOFLAGS="-mod=readonly -trimpath" in quotes, CGO_ENABLED=0.
// Source: https://docs.docker.com/reference/dockerfile/#here-documents ; https://go.dev/doc/install ; https://www.pulumi.com/registry/packages/docker/api-docs/image/ (build.dockerfile defaults to <context>/Dockerfile)
// Expected: clean in prod (no violation at all).
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-builder", {
  imageName: "registry.corp.example/team/svc-builder:1.4.2",
  build: { context: path.join(__dirname, "clean-dockerfile-heredoc-sha256"), platform: "linux/amd64" },
  skipPush: true,
});
