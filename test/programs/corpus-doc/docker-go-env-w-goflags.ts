// Weakness: no ENV GOFLAGS; `go env -w GOFLAGS=-mod=mod` writes it into the go env file every later go
// command reads.
// Source: go help env (-w) ; go help environment (GOFLAGS)
// Expected: refused in prod; the violation sits on "svc-goenv-flags" and names GOFLAGS, -mod=mod.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-goenv-flags", {
  imageName: "registry.corp.example/team/svc-goenv-flags:1.4.2",
  build: { context: path.join(__dirname, "docker-go-env-w-goflags"), platform: "linux/amd64" },
  skipPush: true,
});
