// Weakness: `# escape=`` ` makes the backtick the continuation character; the ENV instruction
// continues over several lines and its last assignment is GOSUMDB=off.
// Source: https://docs.docker.com/reference/dockerfile/#escape (the escape parser directive changes the line-continuation character)
// Expected: refused in prod; the violation sits on "svc-escape" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-escape", {
  imageName: "registry.corp.example/team/svc-escape:1.4.2",
  build: { context: path.join(__dirname, "docker-escape-directive"), platform: "linux/amd64" },
  skipPush: true,
});
