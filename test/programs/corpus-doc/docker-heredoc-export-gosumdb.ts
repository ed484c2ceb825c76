// Weakness: a RUN heredoc exports GOSUMDB=off before go mod download; the ENV lines are correct.
// Source: https://docs.docker.com/reference/dockerfile/#here-documents ; POSIX sh export
// Expected: refused in prod; the violation sits on "svc-heredoc" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-heredoc", {
  imageName: "registry.corp.example/team/svc-heredoc:1.4.2",
  build: { context: path.join(__dirname, "docker-heredoc-export-gosumdb"), platform: "linux/amd64" },
  skipPush: true,
});
