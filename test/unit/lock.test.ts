import * as fs from "fs";
import * as path from "path";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { allowVersion, disallowVersion, LockError, parseLock, promote, ToolchainLock, verifyLock } from "../../components/toolchain/lock";
import { resolveToolchain } from "../../components/toolchain/toolchain";

const catalog = bundledCatalog();
const LOCK_PATH = path.join(__dirname, "../../stacks/toolchain.lock.json");
const shipped = (): ToolchainLock => JSON.parse(fs.readFileSync(LOCK_PATH, "utf8"));

function problems(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof LockError) return err.problems;
    throw err;
  }
  throw new Error("expected a LockError");
}

describe("the shipped lock", () => {
  test("parses, verifies against the catalog, and pins current releases", () => {
    const lock = parseLock(shipped());
    expect(verifyLock(lock, catalog)).toEqual([]);
    expect(lock.environments.prod.default).toBe(catalog.newestOfMinor("1.26"));
    expect(Object.keys(lock.environments.prod.versions)).toEqual(["1.26.7"]);
    expect(Object.keys(lock.environments.staging.versions)).toEqual(["1.26.7"]);
    expect(Object.keys(lock.environments.dev.versions)).toEqual(["1.26.7", "1.27.0"]);
  });

  test("every image is resolved with a source, or explicitly unresolved", () => {
    expect(parseLock(shipped()).images).toEqual({
      "debian:bookworm-slim": expect.objectContaining({ state: "resolved", digest: "sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818" }),
      "gcr.io/distroless/static-debian12:nonroot": expect.objectContaining({ state: "resolved", digest: "sha256:d093aa3e30dbadd3efe1310db061a14da60299baff8450a17fe0ccc514a16639" }),
      "docker.io/gomods/athens:v0.18.1": expect.objectContaining({ state: "unresolved" }),
    });
  });

  test("one changed character of a locked sha256 is caught, naming the entry", () => {
    const lock = shipped() as any;
    const a = lock.environments.staging.versions["1.26.7"]["linux/arm64"];
    const real = a.sha256;
    a.sha256 = real.slice(0, 5) + (real[5] === "a" ? "b" : "a") + real.slice(6);
    expect(verifyLock(parseLock(lock), catalog)).toEqual([
      { where: "staging 1.26.7 linux/arm64", message: `go1.26.7.linux-arm64.tar.gz: locked sha256 ${a.sha256} differs from the catalog's ${real}` },
    ]);
  });
});

const FRESH = "(see the shipped stacks/toolchain.lock.json for the shape, and change it only with `goguard lock …`)";
const PLATFORMS = "linux/386, linux/amd64, linux/arm64, linux/armv6l, linux/loong64, linux/mips, linux/mips64, linux/mips64le, linux/mipsle, linux/ppc64, linux/ppc64le, linux/riscv64, linux/s390x";
const AUDIT_FILENAME = "go1.26.7.linux-amd64.tar.gz; sha256sum() { echo \"$2  x\"; }; gpg() { :; }; x=";

describe("schema and consistency errors give the JSON path, the value and the fix", () => {
  test.each<[string, (l: any) => void, string[]]>([
    ["bad sha256", (l) => (l.environments.dev.versions["1.26.7"]["linux/amd64"].sha256 = "xyz"), ['environments.dev.versions["1.26.7"]["linux/amd64"].sha256: "xyz" is not 64 lowercase hex digits; copy it from the catalog with `goguard lock allow` (compare with `goguard lock verify`)']],
    ["uppercase sha256", (l) => (l.environments.dev.versions["1.26.7"]["linux/amd64"].sha256 = "F".repeat(64)), [`environments.dev.versions["1.26.7"]["linux/amd64"].sha256: "${"F".repeat(60)}"… (64 characters) is not 64 lowercase hex digits; copy it from the catalog with \`goguard lock allow\` (compare with \`goguard lock verify\`)`]],
    ["missing default", (l) => delete l.environments.prod.default, [`environments.prod: missing "default"; add it ${FRESH}`]],
    ["unknown key in an environment", (l) => (l.environments.dev.extra = 1), [`environments.dev.extra: unknown key "extra"; remove it or fix its spelling ${FRESH}`]],
    ["unknown key in an archive", (l) => (l.environments.prod.versions["1.26.7"]["linux/amd64"].url = "https://evil.example/go.tgz"), [`environments.prod.versions["1.26.7"]["linux/amd64"].url: unknown key "url"; remove it or fix its spelling ${FRESH}`]],
    ["unknown top-level key", (l) => (l.mirror = "x"), [`mirror: unknown key "mirror"; remove it or fix its spelling ${FRESH}`]],
    ["bad digest", (l) => (l.images["debian:bookworm-slim"].digest = "sha256:abc"), ['images["debian:bookworm-slim"].digest: "sha256:abc" is not "sha256:" followed by 64 lowercase hex digits; resolve it with `goguard lock resolve-images`']],
    ["image key with a digest", (l) => (l.images["debian@sha256:" + "a".repeat(64)] = { state: "unresolved", reason: "x" }), [`images["debian@sha256:${"a".repeat(64)}"]: the key "debian@sha256:${"a".repeat(46)}"… (78 characters) is not an image reference such as "debian:bookworm-slim"; add images with \`goguard lock resolve-images --image <ref>\``]],
    ["image key that is not a reference", (l) => (l.images["debian:bookworm;id"] = { state: "unresolved", reason: "x" }), ['images["debian:bookworm;id"]: the key "debian:bookworm;id" is not an image reference such as "debian:bookworm-slim"; add images with `goguard lock resolve-images --image <ref>`']],
    ["image key without a tag", (l) => (l.images["debian"] = { state: "unresolved", reason: "x" }), ['images.debian: the key "debian" is not an image reference with a tag and no digest (such as "debian:bookworm-slim"); the digest goes in "digest"']],
    ["control characters in an image source", (l) => (l.images["debian:bookworm-slim"].source = "ok\u001b[2J"), ['images["debian:bookworm-slim"].source: "ok\\u001b[2J" must be one line of printable ASCII, 1 to 300 characters; rewrite it']],
    ["unknown image state", (l) => (l.images["debian:bookworm-slim"].state = "pinned"), ['images["debian:bookworm-slim"].state: "pinned" must be "resolved" (with digest and source) or "unresolved" (with reason)']],
    ["version key that is a range", (l) => (l.environments.dev.versions["1.26.x"] = l.environments.dev.versions["1.26.7"]), ['environments.dev.versions["1.26.x"]: the key "1.26.x" is not an exact Go release (such as "1.26.7") or pre-release (such as "1.27rc1"); allow versions with `goguard lock allow dev <version>`']],
    ["default that is not a release", (l) => (l.environments.staging.default = "1.26"), ['environments.staging.default: "1.26" is not an exact Go release such as "1.26.7"; set it with `goguard lock allow staging <version> --default`']],
    ["platform outside the known set", (l) => l.environments.dev.platforms.push("linux/evil"), [`environments.dev.platforms[2]: "linux/evil" is not a platform GoGuard builds for (${PLATFORMS}); use one of those`]],
    ["linux/arm instead of Go's armv6l", (l) => (l.environments.dev.versions["1.26.7"]["linux/arm"] = { filename: "go1.26.7.linux-arm.tar.gz", sha256: "a".repeat(64) }), [`environments.dev.versions["1.26.7"]["linux/arm"]: the key "linux/arm" is not a platform GoGuard builds for (${PLATFORMS}); Go names 32-bit ARM "linux/armv6l"`]],
    ["duplicate platform", (l) => l.environments.dev.platforms.push("linux/amd64"), ["environments.dev.platforms: lists a platform twice; remove the duplicate"]],
    ["pre-release where the environment allows none", (l) => {
      l.environments.staging.versions["1.27rc1"] = { "linux/amd64": { filename: "go1.27rc1.linux-amd64.tar.gz", sha256: "a".repeat(64) }, "linux/arm64": { filename: "go1.27rc1.linux-arm64.tar.gz", sha256: "a".repeat(64) } };
    }, ['environments.staging.versions["1.27rc1"]: "1.27rc1" is a pre-release, and staging does not allow pre-releases; remove it with `goguard lock disallow staging 1.27rc1`']],
    ["the audit's shell-injecting filename", (l) => (l.environments.prod.versions["1.26.7"]["linux/amd64"].filename = AUDIT_FILENAME), [`environments.prod.versions["1.26.7"]["linux/amd64"].filename: "go1.26.7.linux-amd64.tar.gz; sha256sum() { echo \\"$2  x\\"; }; "… (76 characters) is not the archive go.dev publishes for Go 1.26.7 on linux/amd64; it must be "go1.26.7.linux-amd64.tar.gz" (refill it with \`goguard lock promote staging prod --version 1.26.7\`)`]],
    ["another platform's filename", (l) => (l.environments.dev.versions["1.27.0"]["linux/arm64"].filename = "go1.27.0.linux-amd64.tar.gz"), ['environments.dev.versions["1.27.0"]["linux/arm64"].filename: "go1.27.0.linux-amd64.tar.gz" is not the archive go.dev publishes for Go 1.27.0 on linux/arm64; it must be "go1.27.0.linux-arm64.tar.gz" (refill it with `goguard lock allow dev 1.27.0`)']],
    ["a newline in a filename", (l) => (l.environments.dev.versions["1.27.0"]["linux/arm64"].filename = "go1.27.0.linux-arm64.tar.gz\nRUN id"), ['environments.dev.versions["1.27.0"]["linux/arm64"].filename: "go1.27.0.linux-arm64.tar.gz\\nRUN id" is not the archive go.dev publishes for Go 1.27.0 on linux/arm64; it must be "go1.27.0.linux-arm64.tar.gz" (refill it with `goguard lock allow dev 1.27.0`)']],
    ["default not allowed", (l) => (l.environments.dev.default = "1.25.0"), ['environments.dev.default: "1.25.0" is not one of its versions (1.26.7, 1.27.0); allow it first or pick one of those']],
    ["two prod versions", (l) => (l.environments.prod.versions["1.27.0"] = l.environments.dev.versions["1.27.0"]), [
      "environments.prod.versions: prod runs exactly one Go version; found 2 (1.26.7, 1.27.0); promote one with `goguard lock promote staging prod`",
      'environments.prod.versions["1.27.0"]: a version enters prod only if staging runs it; staging has 1.26.7',
    ]],
    ["platform not locked", (l) => l.environments.dev.platforms.push("linux/s390x"), ['environments.dev.versions["1.26.7"]: no archive locked for linux/s390x; run `goguard lock allow dev 1.26.7` to fill it from the catalog', 'environments.dev.versions["1.27.0"]: no archive locked for linux/s390x; run `goguard lock allow dev 1.27.0` to fill it from the catalog']],
  ])("%s", (_n, mutate, expected) => {
    const l = shipped();
    mutate(l);
    expect(problems(() => parseLock(l))).toEqual(expected);
  });
});

describe("operations", () => {
  const lock = parseLock(shipped());

  test("allow fills checksums from the catalog and never mutates its input", () => {
    const before = JSON.stringify(lock);
    const next = allowVersion(lock, "dev", "1.25.14", catalog);
    expect(JSON.stringify(lock)).toBe(before);
    expect(next.environments.dev.versions["1.25.14"]).toEqual({
      "linux/amd64": { filename: "go1.25.14.linux-amd64.tar.gz", sha256: catalog.archive("1.25.14", "linux/amd64")!.sha256 },
      "linux/arm64": { filename: "go1.25.14.linux-arm64.tar.gz", sha256: "9bf234ea70ffec9347fdf6b22ce4add51717d3386a38a441e8c8743fceb5eaee" },
    });
    expect(Object.keys(next.environments.dev.versions)).toEqual(["1.25.14", "1.26.7", "1.27.0"]);
  });

  test.each<[string, () => unknown, string]>([
    ["prod only by promotion", () => allowVersion(lock, "prod", "1.27.0", catalog), "prod takes a Go version only by promotion: run `goguard lock promote staging prod --version 1.27.0` once staging runs it"],
    ["minor-only", () => allowVersion(lock, "dev", "1.26", catalog), 'version for dev: "1.26" is a minor series, not a release: pin a patch such as 1.26.7'],
    ["rc in staging", () => allowVersion(lock, "staging", "1.27rc1", catalog), 'version for staging: "1.27rc1" is a pre-release, allowed only where the environment allows pre-releases: pin a stable release such as 1.27.0'],
    ["skip staging", () => promote(lock, "dev", "prod", catalog, "1.27.0"), "promotion goes dev → staging → prod, one step at a time; dev → prod is not a step"],
    ["prod needs staging to run it", () => promote(allowVersion(lock, "staging", "1.27.0", catalog), "staging", "prod", catalog, "1.27.0"), "a version enters prod only if staging runs it: staging runs 1.26.7, not 1.27.0; run `goguard lock promote dev staging --version 1.27.0` first"],
    ["remove the default", () => disallowVersion(lock, "dev", "1.26.7"), "1.26.7 is the default of dev; set another default first with `goguard lock allow dev <version> --default`"],
  ])("refuses: %s", (_n, fn, message) => {
    expect(problems(fn)).toEqual([message]);
  });

  test("promotion dev → staging → prod leaves prod with exactly the promoted version", () => {
    const staged = promote(lock, "dev", "staging", catalog, "1.27.0");
    expect(staged.environments.staging.default).toBe("1.27.0");
    expect(Object.keys(staged.environments.staging.versions)).toEqual(["1.26.7", "1.27.0"]);
    const prod = promote(staged, "staging", "prod", catalog);
    expect(Object.keys(prod.environments.prod.versions)).toEqual(["1.27.0"]);
    expect(prod.environments.prod.default).toBe("1.27.0");
    expect(verifyLock(parseLock(JSON.parse(JSON.stringify(prod))), catalog)).toEqual([]);
  });

  test("resolveToolchain gives the environment's archives, and refuses a version it does not allow", () => {
    const t = resolveToolchain(lock, "prod", catalog);
    expect(t).toEqual({
      environment: "prod",
      version: "1.26.7",
      toolchain: "go1.26.7",
      allowedVersions: ["1.26.7"],
      allowPrereleases: false,
      platforms: ["linux/amd64", "linux/arm64"],
      archives: [
        { platform: "linux/amd64", filename: "go1.26.7.linux-amd64.tar.gz", sha256: "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca", url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz" },
        { platform: "linux/arm64", filename: "go1.26.7.linux-arm64.tar.gz", sha256: "5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37", url: "https://dl.google.com/go/go1.26.7.linux-arm64.tar.gz" },
      ],
    });
    expect(problems(() => resolveToolchain(lock, "prod", catalog, { version: "1.27.0" }))).toEqual(['goVersion for prod: "1.27.0" is not allowed there (the lock allows 1.26.7); promote it with `goguard lock promote staging prod --version 1.27.0`']);
  });
});
