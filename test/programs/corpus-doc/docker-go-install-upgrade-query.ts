// Weakness: go install ...@upgrade is a version query, not a version: outside a module it resolves to
// the latest release on build day.
// Source: https://go.dev/ref/mod#version-queries (@upgrade: the latest version, or the current one if newer)
// Expected: refused in prod; the violation sits on "svc-tools-upgrade" and names govulncheck, upgrade.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-tools-upgrade", {
  imageName: "registry.corp.example/team/svc-tools-upgrade:1.4.2",
  build: { context: path.join(__dirname, "docker-go-install-upgrade-query"), platform: "linux/amd64" },
  skipPush: true,
});
