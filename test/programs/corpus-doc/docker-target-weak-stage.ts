// Weakness: the Dockerfile's last stage is the clean release image, but docker.Image builds
// build.target "dev", a stage with GOSUMDB=off.
// Source: https://docs.docker.com/reference/dockerfile/#from (named stages) ; https://www.pulumi.com/registry/packages/docker/api-docs/image/#target (build.target)
// Expected: refused in prod; the violation sits on "svc-dev-target" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-dev-target", {
  imageName: "registry.corp.example/team/svc-dev:1.4.2",
  build: { context: path.join(__dirname, "docker-target-weak-stage"), target: "dev", platform: "linux/amd64" },
  skipPush: true,
});
