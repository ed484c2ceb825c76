// Weakness: ADD --checksum of the real go1.27.0 archive: verified, but 1.27.0 is not the version prod
// allows (1.26.7 only).
// Source: https://docs.docker.com/reference/dockerfile/#add---checksum ; /work/shared/data/go-releases.json (go1.27.0 linux-amd64 sha256)
// Expected: refused in prod; the violation sits on "svc-go1270" and names 1.27.0.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-go1270", {
  imageName: "registry.corp.example/team/svc-go1270:1.4.2",
  build: { context: path.join(__dirname, "docker-add-go1270"), platform: "linux/amd64" },
  skipPush: true,
});
