// Weakness: the expected checksum is downloaded from the same server as the archive (go.tgz.sha256)
// instead of being the locked value: whoever can swap the archive can swap the checksum. A good report
// names that .sha256 file (the check itself runs before tar, so "no check" is the wrong diagnosis).
// Source: https://go.dev/dl/ (.sha256 files beside the archives) ; catalog T3 (the checksum used equals the catalog's) / T10
// Expected: refused in prod; the violation sits on "svc-remote-sum" and names .sha256.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-remote-sum", {
  imageName: "registry.corp.example/team/svc-remote-sum:1.4.2",
  build: { context: path.join(__dirname, "docker-checksum-from-same-server"), platform: "linux/amd64" },
  skipPush: true,
});
