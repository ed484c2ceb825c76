// Weakness: dockerfile.location names a Dockerfile ("Location of the Dockerfile to use ... a relative
// or absolute path to a local file") that downloads the go1.26.7 archive with curl and extracts it
// without any sha256 check.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (dockerfile.location) ; https://go.dev/dl/ (archives are published with their sha256)
// Expected: refused in prod; the violation sits on "svc-unchecked" and names the archive.
import * as path from "path";
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-unchecked", {
  context: { location: path.join(__dirname, "location-no-checksum") },
  dockerfile: { location: path.join(__dirname, "location-no-checksum", "build.Dockerfile") },
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
