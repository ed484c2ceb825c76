// Weakness: the ENV block is compliant; `RUN . ./ci/go-env.sh && go mod download` sources a script from the
// build context, and that script does `export GOSUMDB=off`. The dot command runs the script in the RUN's own
// shell, so the export applies to the following go mod download. The weak text is only in the context file.
// Source: POSIX sh (Shell Command Language 2.14 "dot": execute commands from file in the current environment; export) ; https://docs.docker.com/reference/dockerfile/#run
// Expected: refused in prod; the violation sits on "svc-sourced" and names GOSUMDB, off, ci/go-env.sh.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-sourced", {
  imageName: "registry.corp.example/team/svc-sourced:1.4.2",
  build: { context: path.join(__dirname, "docker-sourced-env-script"), platform: "linux/amd64" },
  skipPush: true,
});
