// One docker.Image per fixture Dockerfile (test/fixtures/dockerfiles): the compliant ones and one
// weakness each. Images are declared the ways teams write them: an absolute build.dockerfile, only
// a build.context (the provider then builds <context>/Dockerfile), relative paths (resolved against
// the program's working directory, Pulumi.yaml's main directory stacks/), a missing Dockerfile and a
// remote context (both cannot be judged: refused outside dev).
import * as path from "path";
import * as docker from "@pulumi/docker";
import * as dockerbuild from "@pulumi/docker-build";

const DIR = path.join(__dirname, "../../fixtures/dockerfiles");
const images: Array<[string, Record<string, string>]> = [
  ["happy", { GO_VERSION: "1.26.7" }],
  ["add-checksum-ok", {}],
  ["golang-minor-arg", { GO_VERSION: "1.26" }],
  ["go-install-latest", {}],
  ["install-branch", {}],
  ["download-unverified", {}],
  ["download-http", {}],
  ["printed-hash", {}],
  ["check-ignored", {}],
  ["download-unset-arg", {}],
  ["add-checksum-wrong", {}],
  ["env-gosumdb-off", {}],
  ["legacy-env", {}],
  ["inline-insecure", {}],
  ["proto-env-insecure", {}],
  ["proto-arg-insecure", {}],
  ["proto-shell-insecure", {}],
  ["inline-other-command", {}],
  ["clean-inline-other-command", {}],
  ["go-env-w", {}],
  ["exec-form", {}],
  ["copy-from-tag", {}],
  ["golang-unlocked-digest", {}],
  ["golang-rc", {}],
  ["bad-shell", {}],
];
for (const [name, args] of images) {
  new docker.Image(name, { imageName: `registry.corp.example/${name}:1`, skipPush: true, build: { context: DIR, dockerfile: path.join(DIR, `${name}.Dockerfile`), args } });
}
// Only a context: absolute, and relative to the program's working directory (Pulumi runs the
// program and its providers in Pulumi.yaml's `main` directory, stacks/).
new docker.Image("context-only", { imageName: "registry.corp.example/context-only:1", skipPush: true, build: { context: path.join(DIR, "context-only") } });
new docker.Image("context-relative", { imageName: "registry.corp.example/context-relative:1", skipPush: true, build: { context: "../test/fixtures/dockerfiles/context-heredoc" } });
new docker.Image("missing-dockerfile", { imageName: "registry.corp.example/missing:1", skipPush: true, build: { context: "test/fixtures/dockerfiles/no-such-service" } });
// The same readings through docker-build Images (context.location, dockerfile.location, inline).
new dockerbuild.Image("db-context-relative", { context: { location: "../test/fixtures/dockerfiles/context-heredoc" }, platforms: ["linux/amd64", "linux/arm64"], push: false });
new dockerbuild.Image("db-missing-location", { context: { location: ".." }, dockerfile: { location: "test/fixtures/dockerfiles/go-env-w.Dockerfile" }, push: false });
new dockerbuild.Image("db-location-go-env-w", { context: { location: DIR }, dockerfile: { location: path.join(DIR, "go-env-w.Dockerfile") }, platforms: ["linux/amd64"], push: false });
// Copies (a Dockerfile that is only FROM): the source's digest is judged by copied-image-source-pinned.
new dockerbuild.Image("db-copy-by-tag", { context: { location: DIR }, dockerfile: { inline: "FROM docker.io/gomods/athens:v0.18.1\n" }, platforms: ["linux/amd64", "linux/arm64"], push: false });
new dockerbuild.Image("db-copy-by-digest", { context: { location: DIR }, dockerfile: { inline: "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818\n" }, push: false });
new docker.RemoteImage("remote-by-digest", { name: "debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818", keepLocally: true });
new docker.Image("remote-context", { imageName: "registry.corp.example/remote:1", skipPush: true, build: { context: "https://github.com/acme/svc.git#main" } });
