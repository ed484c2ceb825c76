// Weakness: the legacy ENV syntax without '=': `ENV GOFLAGS -mod=mod` sets GOFLAGS to -mod=mod.
// Source: https://docs.docker.com/reference/dockerfile/#env (alternative syntax ENV <key> <value>) ; https://docs.docker.com/reference/build-checks/legacy-key-value-format/
// Expected: refused in prod; the violation sits on "svc-legacy-env" and names GOFLAGS, -mod=mod.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-legacy-env", {
  imageName: "registry.corp.example/team/svc-legacy-env:1.4.2",
  build: { context: path.join(__dirname, "docker-env-legacy-goflags"), platform: "linux/amd64" },
  skipPush: true,
});
