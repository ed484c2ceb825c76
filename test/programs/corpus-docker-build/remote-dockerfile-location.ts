// Weakness: dockerfile.location is a remote URL ("Can be a relative or absolute path to a local file,
// or a remote URL"): what the image builds cannot be read offline, so it must not pass unjudged.
// Source: https://www.pulumi.com/registry/packages/docker-build/api-docs/image/ (dockerfile.location; Remote context example)
// Expected: refused in prod; the violation sits on "svc-remote" and names dockerfile.location and the URL.
import * as dockerbuild from "@pulumi/docker-build";

new dockerbuild.Image("svc-remote", {
  context: { location: "https://github.com/docker-library/hello-world.git" },
  dockerfile: { location: "https://raw.githubusercontent.com/acme/svc/main/Dockerfile" },
  platforms: [dockerbuild.Platform.Linux_amd64],
  push: false,
});
