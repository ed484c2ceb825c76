// Weakness: the archive is extracted first and checked afterwards: the unverified archive's content is
// already in /usr/local/go when the check runs.
// Source: catalog T10 (verify before extracting) ; https://go.dev/doc/install
// Expected: refused in prod; the violation sits on "svc-late-check" and names sha256.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-late-check", {
  imageName: "registry.corp.example/team/svc-late-check:1.4.2",
  build: { context: path.join(__dirname, "docker-checksum-after-extract"), platform: "linux/amd64" },
  skipPush: true,
});
