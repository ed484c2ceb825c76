// Clean: the context also holds `dev.Dockerfile` with GOSUMDB=off, but the image is built from
// `Dockerfile` (the default), which is the clean builder; an unused file in the context builds
// nothing.
// Source: https://www.pulumi.com/registry/packages/docker/api-docs/image/ (build.dockerfile defaults to <context>/Dockerfile)
// Expected: clean in prod (no violation at all).
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-ignores-dev-file", {
  imageName: "registry.corp.example/team/svc-ignores-dev-file:1.4.2",
  build: { context: path.join(__dirname, "clean-dockerfile-unused-file"), platform: "linux/amd64" },
  skipPush: true,
});
