// Weakness: ENV GOSUMDB=${GOSUMDB_OVERRIDE:-off}; nothing sets GOSUMDB_OVERRIDE, so the value is off.
// Source: https://docs.docker.com/reference/dockerfile/#environment-replacement (${variable:-word}: word when variable is unset)
// Expected: refused in prod; the violation sits on "svc-env-default" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-env-default", {
  imageName: "registry.corp.example/team/svc-env-default:1.4.2",
  build: { context: path.join(__dirname, "docker-env-default-modifier"), platform: "linux/amd64" },
  skipPush: true,
});
