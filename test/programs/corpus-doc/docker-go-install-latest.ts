// Weakness: go install of a tool at @latest: whatever version exists on build day.
// Source: https://go.dev/ref/mod#go-install ; https://go.dev/ref/mod#version-queries (@latest)
// Expected: refused in prod; the violation sits on "svc-tools-latest" and names goimports, latest.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-tools-latest", {
  imageName: "registry.corp.example/team/svc-tools-latest:1.4.2",
  build: { context: path.join(__dirname, "docker-go-install-latest"), platform: "linux/amd64" },
  skipPush: true,
});
