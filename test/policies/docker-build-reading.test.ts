// How the pack finds what a docker-build Image builds, as the Docker Build provider does
// (provider/internal/context.go, dockerfile.go): dockerfile.inline, dockerfile.location (relative to
// the working directory, not to the context), the default <context.location>/Dockerfile, remote
// URLs and values unknown in preview (fail closed), one read per target platform; the working
// directory Pulumi runs a program in (Pulumi.yaml's main); pure copies; RemoteImage names; and the
// offline harness's preview outputs of a docker-build Image.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { dockerBuildDockerfiles, imageDockerfile, imageUses, isPureCopy, programWorkDir, pulumiMain, REMOTE_IMAGE, DOCKER_BUILD_IMAGE } from "../../policies/lib/resources";
import { dockerfileFacts } from "../../policies/lib/dockerfile";

const BASE = "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818\n";
const SUM_AMD64 = "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca";

// The props proxy of @pulumi/policy throws an error of this class on values unknown during preview.
class UnknownValueError extends Error {}
const unknownAt = (key: string, rest: Record<string, unknown>) =>
  new Proxy(rest, {
    get: (t, k) => {
      if (k === key) throw new UnknownValueError(key);
      return (t as Record<string | symbol, unknown>)[k];
    },
  });

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-dbr-"));
  fs.mkdirSync(path.join(work, "app"));
  fs.writeFileSync(path.join(work, "app", "Dockerfile"), `${BASE}ENV GOSUMDB=off\n`);
  fs.writeFileSync(path.join(work, "build.Dockerfile"), `${BASE}ENV GOFLAGS=-mod=mod\n`);
  fs.writeFileSync(path.join(work, "app", "arch.Dockerfile"), `${BASE}ARG TARGETOS\nARG TARGETARCH\nADD --checksum=sha256:${SUM_AMD64} https://go.dev/dl/go1.26.7.\${TARGETOS}-\${TARGETARCH}.tar.gz /tmp/go.tgz\n`);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const view = (props: unknown) =>
  dockerBuildDockerfiles(props, { projectDir: work }).map((d) => ({ shown: d.shown, ...(d.unreadable === undefined && d.platform ? { platform: d.platform } : {}), ...(d.unreadable !== undefined ? { unreadable: d.unreadable } : { settings: d.facts.settings }) }));

describe("which Dockerfile a docker-build Image builds", () => {
  test.each<[string, unknown, Array<Record<string, unknown>>]>([
    ["only context.location: <context>/Dockerfile", { context: { location: "app" } }, [{ shown: "Dockerfile", settings: { GOSUMDB: "off" } }]],
    ["dockerfile.location relative to the working directory, not to the context", { context: { location: "app" }, dockerfile: { location: "build.Dockerfile" } }, [{ shown: "build.Dockerfile", settings: { GOFLAGS: "-mod=mod" } }]],
    ["dockerfile.location written relative to the context does not exist", { context: { location: "app" }, dockerfile: { location: "Dockerfile" } }, [{ shown: "Dockerfile", unreadable: "dockerfile.location \"Dockerfile\" cannot be read: no such file in the program's working directory (the Docker Build provider reads dockerfile.location relative to it, not to context.location)" }]],
    ["no context: the working directory", {}, [{ shown: "Dockerfile", unreadable: "the default Dockerfile of context.location \".\" (Dockerfile) cannot be read: no such file in the program's working directory" }]],
    ["dockerfile.inline: the text itself, whatever the context", { context: { location: "https://github.com/acme/svc.git" }, dockerfile: { inline: `${BASE}ENV GOTOOLCHAIN=auto\n` } }, [{ shown: "dockerfile.inline", settings: { GOTOOLCHAIN: "auto" } }]],
    ["a remote context without a Dockerfile", { context: { location: "https://github.com/acme/svc.git#main" } }, [{ shown: "https://github.com/acme/svc.git#main", unreadable: "context.location \"https://github.com/acme/svc.git#main\" is a remote context, whose Dockerfile cannot be judged offline" }]],
    ["a remote dockerfile.location", { context: { location: "app" }, dockerfile: { location: "https://example.com/Dockerfile" } }, [{ shown: "https://example.com/Dockerfile", unreadable: "dockerfile.location \"https://example.com/Dockerfile\" is a remote URL, which cannot be judged offline" }]],
    ["context unknown during preview", unknownAt("context", {}), [{ shown: "context", unreadable: "context is unknown during preview" }]],
    ["dockerfile.inline unknown during preview", { dockerfile: unknownAt("inline", {}) }, [{ shown: "dockerfile.inline", unreadable: "dockerfile.inline is unknown during preview" }]],
    ["context.location unknown during preview", { context: unknownAt("location", {}) }, [{ shown: "context.location", unreadable: "context.location is unknown during preview" }]],
    ["buildArgs override an ARG", { dockerfile: { inline: `${BASE}ARG GOSUMDB=sum.golang.org\nRUN go build\n` }, buildArgs: { GOSUMDB: "off" } }, [{ shown: "dockerfile.inline", settings: { GOSUMDB: "off" } }]],
  ])("%s", (_n, props, expected) => {
    expect(view(props)).toEqual(expected);
  });

  test("one read per target platform, TARGETOS/TARGETARCH set for each", () => {
    const reads = dockerBuildDockerfiles({ context: { location: "app" }, dockerfile: { location: "app/arch.Dockerfile" }, platforms: ["linux/amd64", "linux/arm64"] }, { projectDir: work });
    expect(reads.map((r) => [r.unreadable === undefined ? r.platform : r.unreadable, r.facts.downloads.map((d) => [d.filename, d.check?.sum])])).toEqual([
      ["linux/amd64", [["go1.26.7.linux-amd64.tar.gz", SUM_AMD64]]],
      ["linux/arm64", [["go1.26.7.linux-arm64.tar.gz", SUM_AMD64]]],
    ]);
  });

  test("a relative path with no known working directory is unreadable, never guessed", () => {
    expect(dockerBuildDockerfiles({ context: { location: "app" } }, { projectDir: undefined }).map((d) => d.unreadable)).toEqual([
      'the default Dockerfile of context.location "app" (app/Dockerfile) is relative to the program\'s working directory, which the policy pack cannot locate',
    ]);
  });
});

describe("a docker-build Image is judged exactly as docker.Images of each of its platforms", () => {
  const FIXTURES = path.join(__dirname, "../fixtures/dockerfiles");
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".Dockerfile")).sort();
  const PLATFORMS = ["linux/amd64", "linux/arm64", "linux/386"];

  test("same facts per platform, by location or inline, for any fixture, build args and platform list (property)", () => {
    expect(files.length).toBeGreaterThan(15);
    const arg = fc.constantFrom("GO_VERSION", "GOSUMDB", "GOFLAGS", "GOPROXY", "TARGETARCH");
    const val = fc.constantFrom("1.26.7", "1.26", "off", "-mod=mod", "direct", "arm64");
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.dictionary(arg, val, { maxKeys: 3 }), fc.subarray(PLATFORMS, { minLength: 1 }), fc.boolean(), (file, args, platforms, inline) => {
        const abs = path.join(FIXTURES, file);
        const dockerfile = inline ? { inline: fs.readFileSync(abs, "utf8") } : { location: abs };
        const reads = dockerBuildDockerfiles({ context: { location: FIXTURES }, dockerfile, buildArgs: args, platforms }, { projectDir: work });
        expect(reads.map((r) => (r.unreadable === undefined ? r.platform : r.unreadable))).toEqual(platforms);
        for (const r of reads) {
          const single = imageDockerfile({ build: { context: FIXTURES, dockerfile: abs, args, platform: r.unreadable === undefined ? r.platform : undefined } }, { projectDir: work })!;
          expect(r.facts).toEqual(single.facts);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("the working directory Pulumi runs a program in", () => {
  test.each<[string, string | undefined]>([
    ["name: goguard\nmain: stacks/\nstackConfigDir: stacks\n", "stacks/"],
    ["name: x\nmain: 'src/index.ts' # the entry\n", "src/index.ts"],
    ['name: x\nmain: "app"\n', "app"],
    ["name: x\nruntime: nodejs\n", undefined],
    ["name: x\nruntime:\n  options:\n    main: nested\n", undefined],
  ])("pulumiMain(%j) = %j", (yaml, main) => {
    expect(pulumiMain(yaml)).toBe(main);
  });

  test("pulumiMain reads back any plain, single- or double-quoted main among other keys (property)", () => {
    const value = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_./-]{0,30}$/);
    fc.assert(
      fc.property(value, fc.constantFrom("plain", "single", "double"), fc.boolean(), (v, q, before) => {
        const written = q === "plain" ? v : q === "single" ? `'${v}'` : `"${v}"`;
        const yaml = before ? `name: p\nmain: ${written}\nruntime: nodejs\n` : `runtime: nodejs\nmain: ${written}\n`;
        expect(pulumiMain(yaml)).toBe(v);
      }),
    );
  });

  test("a main directory is the working directory; a main file, its directory; none, the project", () => {
    expect(programWorkDir(work, "app")).toBe(path.join(work, "app"));
    expect(programWorkDir(work, "build.Dockerfile")).toBe(work);
    expect(programWorkDir(work, "app/Dockerfile")).toBe(path.join(work, "app"));
    expect(programWorkDir(work, undefined)).toBe(work);
  });
});

describe("copies and pulled images", () => {
  test.each<[string, boolean]>([
    ["FROM docker.io/gomods/athens:v0.18.1\n", true],
    ["# syntax=docker/dockerfile:1\n# a mirror\nFROM docker.io/gomods/athens:v0.18.1\n", true],
    ["FROM docker.io/gomods/athens:v0.18.1\nUSER 1000\n", false],
    [`${BASE}RUN true\n`, false],
    ["RUN true\n", false],
  ])("isPureCopy(%j) = %j", (text, copy) => {
    expect(isPureCopy(text)).toBe(copy);
  });

  test("a copy's FROM is marked as such; a RemoteImage's name is an image use", () => {
    expect(imageUses(DOCKER_BUILD_IMAGE, { dockerfile: { inline: "FROM docker.io/gomods/athens:v0.18.1\n" }, platforms: ["linux/amd64", "linux/arm64"] })).toEqual([
      { ref: "docker.io/gomods/athens:v0.18.1", where: "dockerfile.inline line 1 (FROM)", copy: true },
    ]);
    expect(imageUses(REMOTE_IMAGE, { name: "golang:1.26", keepLocally: true })).toEqual([{ ref: "golang:1.26", where: "name" }]);
  });
});

describe("the offline harness, in preview", () => {
  test("a docker-build Image: digest and contextHash unknown (nothing is built offline), ref its first tag (what the provider returns without a build)", async () => {
    const { runProgram } = await import("../../cli/harness/program");
    const program = path.join(work, "program.ts");
    fs.writeFileSync(
      program,
      [
        'import * as dockerbuild from "@pulumi/docker-build";',
        `new dockerbuild.Image("img", { tags: ["registry.corp.example/x:1"], context: { location: ${JSON.stringify(path.join(work, "app"))} }, platforms: ["linux/amd64"], push: true });`,
        "",
      ].join("\n"),
    );
    // The program imports @pulumi/docker-build from the project's node_modules.
    fs.symlinkSync(path.join(__dirname, "../../node_modules"), path.join(work, "node_modules"));
    const r = await runProgram({ programFile: program, project: "goguard", stack: "prod", config: {}, secretKeys: [] });
    const img = r.resources.find((x) => x.type === "docker-build:index:Image")!;
    const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    expect({ digest: img.outputs.digest, contextHash: img.outputs.contextHash, ref: img.outputs.ref }).toEqual({ digest: UNKNOWN, contextHash: UNKNOWN, ref: "registry.corp.example/x:1" });
  }, 60_000);
});

describe("the build target: BuildKit builds the target stage and the stages it needs, and the image is that stage", () => {
  const BASE = "debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";
  const text = [
    `FROM ${BASE} AS tools`, // 1
    "RUN GOFLAGS=-insecure go build ./tools", // 2
    `FROM ${BASE} AS cache`, // 3
    "RUN GOSUMDB=off go mod download", // 4
    `FROM ${BASE} AS dev`, // 5
    "ENV GOSUMDB=off", // 6
    `FROM ${BASE} AS app`, // 7
    "COPY --from=tools /out /out", // 8
    "RUN --mount=type=cache,from=cache,target=/go go build ./...", // 9
    `FROM ${BASE} AS debug`, // 10
    "RUN GOTOOLCHAIN=auto go test ./...", // 11
    "",
  ].join("\n");
  const where = (target?: string): string[] => dockerfileFacts(text, {}, target !== undefined ? { target } : {}).goSources.map((g) => g.where);

  test.each([
    ["app", ["Dockerfile line 2 (RUN go build)", "Dockerfile line 4 (RUN go mod)", "Dockerfile line 9 (RUN go build)"]],
    ["APP", ["Dockerfile line 2 (RUN go build)", "Dockerfile line 4 (RUN go mod)", "Dockerfile line 9 (RUN go build)"]],
    ["dev", ["Dockerfile target stage dev (FROM at line 5, the image's environment)"]],
    ["tools", ["Dockerfile line 2 (RUN go build)"]],
  ])("target %s: only the needed stages' runs, and the target's own environment", (target, wheres) => {
    expect(where(target)).toEqual(wheres);
    expect(dockerfileFacts(text, {}, { target }).missingTarget).toBeUndefined();
  });

  test("no target: every stage is judged (fail closed) and the last one is the image", () => {
    expect(where()).toEqual(["Dockerfile line 2 (RUN go build)", "Dockerfile line 4 (RUN go mod)", "Dockerfile line 9 (RUN go build)", "Dockerfile line 11 (RUN go test)"]);
  });

  test("a target naming no stage is reported with the stage names, and every stage is still judged", () => {
    const facts = dockerfileFacts(text, {}, { target: "release" });
    expect(facts.missingTarget).toEqual({ target: "release", stages: ["tools", "cache", "dev", "app", "debug"] });
    expect(facts.goSources.map((g) => g.where)).toEqual(where());
  });

  test("the target stage's environment is judged even with no RUN in it", () => {
    expect(dockerfileFacts(text, {}, { target: "dev" }).goSources).toEqual([{ where: "Dockerfile target stage dev (FROM at line 5, the image's environment)", line: 5, settings: { GOSUMDB: "off" } }]);
  });
});

describe("ONBUILD: a trigger runs in every image built FROM this one and is read like the instruction it wraps", () => {
  test.each([
    ["ONBUILD RUN GOSUMDB=off go build ./...", [{ where: "Dockerfile line 2 (ONBUILD (runs in images built FROM this one) RUN go build)", line: 2, settings: { GOSUMDB: "off" } }]],
    ["onbuild run GOFLAGS=-insecure go get ./...", [{ where: "Dockerfile line 2 (ONBUILD (runs in images built FROM this one) RUN go get)", line: 2, settings: { GOFLAGS: "-insecure" } }]],
    ["ONBUILD COPY . /src", []],
    ["RUN GOSUMDB=off go build ./...", [{ where: "Dockerfile line 2 (RUN go build)", line: 2, settings: { GOSUMDB: "off" } }]],
  ])("%s", (instruction, sources) => {
    expect(dockerfileFacts(`FROM debian:bookworm-slim\n${instruction}\n`, {}).goSources).toEqual(sources);
  });
});

describe("docker.Image build.target and docker-build target reach the reader", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-target-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const text = "FROM debian:bookworm-slim AS dev\nENV GOSUMDB=off\nFROM debian:bookworm-slim AS prod\nENV GOSUMDB=sum.golang.org\n";
  fs.writeFileSync(path.join(dir, "Dockerfile"), text);

  test.each([
    ["dev", { GOSUMDB: "off" }, "Dockerfile target stage dev (FROM at line 1, the image's environment)"],
    ["prod", { GOSUMDB: "sum.golang.org" }, "Dockerfile final stage (FROM at line 3, the image's environment)"],
  ])("target %s", (target, settings, where) => {
    const viaDocker = imageDockerfile({ build: { context: dir, dockerfile: path.join(dir, "Dockerfile"), target } }, { projectDir: dir });
    const viaBuild = dockerBuildDockerfiles({ context: { location: dir }, dockerfile: { inline: text }, target }, { projectDir: dir });
    expect(viaDocker?.facts.goSources).toEqual([{ where, line: where.includes("line 1") ? 1 : 3, settings }]);
    expect(viaBuild.map((d) => d.facts.goSources)).toEqual([[{ where, line: where.includes("line 1") ? 1 : 3, settings }]]);
  });
});
