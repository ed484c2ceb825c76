// Weakness: the image installs the verified go1.26.7 archive and sets GOPROXY/GOSUMDB/GOFLAGS, but never sets
// GOTOOLCHAIN. The official archive's $GOROOT/go.env says GOTOOLCHAIN=auto, so a go.mod line "go 1.27.0" (or
// "toolchain go1.27.0") in the service being built makes go download and run another toolchain. The official
// golang image sets ENV GOTOOLCHAIN=local precisely for this; this Dockerfile does not.
// Source: https://go.dev/doc/toolchain#select ("the go command … default GOTOOLCHAIN … auto"; $GOROOT/go.env) ; /work/shared/NOTES-GO.md (auto = local+auto, the upstream default in $GOROOT/go.env) ; catalog T8
// Expected: refused in prod; the violation sits on "svc-no-toolchain-env" and names GOTOOLCHAIN.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-no-toolchain-env", {
  imageName: "registry.corp.example/team/svc-no-toolchain-env:1.4.2",
  build: { context: path.join(__dirname, "docker-gotoolchain-unset"), platform: "linux/amd64" },
  skipPush: true,
});
