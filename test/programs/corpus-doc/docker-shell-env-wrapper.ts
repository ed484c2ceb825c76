// Weakness: `SHELL ["/usr/bin/env", "GOSUMDB=off", "/bin/sh", "-c"]`. SHELL sets the command that runs every
// later shell-form RUN; here it is env(1) with an assignment, so `RUN go mod download` runs as
// /usr/bin/env GOSUMDB=off /bin/sh -c "go mod download". No ENV, no inline assignment in the RUN line.
// Source: https://docs.docker.com/reference/dockerfile/#shell ("The SHELL instruction allows the default shell used for the shell form of commands to be overridden") ; env(1) (POSIX: env name=value utility)
// Expected: refused in prod; the violation sits on "svc-shell-env" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-shell-env", {
  imageName: "registry.corp.example/team/svc-shell-env:1.4.2",
  build: { context: path.join(__dirname, "docker-shell-env-wrapper"), platform: "linux/amd64" },
  skipPush: true,
});
