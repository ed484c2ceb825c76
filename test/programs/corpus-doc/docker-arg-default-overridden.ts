// Weakness: the Dockerfile's ARG GOSUMDB defaults to sum.golang.org, but the docker.Image passes build
// arg GOSUMDB=off; every later RUN (go mod download) sees GOSUMDB=off.
// Source: https://docs.docker.com/reference/dockerfile/#arg (a build argument overrides the ARG default; ARG values are in the environment of later RUN)
// Expected: refused in prod; the violation sits on "svc-arg-override" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-arg-override", {
  imageName: "registry.corp.example/team/svc-arg-override:1.4.2",
  build: { context: path.join(__dirname, "docker-arg-default-overridden"), platform: "linux/amd64", args: { GOSUMDB: "off" } },
  skipPush: true,
});
