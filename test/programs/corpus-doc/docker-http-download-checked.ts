// Weakness: the archive is checked with sha256sum -c, but downloaded over plain http.
// Source: https://go.dev/dl/ (served over https) ; catalog T10 (https and sha256sum -c)
// Expected: refused in prod; the violation sits on "svc-http-go" and names http://.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-http-go", {
  imageName: "registry.corp.example/team/svc-http-go:1.4.2",
  build: { context: path.join(__dirname, "docker-http-download-checked"), platform: "linux/amd64" },
  skipPush: true,
});
