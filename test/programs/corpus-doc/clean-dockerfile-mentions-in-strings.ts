// Clean: GOSUMDB=off and @latest appear only in a comment, inside an echo'd string and as an argument
// of `go env` (which only prints); nothing sets them.
// Source: https://docs.docker.com/reference/dockerfile/#format (comments) ; POSIX sh quoting ; go help env (go env NAME only prints)
// Expected: clean in prod (no violation at all).
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-mentions", {
  imageName: "registry.corp.example/team/svc-mentions:1.4.2",
  build: { context: path.join(__dirname, "clean-dockerfile-mentions-in-strings"), platform: "linux/amd64" },
  skipPush: true,
});
