// Weakness: a docker.Image built with a minor-only Go version and GOFLAGS=-insecure.
import * as docker from "@pulumi/docker";

new docker.Image("svc", {
  imageName: "registry.corp.example/svc:1",
  build: { context: ".", dockerfile: "Dockerfile", args: { GO_VERSION: "1.26", GOFLAGS: "-insecure" } },
  skipPush: true,
});
