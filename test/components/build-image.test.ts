import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { recordResources, outputOf, settled } from "../helpers/mocks";
import { GoBuildImage, GoBuildImageArgs } from "../../components/build-image";
import { renderBuilderDockerfile } from "../../components/build-image/dockerfile";
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
const outDir = tempDir("dockerfiles");

function argsFor(env: "dev" | "staging" | "prod", over: Partial<GoBuildImageArgs> = {}): GoBuildImageArgs {
  return {
    environment: env,
    toolchain: resolveToolchain(lock, env, catalog),
    goEnv: resolveGoEnvBaseline({ proxyUrl: PROXY, privatePrefixes: ["git.corp.example"] }),
    policy: environmentPolicy(lock, env, { proxies: [PROXY], privatePrefixes: ["git.corp.example"] }),
    baseImages: { toolchain: DEBIAN, builder: DEBIAN },
    registry: env === "dev" ? { kind: "local", repository: "goguard/builder" } : { kind: "ecr", repositoryName: `goguard-builder-${env}` },
    outDir,
    ...over,
  };
}

function since(n: number) {
  return rec.resources.slice(n);
}

describe("GoBuildImage", () => {
  test("staging: an ECR repository (immutable, scan on push, KMS), its lifecycle policy, one image per platform with every pin as build args", async () => {
    const n = rec.resources.length;
    const img = new GoBuildImage("builder-staging", argsFor("staging"));
    const digests = await outputOf(img.repoDigests);
    await settled();
    const created = since(n);
    // The exact set (registration order follows output resolution, not code order).
    expect(created.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "goguard:index:GoBuildImage builder-staging",
      "aws:ecr/repository:Repository builder-staging-repo",
      "aws:ecr/lifecyclePolicy:LifecyclePolicy builder-staging-lifecycle",
      "docker:index/image:Image builder-staging-linux-amd64",
      "docker:index/image:Image builder-staging-linux-arm64",
    ].sort());
    const byName = (n: string) => created.find((r) => r.name === n)!;
    expect(byName("builder-staging-repo").inputs).toMatchObject({ name: "goguard-builder-staging", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: "KMS" }], forceDelete: false });
    const amd = byName("builder-staging-linux-amd64").inputs;
    expect(amd.build.platform).toBe("linux/amd64");
    expect(amd.build.args).toEqual({
      BUILDER_BASE: DEBIAN,
      CGO_ENABLED: "0",
      GOFLAGS: "-mod=readonly -trimpath",
      GONOPROXY: "none",
      GONOSUMDB: "git.corp.example",
      GOPRIVATE: "git.corp.example",
      GOPROXY: PROXY,
      GOSUMDB: `sum.golang.org ${PROXY}/sumdb/sum.golang.org`,
      GOTOOLCHAIN: "local",
      GO_ARCHIVE: "go1.26.7.linux-amd64.tar.gz",
      GO_MIRROR: "https://dl.google.com/go/",
      GO_SHA256_LINUX_AMD64: "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca",
      GO_SHA256_LINUX_ARM64: "5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37",
      GO_VERSION: "1.26.7",
      TOOLCHAIN_BASE: DEBIAN,
    });
    expect(amd.imageName).toMatch(/^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/goguard-builder-staging:go1\.26\.7-linux-amd64-[0-9a-f]{12}$/);
    expect(amd.skipPush).toBe(false);
    expect(JSON.stringify(amd.registry)).toContain('"server":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/goguard-builder-staging"');
    expect(JSON.stringify(amd.registry)).toContain('"username":"AWS"');
    expect(rec.invokes).toContain("aws:ecr/getAuthorizationToken:getAuthorizationToken");
    expect(Object.keys(digests)).toEqual(["linux/amd64", "linux/arm64"]);
    for (const d of Object.values(digests)) expect(d).toMatch(/@sha256:[0-9a-f]{64}$/);
    const text = await outputOf(img.dockerfile);
    expect(fs.readFileSync(amd.build.dockerfile, "utf8")).toBe(text);
    expect(path.basename(path.dirname(amd.build.dockerfile))).toMatch(/^[0-9a-f]{16}$/);
  });

  test("dev: built locally, never pushed, no registry resources; the Dockerfile is the rendered one", async () => {
    const n = rec.resources.length;
    const img = new GoBuildImage("builder-dev", argsFor("dev"));
    await settled();
    const created = since(n);
    expect(created.map((r) => `${r.type} ${r.name}`).sort()).toEqual(["docker:index/image:Image builder-dev-linux-amd64", "docker:index/image:Image builder-dev-linux-arm64", "goguard:index:GoBuildImage builder-dev"]);
    const amd = created.find((r) => r.name === "builder-dev-linux-amd64")!;
    expect(amd.inputs.skipPush).toBe(true);
    expect(amd.inputs.registry).toBeUndefined();
    const a = argsFor("dev");
    expect(await outputOf(img.dockerfile)).toBe(
      renderBuilderDockerfile({ goVersion: "1.26.7", archives: a.toolchain.archives, mirror: "https://dl.google.com/go/", verifySignature: true, toolchainBase: DEBIAN, builderBase: DEBIAN, goEnv: a.goEnv, uid: 65532, labels: { version: "1.26.7" } }),
    );
  });

  test("the image tag changes exactly when the material that invalidates the image changes", async () => {
    const n = rec.resources.length;
    new GoBuildImage("tag-a", argsFor("dev"));
    new GoBuildImage("tag-b", argsFor("dev"));
    new GoBuildImage("tag-c", argsFor("dev", { goEnv: { ...argsFor("dev").goEnv, GOFLAGS: "-mod=vendor -trimpath" } }));
    await settled();
    const tags = since(n).filter((r) => r.type === "docker:index/image:Image" && r.inputs.build.platform === "linux/amd64").map((r) => String(r.inputs.imageName).split(":")[1]);
    expect(tags[0]).toBe(tags[1]);
    expect(tags[2]).not.toBe(tags[0]);
  });

  const bad = async (env: "dev" | "staging" | "prod", over: Partial<GoBuildImageArgs>): Promise<string> => {
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

  test.each<[string, "dev" | "staging" | "prod", () => Partial<GoBuildImageArgs>, string]>([
    ["a version that is not an exact release", "prod", () => ({ toolchain: { ...resolveToolchain(lock, "prod", catalog), version: "1.26" } }), 'GoBuildImage bad-prod: goVersion: "1.26" is a minor series, not a release: pin a patch such as 1.26.7'],
    ["a version the environment does not allow", "prod", () => ({ toolchain: { ...resolveToolchain(lock, "prod", catalog), version: "1.27.0" } }), [
      "GoBuildImage bad-prod: goVersion: 1.27.0 is not allowed in prod (the lock allows 1.26.7); promote it through staging with `goguard lock promote staging prod --version 1.27.0`",
      "archives[linux/amd64].sha256: the checksum for go1.27.0.linux-amd64.tar.gz is ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca, but the catalog's is 675c26c449cbb18fc24b74650de1eabbae6e16f64326fd85a283fb3b58280685. Use the catalog's sha256 for go1.27.0.linux-amd64.tar.gz; if it came from the toolchain lock, the lock is wrong: `goguard lock verify` names the entry (never edit checksums by hand).",
      "archives[linux/arm64].sha256: the checksum for go1.27.0.linux-arm64.tar.gz is 5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37, but the catalog's is 51798d2c42d0e1c6ed7fd9f48728b4193abac9e8aad6dbac2fe96a81f5909bda. Use the catalog's sha256 for go1.27.0.linux-arm64.tar.gz; if it came from the toolchain lock, the lock is wrong: `goguard lock verify` names the entry (never edit checksums by hand).",
    ].join("\n")],
    ["a checksum that disagrees with the catalog", "staging", () => {
      const t = resolveToolchain(lock, "staging", catalog);
      return { toolchain: { ...t, archives: [{ ...t.archives[0], sha256: "0".repeat(64) }, t.archives[1]] } };
    }, `GoBuildImage bad-staging: archives[linux/amd64].sha256: the checksum for go1.26.7.linux-amd64.tar.gz is ${"0".repeat(64)}, but the catalog's is ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca. Use the catalog's sha256 for go1.26.7.linux-amd64.tar.gz; if it came from the toolchain lock, the lock is wrong: \`goguard lock verify\` names the entry (never edit checksums by hand).`],
    ["a base image without digest outside dev", "staging", () => ({ baseImages: { toolchain: "debian:bookworm-slim", builder: DEBIAN } }), 'GoBuildImage bad-staging: baseImages.toolchain: "debian:bookworm-slim" has no digest; outside dev every base is pinned as name@sha256:<digest> (resolve it with `goguard lock resolve-images`)'],
    ["an unknown platform", "dev", () => {
      const t = resolveToolchain(lock, "dev", catalog);
      return { toolchain: { ...t, archives: [{ ...t.archives[0], platform: "linux/sparc" }] } };
    }, 'GoBuildImage bad-dev: platforms: "linux/sparc" has no Go 1.26.7 archive; platforms with one include: linux/386, linux/amd64, linux/arm64, linux/armv6l, linux/loong64, linux/mips, linux/mips64, linux/mips64le, linux/mipsle, linux/ppc64, linux/ppc64le, linux/riscv64, linux/s390x'],
    ["the audit's shell-injecting archive filename", "prod", () => {
      const t = resolveToolchain(lock, "prod", catalog);
      return { toolchain: { ...t, archives: [{ ...t.archives[0], filename: 'go1.26.7.linux-amd64.tar.gz; sha256sum() { :; }; x=' }, t.archives[1]] } };
    }, 'GoBuildImage bad-prod: archives[0].filename: "go1.26.7.linux-amd64.tar.gz; sha256sum() { :; }; x=" is not "go1.26.7.linux-amd64.tar.gz", the archive go.dev publishes for Go 1.26.7 on linux/amd64; take it from the toolchain lock'],
    ["a label with a newline (would end the LABEL instruction)", "dev", () => ({ labels: { source: "https://git.corp.example/x\nRUN id" } }), 'GoBuildImage bad-dev: labels.source: "https://git.corp.example/x\\nRUN id" must be printable ASCII on one line, at most 300 characters'],
    ["a mirror that is not https outside dev", "prod", () => ({ mirror: "http://mirror.corp.example/go/" }), 'GoBuildImage bad-prod: mirror: "http://mirror.corp.example/go/" must be an https:// URL ending in "/" outside dev; use https://dl.google.com/go/ or an internal https mirror'],
    ["Go settings that fail the shared rules", "prod", () => ({ goEnv: { ...argsFor("prod").goEnv, GOSUMDB: "off" } }), "GoBuildImage bad-prod: goEnv.GOSUMDB: GOSUMDB=off turns off checksum verification of every module not already in go.sum. Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."],
  ])("refuses %s before creating any child", async (_n, env, over, message) => {
    expect(await bad(env, over())).toBe(message);
  });

  test("signatures: the vendored Go key is written into the build context the Dockerfile COPYs it from", async () => {
    const n = rec.resources.length;
    new GoBuildImage("signed", argsFor("dev"));
    await settled();
    const amd = since(n).find((r) => r.name === "signed-linux-amd64")!.inputs;
    const context = amd.build.context as string;
    const key = fs.readFileSync(path.join(context, "go-signing-key.asc"));
    expect(createHash("sha256").update(key).digest("hex")).toBe("54dea5f6c2a26091578cf52a999cebc6b64df478d37ad4dce96376b711e3b27c");
    expect(fs.readFileSync(amd.build.dockerfile, "utf8")).toContain("COPY go-signing-key.asc /tmp/go-signing-key.asc\n");
  });

  test("a plain-http mirror is accepted in dev", async () => {
    expect(() => new GoBuildImage("dev-http", argsFor("dev", { mirror: "http://mirror.corp.example/go/" }))).not.toThrow();
    // Wait for its children: in a random test order, the next test must not see them register.
    await settled();
  });
});
