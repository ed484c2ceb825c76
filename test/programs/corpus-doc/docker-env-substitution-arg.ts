// Weakness: ENV GOSUMDB=${SUMDB_MODE} where ARG SUMDB_MODE defaults to off: the image's GOSUMDB is
// off.
// Source: https://docs.docker.com/reference/dockerfile/#environment-replacement (${variable} in ENV) ; https://docs.docker.com/reference/dockerfile/#arg
// Expected: refused in prod; the violation sits on "svc-env-subst" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-env-subst", {
  imageName: "registry.corp.example/team/svc-env-subst:1.4.2",
  build: { context: path.join(__dirname, "docker-env-substitution-arg"), platform: "linux/amd64" },
  skipPush: true,
});
