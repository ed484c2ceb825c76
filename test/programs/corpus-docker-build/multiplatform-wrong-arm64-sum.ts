// Weakness: a multi-platform build (platforms linux/amd64 and linux/arm64, "Set target platform(s)
// for the build") fetches go1.26.7.linux-${TARGETARCH}.tar.gz, but the ADD --checksum holds the
// amd64 archive's sha256: for linux/arm64 the check compares with the wrong sum.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (Multi-platform image example; platforms) ; https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope ; https://docs.docker.com/reference/dockerfile/#add---checksum
// Expected: refused in prod; the violation sits on "svc-multi" and names go1.26.7.linux-arm64.tar.gz.
import * as path from "path";
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-multi", {
  context: { location: path.join(__dirname, "multiplatform-wrong-arm64-sum") },
  platforms: [dockerbuild.Platform.Linux_amd64, dockerbuild.Platform.Linux_arm64],
  push: false,
});
