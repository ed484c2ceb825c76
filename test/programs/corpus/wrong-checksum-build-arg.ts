// Weakness: the right Go version but the linux/arm64 checksum of another archive (go1.26.6's).
import * as docker from "@pulumi/docker";

new docker.Image("builder", {
  imageName: "registry.corp.example/builder:1",
  build: {
    context: ".",
    dockerfile: "Dockerfile",
    args: {
      GO_VERSION: "1.26.7",
      GO_SHA256_LINUX_AMD64: "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca",
      GO_SHA256_LINUX_ARM64: "d0507e9e9d7fe012aae570108cbd76c15de879e17130ab8cb90d4d7445cb1f2e",
    },
  },
  skipPush: true,
});
