// Weakness: an exec-form RUN ["/bin/sh", "-c", "GOPROXY=direct go mod download"]: the inline
// assignment sends downloads straight to VCS.
// Source: https://docs.docker.com/reference/dockerfile/#run (exec form: JSON array, no shell unless invoked) 
// Expected: refused in prod; the violation sits on "svc-exec-form" and names GOPROXY, direct.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-exec-form", {
  imageName: "registry.corp.example/team/svc-exec-form:1.4.2",
  build: { context: path.join(__dirname, "docker-exec-form-goproxy-direct"), platform: "linux/amd64" },
  skipPush: true,
});
