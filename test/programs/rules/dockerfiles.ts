// One docker.Image per fixture Dockerfile (test/fixtures/dockerfiles): the happy one and one
// weakness each.
import * as path from "path";
import * as docker from "@pulumi/docker";

const DIR = path.join(__dirname, "../../fixtures/dockerfiles");
const images: Array<[string, Record<string, string>]> = [
  ["happy", { GO_VERSION: "1.26.7" }],
  ["golang-minor-arg", { GO_VERSION: "1.26" }],
  ["go-install-latest", {}],
  ["download-unverified", {}],
  ["download-http", {}],
  ["env-gosumdb-off", {}],
  ["inline-insecure", {}],
  ["copy-from-tag", {}],
];
for (const [name, args] of images) {
  new docker.Image(name, { imageName: `registry.corp.example/${name}:1`, skipPush: true, build: { context: DIR, dockerfile: path.join(DIR, `${name}.Dockerfile`), args } });
}
