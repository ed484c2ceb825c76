// Weakness: the Go archive is downloaded and `sha256sum` only PRINTS its digest; nothing compares it
// with the expected value before tar extracts it.
// Source: https://go.dev/doc/install (verify the checksum) ; catalog T10 (sha256sum -c before extracting)
// Expected: refused in prod; the violation sits on "svc-unverified-go" and names sha256.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-unverified-go", {
  imageName: "registry.corp.example/team/svc-unverified-go:1.4.2",
  build: { context: path.join(__dirname, "docker-curl-sha256-printed"), platform: "linux/amd64" },
  skipPush: true,
});
