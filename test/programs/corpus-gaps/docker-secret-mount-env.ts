// Weakness: no ENV GOSUMDB; `RUN --mount=type=secret,id=sumdb,env=GOSUMDB go mod download` sets GOSUMDB for
// that step from a build secret. Its content is supplied at build time and cannot be known from the stack (a
// secret "sumdb" holding "off" turns verification off), so prod must not accept it as compliant.
// Source: https://docs.docker.com/reference/dockerfile/#run---mounttypesecret (env: "Mount the secret to an environment variable instead of a file", Dockerfile syntax 1.10+) ; catalog convention: values unknowable offline are refused in prod (corpus-doc configmap-not-in-stack)
// Expected: refused in prod; the violation sits on "svc-secret-env" and names GOSUMDB, secret.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-secret-env", {
  imageName: "registry.corp.example/team/svc-secret-env:1.4.2",
  build: { context: path.join(__dirname, "docker-secret-mount-env"), platform: "linux/amd64" },
  skipPush: true,
});
