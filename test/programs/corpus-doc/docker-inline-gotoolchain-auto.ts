// Weakness: ENV GOTOOLCHAIN=local, but the build step runs `GOTOOLCHAIN=auto go build`, which lets
// go.mod pick and download another toolchain.
// Source: https://go.dev/doc/toolchain#GOTOOLCHAIN ; POSIX sh assignments before a command
// Expected: refused in prod; the violation sits on "svc-inline-toolchain" and names GOTOOLCHAIN, auto.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-inline-toolchain", {
  imageName: "registry.corp.example/team/svc-inline-toolchain:1.4.2",
  build: { context: path.join(__dirname, "docker-inline-gotoolchain-auto"), platform: "linux/amd64" },
  skipPush: true,
});
