// Weakness: `RUN env GOSUMDB=off go mod download`: the assignment is an argument of env(1), not a
// shell assignment.
// Source: env(1) (POSIX: env NAME=value utility runs utility with the variable set) ; https://docs.docker.com/reference/dockerfile/#run
// Expected: refused in prod; the violation sits on "svc-env-cmd" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-env-cmd", {
  imageName: "registry.corp.example/team/svc-env-cmd:1.4.2",
  build: { context: path.join(__dirname, "docker-run-env-command"), platform: "linux/amd64" },
  skipPush: true,
});
