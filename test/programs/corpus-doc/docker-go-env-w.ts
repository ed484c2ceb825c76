// Weakness: no ENV GOSUMDB at all, and `go env -w GOSUMDB=off` writes the setting into the go env file
// that every later go command reads.
// Source: go help env (go env -w writes the user's go env file, used when the variable is not set) ; https://docs.docker.com/reference/dockerfile/#run
// Expected: refused in prod; the violation sits on "svc-goenv-w" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-goenv-w", {
  imageName: "registry.corp.example/team/svc-goenv-w:1.4.2",
  build: { context: path.join(__dirname, "docker-go-env-w"), platform: "linux/amd64" },
  skipPush: true,
});
