// GoBuildImage and MirroredImage under Pulumi mocks: every registered resource and its inputs
// (platforms, cache, registry credentials, buildOnPreview, relative paths, immutable tags), the
// refusals before any child exists, and the pure pieces (paths, tags, validation). What a mock
// cannot prove: that BuildKit builds the image (test/image does, with buildah), that ECR accepts the
// push and the cache export, and the provider's own Check normalisation.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { recordResources, outputOf, settled, Recorded } from "../helpers/mocks";
import { GoBuildImage, GoBuildImageArgs, pinBuildArgs } from "../../components/build-image";
import { renderBuilderDockerfile } from "../../components/build-image/dockerfile";
import { buildPathProblems, providerPath, writeBuildContext } from "../../components/build-image/context";
import { copyTag, imageTag } from "../../components/build-image/tag";
import { ecrRegistry, hardenedRepository } from "../../components/build-image/ecr";
import { copyDockerfile, MirroredImage, MirroredImageArgs, mirroredImageProblems } from "../../components/module-proxy/mirror";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { parseLock } from "../../components/toolchain/lock";
import { environmentPolicy, resolveToolchain } from "../../components/toolchain/toolchain";
import { resolveGoEnvBaseline } from "../../components/toolchain/goenv";
import { tempDir } from "../helpers/catalog-fixtures";

const rec = recordResources();
const catalog = bundledCatalog();
const lock = parseLock(JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8")));
const PROXY = "http://athens.goproxy.svc.cluster.local";
const DEBIAN = "debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";
const ECR_HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const SUM_AMD64 = "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca";
const SUM_ARM64 = "5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37";
/** A secret value as the engine receives it (the wire form's secret signature). */
const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

/** A checkout: a program directory (Pulumi's working directory) and its build output beside it. */
function checkout(): { workDir: string; outDir: string } {
  const root = tempDir("checkout");
  return { workDir: path.join(root, "stacks"), outDir: path.join(root, ".goguard-build", "env") };
}
const paths = checkout();

type Env = "dev" | "staging" | "prod";
function argsFor(env: Env, over: Partial<GoBuildImageArgs> = {}): GoBuildImageArgs {
  return {
    toolchain: resolveToolchain(lock, env, catalog),
    goEnv: resolveGoEnvBaseline({ proxyUrl: PROXY, privatePrefixes: ["git.corp.example"] }),
    policy: environmentPolicy(lock, env, { proxies: [PROXY], privatePrefixes: ["git.corp.example"] }),
    baseImages: { toolchain: DEBIAN, builder: DEBIAN },
    registry: env === "dev" ? { kind: "local", repository: "goguard/builder" } : { kind: "ecr", repositoryName: `goguard-builder-${env}`, protect: env === "prod" },
    ...paths,
    ...over,
  };
}

function since(n: number): Recorded[] {
  return rec.resources.slice(n);
}
const named = (list: Recorded[], name: string): Recorded => {
  const r = list.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name}; registered: ${list.map((x) => x.name).join(", ")}`);
  return r;
};

const BASELINE_ARGS = {
  BUILDER_BASE: DEBIAN,
  CGO_ENABLED: "0",
  GOFLAGS: "-mod=readonly -trimpath",
  GONOPROXY: "none",
  GONOSUMDB: "git.corp.example",
  GOPRIVATE: "git.corp.example",
  GOPROXY: PROXY,
  GOSUMDB: `sum.golang.org ${PROXY}/sumdb/sum.golang.org`,
  GOTOOLCHAIN: "local",
  GO_MIRROR: "https://dl.google.com/go/",
  GO_SHA256_LINUX_AMD64: SUM_AMD64,
  GO_SHA256_LINUX_ARM64: SUM_ARM64,
  GO_VERSION: "1.26.7",
  TOOLCHAIN_BASE: DEBIAN,
};

describe("GoBuildImage", () => {
  test("staging: the ECR repository, its lifecycle policy and ONE multi-platform docker-build Image with cache, credentials and relative paths", async () => {
    const n = rec.resources.length;
    const img = new GoBuildImage("builder-staging", argsFor("staging"));
    const ref = await outputOf(img.imageRef);
    const digests = await outputOf(img.repoDigests);
    await settled();
    const created = since(n);
    // The exact set (registration order follows output resolution, not code order).
    expect(created.map((r) => `${r.type} ${r.name}`).sort()).toEqual(
      [
        "goguard:index:GoBuildImage builder-staging",
        "aws:ecr/repository:Repository builder-staging-repo",
        "aws:ecr/lifecyclePolicy:LifecyclePolicy builder-staging-lifecycle",
        "docker-build:index:Image builder-staging-image",
      ].sort(),
    );
    expect(named(created, "builder-staging-repo").inputs).toEqual({
      name: "goguard-builder-staging",
      // Only the build-cache tag is mutable: BuildKit rewrites it on every build, previews included.
      imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
      imageTagMutabilityExclusionFilters: [{ filter: "buildcache", filterType: "WILDCARD" }],
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS" }],
      forceDelete: false,
    });
    const image = named(created, "builder-staging-image").inputs;
    const dir = writeBuildContext(paths.outDir, { Dockerfile: await outputOf(img.dockerfile), "go-signing-key.asc": fs.readFileSync(path.join(__dirname, "../../components/build-image/go-signing-key.asc")) });
    const rel = `../.goguard-build/env/${path.basename(dir)}`;
    const tag = image.tags[0].split(":").pop();
    expect(tag).toMatch(/^go1\.26\.7-[0-9a-f]{12}$/);
    expect(image).toEqual({
      tags: [`${ECR_HOST}/goguard-builder-staging:${tag}`],
      context: { location: rel },
      dockerfile: { location: `${rel}/Dockerfile` },
      platforms: ["linux/amd64", "linux/arm64"],
      buildArgs: BASELINE_ARGS,
      buildOnPreview: true,
      push: true,
      cacheFrom: [{ registry: { ref: `${ECR_HOST}/goguard-builder-staging:buildcache` } }],
      cacheTo: [{ registry: { ref: `${ECR_HOST}/goguard-builder-staging:buildcache`, mode: "max", imageManifest: true, ociMediaTypes: true } }],
      // The credentials come from aws.ecr.getAuthorizationToken (the mock's token is "mock-token");
      // the list reaches the engine as a secret because the password is one.
      registries: secret([{ address: ECR_HOST, username: "AWS", password: "mock-token" }]),
      network: "default",
    });
    expect(rec.invokes).toContain("aws:ecr/getAuthorizationToken:getAuthorizationToken");
    // One manifest list serves every platform, handed on by digest.
    expect(ref).toMatch(new RegExp(`^${ECR_HOST.replace(/\./g, "\\.")}/goguard-builder-staging@sha256:[0-9a-f]{64}$`));
    expect(digests).toEqual({ "linux/amd64": ref, "linux/arm64": ref });
    expect(fs.readFileSync(path.join(paths.workDir, image.dockerfile.location), "utf8")).toBe(await outputOf(img.dockerfile));
  });

  test("the ECR credentials: the registry host, user AWS, and the token as a secret", async () => {
    const parent = new pulumi.ComponentResource("test:index:Parent", "secret-parent");
    const repo = hardenedRepository("secret-repo", "goguard-secret", { protect: false, retainOnDelete: true, mutableBuildCache: false }, parent);
    const reg = ecrRegistry(repo, parent);
    expect({ address: await outputOf(reg.address), username: await outputOf(reg.username), password: await outputOf(reg.password) }).toEqual({ address: ECR_HOST, username: "AWS", password: "mock-token" });
    expect(await (reg.password as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
    await settled();
  });

  test("prod: the same shape from prod's lock entry (its platforms, its one version)", async () => {
    const n = rec.resources.length;
    new GoBuildImage("builder-prod", argsFor("prod"));
    await settled();
    const image = named(since(n), "builder-prod-image").inputs;
    expect({ platforms: image.platforms, version: image.buildArgs.GO_VERSION, tag: image.tags[0].replace(/[0-9a-f]{12}$/, "<hash>") }).toEqual({ platforms: ["linux/amd64", "linux/arm64"], version: "1.26.7", tag: `${ECR_HOST}/goguard-builder-prod:go1.26.7-<hash>` });
  });

  test("local registry: built (also in preview) but never pushed; no registry resources, no cache, no credentials; the ref is the tag", async () => {
    const n = rec.resources.length;
    const img = new GoBuildImage("builder-dev", argsFor("dev"));
    const ref = await outputOf(img.imageRef);
    await settled();
    const created = since(n);
    expect(created.map((r) => `${r.type} ${r.name}`).sort()).toEqual(["docker-build:index:Image builder-dev-image", "goguard:index:GoBuildImage builder-dev"]);
    const image = named(created, "builder-dev-image").inputs;
    expect({ push: image.push, exports: image.exports, cacheFrom: image.cacheFrom, cacheTo: image.cacheTo, registries: image.registries, buildOnPreview: image.buildOnPreview }).toEqual({
      push: false,
      exports: [{ cacheonly: {} }],
      cacheFrom: undefined,
      cacheTo: undefined,
      registries: undefined,
      buildOnPreview: true,
    });
    expect(ref).toBe(image.tags[0]);
    expect(ref).toMatch(/^goguard\/builder:go1\.26\.7-[0-9a-f]{12}$/);
    const a = argsFor("dev");
    expect(await outputOf(img.dockerfile)).toBe(
      renderBuilderDockerfile({ goVersion: "1.26.7", archives: a.toolchain.archives, mirror: "https://dl.google.com/go/", verifySignature: true, toolchainBase: DEBIAN, builderBase: DEBIAN, goEnv: a.goEnv, uid: 65532, labels: { version: "1.26.7" } }),
    );
  });

  test("an external registry: cache beside the images, credentials only when a password is given (as a secret)", async () => {
    const n = rec.resources.length;
    new GoBuildImage("builder-ext", argsFor("staging", { registry: { kind: "external", server: "registry.corp.example", repository: "platform/go-builder", username: "robot", password: "s3cret" } }));
    await settled();
    const image = named(since(n), "builder-ext-image").inputs;
    expect({ registries: image.registries, cacheFrom: image.cacheFrom, tag: image.tags[0].replace(/[0-9a-f]{12}$/, "<hash>") }).toEqual({
      registries: secret([{ address: "registry.corp.example", username: "robot", password: "s3cret" }]),
      cacheFrom: [{ registry: { ref: "registry.corp.example/platform/go-builder:buildcache" } }],
      tag: "registry.corp.example/platform/go-builder:go1.26.7-<hash>",
    });
  });

  test("two checkouts at different absolute paths give byte-identical image inputs (no rebuild, no re-push onto an immutable tag)", async () => {
    const n = rec.resources.length;
    const a = checkout();
    const b = checkout();
    expect(a.workDir).not.toBe(b.workDir);
    new GoBuildImage("where-a", argsFor("staging", { ...a, registry: { kind: "ecr", repositoryName: "goguard-builder-where" } }));
    new GoBuildImage("where-b", argsFor("staging", { ...b, registry: { kind: "ecr", repositoryName: "goguard-builder-where" } }));
    await settled();
    const ia = named(since(n), "where-a-image").inputs;
    const ib = named(since(n), "where-b-image").inputs;
    expect(JSON.stringify(ib)).toBe(JSON.stringify(ia));
    expect(JSON.stringify(ia)).not.toContain(path.dirname(a.workDir));
    expect(ia.context.location).toMatch(/^\.\.\/\.goguard-build\/env\/[0-9a-f]{16}$/);
    // And both contexts exist, with the same files.
    expect(fs.readdirSync(path.join(a.workDir, ia.context.location)).sort()).toEqual(["Dockerfile", "go-signing-key.asc"]);
    expect(fs.readdirSync(path.join(b.workDir, ib.context.location)).sort()).toEqual(["Dockerfile", "go-signing-key.asc"]);
  });

  test("the tag changes exactly when the material that invalidates the image changes", async () => {
    const n = rec.resources.length;
    new GoBuildImage("tag-a", argsFor("dev"));
    new GoBuildImage("tag-b", argsFor("dev"));
    new GoBuildImage("tag-c", argsFor("dev", { goEnv: { ...argsFor("dev").goEnv, GOFLAGS: "-mod=vendor -trimpath" } }));
    const t = resolveToolchain(lock, "dev", catalog);
    new GoBuildImage("tag-d", argsFor("dev", { toolchain: { ...t, platforms: ["linux/amd64"], archives: t.archives.filter((x) => x.platform === "linux/amd64") } }));
    await settled();
    const tags = Object.fromEntries(since(n).filter((r) => r.type === "docker-build:index:Image").map((r) => [r.name, r.inputs.tags[0].split(":").pop()]));
    expect(tags["tag-a-image"]).toBe(tags["tag-b-image"]);
    expect(new Set([tags["tag-a-image"], tags["tag-c-image"], tags["tag-d-image"]]).size).toBe(3);
  });

  const bad = async (env: Env, over: Partial<GoBuildImageArgs>): Promise<string> => {
    const n = rec.resources.length;
    let message: string | undefined;
    try {
      new GoBuildImage(`bad-${env}`, argsFor(env, over));
    } catch (err) {
      expect(err).toBeInstanceOf(pulumi.ResourceError);
      message = (err as Error).message;
    }
    await settled();
    // Only the component itself was registered (by its super() call): no child exists.
    expect(since(n).map((r) => r.type)).toEqual(["goguard:index:GoBuildImage"]);
    if (message === undefined) throw new Error("expected a ResourceError");
    return message;
  };

  test.each<[string, Env, () => Partial<GoBuildImageArgs>, string]>([
    ["a version that is not an exact release", "prod", () => ({ toolchain: { ...resolveToolchain(lock, "prod", catalog), version: "1.26" } }), 'GoBuildImage bad-prod: goVersion: "1.26" is a minor series, not a release: pin a patch such as 1.26.7'],
    ["a version the lock does not allow", "prod", () => ({ toolchain: { ...resolveToolchain(lock, "prod", catalog), version: "1.27.0" } }), [
      "GoBuildImage bad-prod: goVersion: 1.27.0 is not allowed in prod (the lock allows 1.26.7); promote it through staging with `goguard lock promote staging prod --version 1.27.0`",
      `archives[linux/amd64].sha256: the checksum for go1.27.0.linux-amd64.tar.gz is ${SUM_AMD64}, but the catalog's is 675c26c449cbb18fc24b74650de1eabbae6e16f64326fd85a283fb3b58280685. Use the catalog's sha256 for go1.27.0.linux-amd64.tar.gz; if it came from the toolchain lock, the lock is wrong: \`goguard lock verify\` names the entry (never edit checksums by hand).`,
      `archives[linux/arm64].sha256: the checksum for go1.27.0.linux-arm64.tar.gz is ${SUM_ARM64}, but the catalog's is 51798d2c42d0e1c6ed7fd9f48728b4193abac9e8aad6dbac2fe96a81f5909bda. Use the catalog's sha256 for go1.27.0.linux-arm64.tar.gz; if it came from the toolchain lock, the lock is wrong: \`goguard lock verify\` names the entry (never edit checksums by hand).`,
    ].join("\n")],
    ["a checksum that disagrees with the catalog", "staging", () => {
      const t = resolveToolchain(lock, "staging", catalog);
      return { toolchain: { ...t, archives: [{ ...t.archives[0], sha256: "0".repeat(64) }, t.archives[1]] } };
    }, `GoBuildImage bad-staging: archives[linux/amd64].sha256: the checksum for go1.26.7.linux-amd64.tar.gz is ${"0".repeat(64)}, but the catalog's is ${SUM_AMD64}. Use the catalog's sha256 for go1.26.7.linux-amd64.tar.gz; if it came from the toolchain lock, the lock is wrong: \`goguard lock verify\` names the entry (never edit checksums by hand).`],
    ["a base image without digest (requirePinnedBases defaults to true)", "staging", () => ({ baseImages: { toolchain: "debian:bookworm-slim", builder: DEBIAN } }), 'GoBuildImage bad-staging: baseImages.toolchain: "debian:bookworm-slim" has no digest; with requirePinnedBases every base is pinned as name@sha256:<digest> (resolve it with `goguard lock resolve-images`)'],
    ["an unknown platform", "dev", () => {
      const t = resolveToolchain(lock, "dev", catalog);
      return { toolchain: { ...t, archives: [{ ...t.archives[0], platform: "linux/sparc" }] } };
    }, 'GoBuildImage bad-dev: platforms: "linux/sparc" has no Go 1.26.7 archive; platforms with one include: linux/386, linux/amd64, linux/arm64, linux/armv6l, linux/loong64, linux/mips, linux/mips64, linux/mips64le, linux/mipsle, linux/ppc64, linux/ppc64le, linux/riscv64, linux/s390x'],
    ["the audit's shell-injecting archive filename", "prod", () => {
      const t = resolveToolchain(lock, "prod", catalog);
      return { toolchain: { ...t, archives: [{ ...t.archives[0], filename: "go1.26.7.linux-amd64.tar.gz; sha256sum() { :; }; x=" }, t.archives[1]] } };
    }, 'GoBuildImage bad-prod: archives[0].filename: "go1.26.7.linux-amd64.tar.gz; sha256sum() { :; }; x=" is not "go1.26.7.linux-amd64.tar.gz", the archive go.dev publishes for Go 1.26.7 on linux/amd64; take it from the toolchain lock'],
    ["a label with a newline (would end the LABEL instruction)", "dev", () => ({ labels: { source: "https://git.corp.example/x\nRUN id" } }), 'GoBuildImage bad-dev: labels.source: "https://git.corp.example/x\\nRUN id" must be printable ASCII on one line, at most 300 characters'],
    ["a plain-http mirror without allowHttpMirror", "prod", () => ({ mirror: "http://mirror.corp.example/go/" }), 'GoBuildImage bad-prod: mirror: "http://mirror.corp.example/go/" must be an https:// URL ending in "/" (plain http only with allowHttpMirror, for a local test mirror); use https://dl.google.com/go/ or an internal https mirror'],
    ["Go settings that fail the shared rules", "prod", () => ({ goEnv: { ...argsFor("prod").goEnv, GOSUMDB: "off" } }), "GoBuildImage bad-prod: goEnv.GOSUMDB: GOSUMDB=off turns off checksum verification of every module not already in go.sum. Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."],
    ["a relative workDir (would make the provider's paths depend on where pulumi runs)", "staging", () => ({ workDir: "stacks" }), 'GoBuildImage bad-staging: workDir: "stacks" is not an absolute path; give it as path.resolve(...) in the stack program (the component hands the provider paths relative to workDir)'],
  ])("refuses %s before creating any child", async (_n, env, over, message) => {
    expect(await bad(env, over())).toBe(message);
  });

  test("signatures: the vendored Go key sits in the build context the Dockerfile COPYs it from", async () => {
    const n = rec.resources.length;
    new GoBuildImage("signed", argsFor("dev"));
    await settled();
    const image = named(since(n), "signed-image").inputs;
    const context = path.join(paths.workDir, image.context.location);
    const key = fs.readFileSync(path.join(context, "go-signing-key.asc"));
    expect(createHash("sha256").update(key).digest("hex")).toBe("54dea5f6c2a26091578cf52a999cebc6b64df478d37ad4dce96376b711e3b27c");
    expect(fs.readFileSync(path.join(paths.workDir, image.dockerfile.location), "utf8")).toContain("COPY go-signing-key.asc /tmp/go-signing-key.asc\n");
  });

  test("knobs instead of an environment: a tag-only base with requirePinnedBases false, a plain-http mirror with allowHttpMirror, buildOnPreview off", async () => {
    const n = rec.resources.length;
    new GoBuildImage("knobs", argsFor("staging", { baseImages: { toolchain: "debian:bookworm-slim", builder: "debian:bookworm-slim" }, requirePinnedBases: false, mirror: "http://mirror.corp.example/go/", allowHttpMirror: true, buildOnPreview: false }));
    await settled();
    const image = named(since(n), "knobs-image").inputs;
    expect({ buildOnPreview: image.buildOnPreview, mirror: image.buildArgs.GO_MIRROR, base: image.buildArgs.BUILDER_BASE }).toEqual({ buildOnPreview: false, mirror: "http://mirror.corp.example/go/", base: "debian:bookworm-slim" });
  });
});

describe("MirroredImage", () => {
  const SOURCE = "docker.io/gomods/athens:v0.18.1";
  const mirrorArgs = (over: Partial<MirroredImageArgs> = {}): MirroredImageArgs => ({ source: SOURCE, repositoryName: "goguard/athens-staging", platforms: ["linux/arm64", "linux/amd64"], paths, ...over });

  test("the copy: a hardened immutable repository and a docker-build Image of `FROM <source>` for every platform, pushed with ECR credentials", async () => {
    const n = rec.resources.length;
    const m = new MirroredImage("athens", mirrorArgs());
    const ref = await outputOf(m.imageRef);
    await settled();
    const created = since(n);
    expect(created.map((r) => `${r.type} ${r.name}`).sort()).toEqual(["aws:ecr/repository:Repository athens-repo", "docker-build:index:Image athens-copy", "goguard:index:MirroredImage athens"]);
    expect(named(created, "athens-repo").inputs).toEqual({ name: "goguard/athens-staging", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: "KMS" }], forceDelete: false });
    const image = named(created, "athens-copy").inputs;
    const rel = image.context.location as string;
    expect(rel).toMatch(/^\.\.\/\.goguard-build\/env\/[0-9a-f]{16}$/);
    expect(image).toEqual({
      tags: [`${ECR_HOST}/goguard/athens-staging:${copyTag(SOURCE, ["linux/amd64", "linux/arm64"])}`],
      context: { location: rel },
      dockerfile: { location: `${rel}/Dockerfile` },
      platforms: ["linux/amd64", "linux/arm64"],
      push: true,
      buildOnPreview: true,
      registries: secret([{ address: ECR_HOST, username: "AWS", password: "mock-token" }]),
      network: "default",
    });
    expect(fs.readFileSync(path.join(paths.workDir, image.dockerfile.location), "utf8")).toBe("FROM docker.io/gomods/athens:v0.18.1\n");
    expect(fs.readdirSync(path.join(paths.workDir, rel))).toEqual(["Dockerfile"]);
    expect(ref).toMatch(new RegExp(`^${ECR_HOST.replace(/\./g, "\\.")}/goguard/athens-staging@sha256:[0-9a-f]{64}$`));
  });

  test("a resolved source is copied by digest, under a new tag; source-registry credentials are added as a secret", async () => {
    const n = rec.resources.length;
    const pinned = `${SOURCE}@sha256:${"a".repeat(64)}`;
    new MirroredImage("athens-pinned", mirrorArgs({ source: pinned, repositoryName: "goguard/athens-pinned", sourceRegistry: { address: "docker.io", username: "bot", password: "hub-token" } }));
    await settled();
    const image = named(since(n), "athens-pinned-copy").inputs;
    expect(fs.readFileSync(path.join(paths.workDir, image.dockerfile.location), "utf8")).toBe(`FROM ${pinned}\n`);
    expect(image.tags[0].split(":").pop()).toBe(copyTag(pinned, ["linux/amd64", "linux/arm64"]));
    expect(image.tags[0].split(":").pop()).not.toBe(copyTag(SOURCE, ["linux/amd64", "linux/arm64"]));
    expect(image.registries).toEqual(secret([{ address: ECR_HOST, username: "AWS", password: "mock-token" }, { address: "docker.io", username: "bot", password: "hub-token" }]));
  });

  test.each<[string, Partial<MirroredImageArgs>, string]>([
    ["a source without tag or digest", { source: "docker.io/gomods/athens" }, 'MirroredImage bad-mirror: source: "docker.io/gomods/athens" has neither tag nor digest (it means latest); name the release, e.g. docker.io/gomods/athens:v0.18.1'],
    ["no platforms", { platforms: [] }, "MirroredImage bad-mirror: platforms: empty; give the environment's locked platforms, e.g. linux/amd64"],
    ["an upper-case repository name", { repositoryName: "GoGuard/Athens" }, 'MirroredImage bad-mirror: repositoryName: "GoGuard/Athens" is not an ECR repository name (lowercase, digits, . _ - and /)'],
  ])("refuses %s before creating any child", async (_n, over, message) => {
    const n = rec.resources.length;
    expect(() => new MirroredImage("bad-mirror", mirrorArgs(over))).toThrow(message);
    await settled();
    expect(since(n).map((r) => r.type)).toEqual(["goguard:index:MirroredImage"]);
    expect(mirroredImageProblems(mirrorArgs(over))).toEqual([message.replace("MirroredImage bad-mirror: ", "")]);
  });
});

describe("pure pieces", () => {
  test("pinBuildArgs: every pin and setting, sorted, and no per-platform archive name (the Dockerfile picks it per TARGETARCH)", () => {
    const a = argsFor("staging");
    expect(pinBuildArgs(a.toolchain, "https://dl.google.com/go/", a.baseImages, a.goEnv)).toEqual(BASELINE_ARGS);
    expect(Object.keys(pinBuildArgs(a.toolchain, "https://dl.google.com/go/", a.baseImages, a.goEnv))).toEqual(Object.keys(BASELINE_ARGS).sort());
  });

  test.each<[string, string, string]>([
    ["/r/stacks", "/r/.goguard-build/prod/0123456789abcdef", "../.goguard-build/prod/0123456789abcdef"],
    ["/r", "/r/.goguard-build/prod", ".goguard-build/prod"],
    ["/r/stacks", "/r/stacks", "."],
  ])("providerPath(%s, %s) = %s", (workDir, abs, rel) => {
    expect(providerPath(workDir, abs)).toBe(rel);
  });

  test("providerPath depends only on the layout, never on where the checkout lives (property)", () => {
    const seg = fc.stringMatching(/^[a-z0-9_-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 4 }), fc.array(seg, { minLength: 1, maxLength: 4 }), fc.array(seg, { maxLength: 3 }), fc.array(seg, { maxLength: 3 }), (rootA, rootB, work, out) => {
        const a = path.join("/", ...rootA);
        const b = path.join("/", ...rootB);
        expect(providerPath(path.join(a, ...work), path.join(a, ...out))).toBe(providerPath(path.join(b, ...work), path.join(b, ...out)));
      }),
    );
  });

  test("buildPathProblems names both relative directories", () => {
    expect(buildPathProblems({ workDir: "stacks", outDir: ".goguard-build" })).toEqual([
      'workDir: "stacks" is not an absolute path; give it as path.resolve(...) in the stack program (the component hands the provider paths relative to workDir)',
      'outDir: ".goguard-build" is not an absolute path; give it as path.resolve(...) in the stack program (the component hands the provider paths relative to workDir)',
    ]);
    expect(buildPathProblems({ workDir: "/r/stacks", outDir: "/r/.goguard-build" })).toEqual([]);
  });

  test("writeBuildContext: the same files, the same directory holding only them; other files, another directory", () => {
    const out = tempDir("ctx");
    const a = writeBuildContext(out, { Dockerfile: "FROM x\n" });
    expect(writeBuildContext(out, { Dockerfile: "FROM x\n" })).toBe(a);
    expect(fs.readdirSync(a)).toEqual(["Dockerfile"]);
    expect(writeBuildContext(out, { Dockerfile: "FROM y\n" })).not.toBe(a);
    expect(writeBuildContext(out, { Dockerfile: "FROM x\n", "key.asc": "k" })).not.toBe(a);
  });

  test("imageTag: never latest, go<version>-<12 hex>, independent of the order of build args and platforms", () => {
    const t1 = imageTag("1.26.7", ["linux/amd64", "linux/arm64"], "FROM x\n", { A: "1", B: "2" });
    expect(t1).toMatch(/^go1\.26\.7-[0-9a-f]{12}$/);
    expect(imageTag("1.26.7", ["linux/arm64", "linux/amd64"], "FROM x\n", { B: "2", A: "1" })).toBe(t1);
    expect(imageTag("1.26.7", ["linux/amd64"], "FROM x\n", { A: "1", B: "2" })).not.toBe(t1);
  });

  test.each<[string, RegExp]>([
    ["docker.io/gomods/athens:v0.18.1", /^v0\.18\.1-[0-9a-f]{12}$/],
    [`docker.io/gomods/athens:v0.18.1@sha256:${"b".repeat(64)}`, /^v0\.18\.1-[0-9a-f]{12}$/],
    [`registry.corp.example:5000/athens@sha256:${"b".repeat(64)}`, /^copy-[0-9a-f]{12}$/],
  ])("copyTag(%s) is a valid, content-derived tag", (source, shape) => {
    expect(copyTag(source, ["linux/amd64"])).toMatch(shape);
    expect(copyTag(source, ["linux/amd64"])).not.toBe(copyTag(source, ["linux/amd64", "linux/arm64"]));
  });

  test("copyDockerfile is exactly one FROM line", () => {
    expect(copyDockerfile("docker.io/gomods/athens:v0.18.1")).toBe("FROM docker.io/gomods/athens:v0.18.1\n");
  });
});
