// Weakness: ENV GOFLAGS='-mod=mod -trimpath': Docker strips the quotes, GOFLAGS is -mod=mod -trimpath.
// Source: https://docs.docker.com/reference/dockerfile/#env (quotes are removed like on a command line)
// Expected: refused in prod; the violation sits on "svc-quoted-flags" and names GOFLAGS, -mod=mod.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-quoted-flags", {
  imageName: "registry.corp.example/team/svc-quoted-flags:1.4.2",
  build: { context: path.join(__dirname, "docker-env-quoted-goflags-mod"), platform: "linux/amd64" },
  skipPush: true,
});
