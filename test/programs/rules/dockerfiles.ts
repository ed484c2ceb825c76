// One docker.Image per fixture Dockerfile (test/fixtures/dockerfiles): the compliant ones and one
// weakness each. Images are declared the ways teams write them: an absolute build.dockerfile, only
// a build.context (the provider then builds <context>/Dockerfile), relative paths (resolved against
// the project directory, as the Pulumi program's working directory is), a missing Dockerfile and a
// remote context (both cannot be judged: refused outside dev).
import * as path from "path";
import * as docker from "@pulumi/docker";

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
// Only a context: absolute, and relative to the project directory.
new docker.Image("context-only", { imageName: "registry.corp.example/context-only:1", skipPush: true, build: { context: path.join(DIR, "context-only") } });
new docker.Image("context-relative", { imageName: "registry.corp.example/context-relative:1", skipPush: true, build: { context: "test/fixtures/dockerfiles/context-heredoc" } });
new docker.Image("missing-dockerfile", { imageName: "registry.corp.example/missing:1", skipPush: true, build: { context: "test/fixtures/dockerfiles/no-such-service" } });
new docker.Image("remote-context", { imageName: "registry.corp.example/remote:1", skipPush: true, build: { context: "https://github.com/acme/svc.git#main" } });
