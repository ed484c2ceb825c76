// Weakness: `sha256sum -c - || true` swallows a mismatch, so a tampered archive is extracted anyway.
// Source: POSIX sh (a || b: b runs when a fails, the list then succeeds) ; catalog T10
// Expected: refused in prod; the violation sits on "svc-or-true" and names sha256sum.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-or-true", {
  imageName: "registry.corp.example/team/svc-or-true:1.4.2",
  build: { context: path.join(__dirname, "docker-checksum-or-true"), platform: "linux/amd64" },
  skipPush: true,
});
