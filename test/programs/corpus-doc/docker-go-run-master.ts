// Weakness: go run of a generator at @master, split over continuation lines so the query sits on its
// own line.
// Source: https://go.dev/ref/mod#version-queries (a branch name is a query) ; https://docs.docker.com/reference/dockerfile/#escape (line continuation)
// Expected: refused in prod; the violation sits on "svc-gen-master" and names master.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-gen-master", {
  imageName: "registry.corp.example/team/svc-gen-master:1.4.2",
  build: { context: path.join(__dirname, "docker-go-run-master"), platform: "linux/amd64" },
  skipPush: true,
});
