// Weakness: docker.Image gives only build.context; the Dockerfile found there (<context>/Dockerfile)
// sets ENV GOSUMDB=off.
// Source: https://www.pulumi.com/registry/packages/docker/api-docs/image/ (build.dockerfile defaults to <context>/Dockerfile) ; https://docs.docker.com/reference/dockerfile/#env
// Expected: refused in prod; the violation sits on "svc-sumoff" and names GOSUMDB, off.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-sumoff", {
  imageName: "registry.corp.example/team/svc-sumoff:1.4.2",
  build: { context: path.join(__dirname, "docker-context-env-gosumdb-off"), platform: "linux/amd64" },
  skipPush: true,
});
