// SARIF for code scanning: a Dockerfile finding points at its Dockerfile and line
// (`physicalLocation.region`), so GitHub annotates the line; other findings point at the stack's
// config file. The pure locator first, then the real command on a program whose Dockerfile the pack
// refuses.
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { dockerfileRegion } from "../../cli/report";
import { runCli } from "../helpers/cli";

const ROOT = path.join(__dirname, "..", "..");
const STACKS = path.join(ROOT, "stacks");
const image = (build: Record<string, unknown>) => ({ type: "docker:index/image:Image", inputs: { imageName: "r/x:1", build } });
const dbImage = (inputs: Record<string, unknown>) => ({ type: "docker-build:index:Image", inputs });

describe("dockerfileRegion (pure)", () => {
  test.each([
    ["default Dockerfile of an absolute context", "svc Dockerfile line 4 (curl go.tgz): extracted", image({ context: path.join(ROOT, "svc") }), { uri: "svc/Dockerfile", startLine: 4 }],
    ["a relative context: from the program's directory (stacks/)", "svc Dockerfile line 12: x", image({ context: "app" }), { uri: "stacks/app/Dockerfile", startLine: 12 }],
    ["build.dockerfile inside the context: shown relative to it", "svc Dockerfile.prod line 7 (RUN go get -u): x", image({ context: "app", dockerfile: "app/Dockerfile.prod" }), { uri: "stacks/app/Dockerfile.prod", startLine: 7 }],
    ["build.dockerfile outside the context: shown as written", "svc ../docker/Dockerfile line 3: x", image({ context: "app", dockerfile: "../docker/Dockerfile" }), { uri: "docker/Dockerfile", startLine: 3 }],
    ["no line named", "svc: image golang:1.26 is not pinned by digest", image({ context: "app" }), undefined],
    ["another file's line", "svc Dockerfile.other line 3: x", image({ context: "app" }), undefined],
    ["a Dockerfile outside the project", "svc Dockerfile line 2: x", image({ context: "/elsewhere/app" }), undefined],
    ["docker-build: context.location and the default Dockerfile", "b Dockerfile line 9: x", dbImage({ context: { location: "../build" } }), { uri: "build/Dockerfile", startLine: 9 }],
    ["docker-build: dockerfile.location", "b Containerfile line 5: x", dbImage({ context: { location: "../build" }, dockerfile: { location: "../build/Containerfile" } }), { uri: "build/Containerfile", startLine: 5 }],
    ["docker-build: an inline Dockerfile has no file", "b Dockerfile line 1: x", dbImage({ context: { location: "../build" }, dockerfile: { inline: "FROM scratch" } }), undefined],
    ["not an image", "cm Dockerfile line 1: x", { type: "kubernetes:core/v1:ConfigMap", inputs: {} }, undefined],
    ["no resource", "svc Dockerfile line 1: x", undefined, undefined],
  ])("%s", (_label, message, resource, region) => {
    expect(dockerfileRegion(message, resource, STACKS, ROOT)).toEqual(region);
  });

  test("any line number the message names is the region's start line", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom("Dockerfile", "build/Dockerfile.ci", "a+b.Dockerfile"), (line, shown) => {
        const r = dockerfileRegion(`svc ${shown} line ${line} (RUN x): y`, image({ context: "ctx", dockerfile: `ctx/${shown}` }), STACKS, ROOT);
        expect(r).toEqual({ uri: `stacks/ctx/${shown}`, startLine: line });
      }),
    );
  });
});

describe("goguard check --format sarif", () => {
  test("a Dockerfile finding carries its file and line; the line is the one the message describes", async () => {
    const program = "test/programs/corpus-doc/docker-checksum-after-extract.ts";
    const r = await runCli("check", "--stack", "prod", "--program", path.join(ROOT, program), "--format", "sarif");
    expect(r.code).toBe(1);
    const results: any[] = JSON.parse(r.stdout).runs[0].results;
    const onImage = (x: any) => x.locations[0].logicalLocations[0].fullyQualifiedName.endsWith("::svc-late-check");
    expect(results.filter(onImage).map((x) => [x.ruleId, x.locations[0].physicalLocation])).toEqual([
      ["go-download-verified", { artifactLocation: { uri: "test/programs/corpus-doc/docker-checksum-after-extract/Dockerfile" }, region: { startLine: 4 } }],
    ]);
    // Stack-level findings (the lock's, for instance) have no file of their own.
    for (const x of results.filter((y) => !onImage(y))) expect(x.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "stacks/Pulumi.prod.yaml" } });
    const line4 = fs.readFileSync(path.join(ROOT, "test/programs/corpus-doc/docker-checksum-after-extract/Dockerfile"), "utf8").split("\n")[3];
    expect(line4).toMatch(/^RUN .*curl/);
  });

  test("a finding without a file stays on the stack's config file", async () => {
    const r = await runCli("check", "--stack", "prod", "--program", path.join(ROOT, "test/programs/corpus/golang-minor-cronjob.ts"), "--format", "sarif");
    const locations = JSON.parse(r.stdout).runs[0].results.map((x: any) => x.locations[0].physicalLocation);
    expect(locations.length).toBeGreaterThan(0);
    for (const l of locations) expect(l).toEqual({ artifactLocation: { uri: "stacks/Pulumi.prod.yaml" } });
  });
});
