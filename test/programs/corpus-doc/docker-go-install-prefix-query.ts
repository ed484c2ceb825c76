// Weakness: go install goimports@v0.24 is a version-prefix query: it picks the newest v0.24.x at build
// time, not an exact vX.Y.Z.
// Source: https://go.dev/ref/mod#version-queries (a version prefix such as v0.24 selects the latest v0.24.x)
// Expected: refused in prod; the violation sits on "svc-tools-prefix" and names goimports, v0.24.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-tools-prefix", {
  imageName: "registry.corp.example/team/svc-tools-prefix:1.4.2",
  build: { context: path.join(__dirname, "docker-go-install-prefix-query"), platform: "linux/amd64" },
  skipPush: true,
});
