// Clean: the locked go1.26.7 archive fetched with ADD --checksum=sha256:<the catalog's sum>, which
// BuildKit verifies before the file exists in the build.
// Source: https://docs.docker.com/reference/dockerfile/#add---checksum ; /work/shared/data/go-releases.json
// Expected: clean in prod (no violation at all).
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-add-checksum", {
  imageName: "registry.corp.example/team/svc-add-checksum:1.4.2",
  build: { context: path.join(__dirname, "clean-dockerfile-add-checksum"), platform: "linux/amd64" },
  skipPush: true,
});
