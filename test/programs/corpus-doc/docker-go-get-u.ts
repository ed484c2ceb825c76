// Weakness: `go get -u ./...` upgrades every dependency to its latest release at build time (an
// unpinned query; go get always rewrites go.mod and go.sum).
// Source: https://go.dev/ref/mod#go-get (-u: upgrade to the latest minor or patch)
// Expected: refused in prod; the violation sits on "svc-get-u" and names go get, -u.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-get-u", {
  imageName: "registry.corp.example/team/svc-get-u:1.4.2",
  build: { context: path.join(__dirname, "docker-go-get-u"), platform: "linux/amd64" },
  skipPush: true,
});
