// Clean: the docker.Image passes build arg GOSUMDB=off and the Dockerfile declares `ARG GOSUMDB`, but the ENV
// block after it sets GOSUMDB=sum.golang.org. "Environment variables defined using the ENV instruction always
// override an ARG instruction of the same name", so no RUN ever sees GOSUMDB=off.
// Source: https://docs.docker.com/reference/dockerfile/#using-arg-variables ("Environment variables defined using the ENV instruction always override an ARG instruction of the same name")
// Expected: clean (no violation).
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-env-over-arg", {
  imageName: "registry.corp.example/team/svc-env-over-arg:1.4.2",
  build: { context: path.join(__dirname, "clean-dockerfile-env-overrides-arg"), platform: "linux/amd64", args: { GOSUMDB: "off" } },
  skipPush: true,
});
