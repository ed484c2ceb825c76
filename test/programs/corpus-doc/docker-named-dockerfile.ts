// Weakness: the context holds a clean `Dockerfile`, but the image is built from `release.Dockerfile`
// (build.dockerfile), which sets GOSUMDB=off.
// Source: https://www.pulumi.com/registry/packages/docker/api-docs/image/ (build.dockerfile: path of the Dockerfile to use)
// Expected: refused in prod; the violation sits on "svc-named-file" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-named-file", {
  imageName: "registry.corp.example/team/svc:1.4.2",
  build: {
    context: path.join(__dirname, "docker-named-dockerfile"),
    dockerfile: path.join(__dirname, "docker-named-dockerfile", "release.Dockerfile"),
    platform: "linux/amd64",
  },
  skipPush: true,
});
