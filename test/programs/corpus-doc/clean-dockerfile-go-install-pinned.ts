// Clean: go install of a tool at an exact semantic version (golang.org/x/tools/cmd/goimports@v0.24.0).
// Source: https://go.dev/ref/mod#go-install ; https://pkg.go.dev/golang.org/x/tools?tab=versions (v0.24.0)
// Expected: clean in prod (no violation at all).
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-tools-pinned", {
  imageName: "registry.corp.example/team/svc-tools-pinned:1.4.2",
  build: { context: path.join(__dirname, "clean-dockerfile-go-install-pinned"), platform: "linux/amd64" },
  skipPush: true,
});
