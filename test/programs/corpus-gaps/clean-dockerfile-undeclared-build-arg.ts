// Clean: the docker.Image passes build arg GOFLAGS="-mod=mod" (left in a shared CI template), but the
// Dockerfile never declares `ARG GOFLAGS`. A build argument that no ARG instruction declares is not available
// to any instruction (BuildKit only warns that it was not consumed), and GOFLAGS is not one of the predefined
// proxy ARGs. The image and every RUN have GOFLAGS="-mod=readonly -trimpath" from ENV.
// Source: https://docs.docker.com/reference/dockerfile/#arg ("If a user specifies a build argument that was not defined in the Dockerfile, the build outputs a warning") ; https://docs.docker.com/reference/dockerfile/#predefined-args
// Expected: clean (no violation).
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-unused-arg", {
  imageName: "registry.corp.example/team/svc-unused-arg:1.4.2",
  build: { context: path.join(__dirname, "clean-dockerfile-undeclared-build-arg"), platform: "linux/amd64", args: { GOFLAGS: "-mod=mod" } },
  skipPush: true,
});
