// Clean: ARG GOSUMDB=off as a default, but the docker.Image passes GOSUMDB=sum.golang.org, so the
// build never runs with off.
// Source: https://docs.docker.com/reference/dockerfile/#arg (the build argument replaces the default)
// Expected: clean in prod (no violation at all).
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-arg-good", {
  imageName: "registry.corp.example/team/svc-arg-good:1.4.2",
  build: { context: path.join(__dirname, "clean-dockerfile-arg-overridden-good"), platform: "linux/amd64", args: { GOSUMDB: "sum.golang.org" } },
  skipPush: true,
});
