// Weakness: the inline assignment GOFLAGS=-mod=mod sits on its own continuation line in front of go
// build.
// Source: https://docs.docker.com/reference/dockerfile/#escape (backslash continues the line) ; POSIX sh: an assignment before a command word sets it for that command
// Expected: refused in prod; the violation sits on "svc-inline-cont" and names GOFLAGS, -mod=mod.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-inline-cont", {
  imageName: "registry.corp.example/team/svc-inline-cont:1.4.2",
  build: { context: path.join(__dirname, "docker-run-continuation-inline"), platform: "linux/amd64" },
  skipPush: true,
});
