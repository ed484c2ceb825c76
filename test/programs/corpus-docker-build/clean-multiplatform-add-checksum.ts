// Clean: a two-platform build whose stages fetch each platform's go1.26.7 archive with
// ADD --checksum=sha256:<that archive's catalog sum> (one stage per platform, chosen through
// TARGETARCH), then set the environment's Go baseline.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (platforms, buildArgs, context.location) ; https://docs.docker.com/build/building/multi-platform/ ; https://docs.docker.com/reference/dockerfile/#add---checksum ; /work/shared/data/go-releases.json
// Expected: clean in prod (no violation at all).
import * as path from "path";
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-multi-ok", {
  context: { location: path.join(__dirname, "clean-multiplatform-add-checksum") },
  platforms: [dockerbuild.Platform.Linux_amd64, dockerbuild.Platform.Linux_arm64],
  buildArgs: { GO_VERSION: "1.26.7" },
  push: false,
});
