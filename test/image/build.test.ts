// Real multi-stage builds with buildah: the builder image from a locked Go archive served by a
// loopback mirror, bases pulled by digest from a loopback registry, a sample service built through
// the service template. Nothing here is mocked; see test/image/fixtures.ts for the parts.
//
// Signatures: a throwaway key made at test time (OpenPGP.js, a primary and a signing subkey like
// Go's) signs the test archive; the builder is rendered by the same renderBuilderDockerfile with a
// test key spec (SigningKeySpec) in place of the vendored key, so the build runs the very step real
// builds run: the main build verifies a valid signature, and two extra builds are refused (an
// archive whose lock checksum follows the tampering, a signature by another key).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import { renderBuilderDockerfile, renderServiceDockerfile, parseGoMod, SigningKeySpec } from "../../components/build-image/dockerfile";
import { resolveGoEnvBaseline } from "../../components/toolchain/goenv";
import { addGnupg, strayGpgAgents, Buildah, HOST_GO, makeBaseRootfs, makeGoArchive, Mirror, Registry, sh, startMirror, startRegistry } from "./fixtures";
import { makeTestKey, signDetached, TestKey } from "../helpers/signing";

const UID = 65532;
const SAMPLE = path.join(__dirname, "../fixtures/sample-service");
const GO_ENV = resolveGoEnvBaseline({ proxyUrl: "http://athens.goproxy.svc.cluster.local", privatePrefixes: ["git.corp.example"] });

const STARTED = Date.now();
let work: string;
let registry: Registry;
let mirror: Mirror;
let buildah: Buildah;
let archive: ReturnType<typeof makeGoArchive>;
let baseRef: string;
/** The toolchain stage's base: the same rootfs plus GnuPG (the signature step needs gpg). */
let gpgBaseRef: string;
let signer: TestKey;
let otherSigner: TestKey;
/** The builder's key spec for the throwaway key: what GO_SIGNING_KEY_SPEC is for the vendored one. */
let testKeySpec: SigningKeySpec;
const TEST_KEY_FILE = "test-signing-key.asc";
let builderRef: string;
let builderLog: string;
let serviceLog: string;
const SERVICE_TAG = "localhost/goguard-test/hello:test";

function builderDockerfile(over: { goVersion?: string; mirror?: string; filename?: string; sha256?: string } = {}): string {
  return renderBuilderDockerfile({
    goVersion: over.goVersion ?? archive.version,
    archives: [{ platform: "linux/amd64", filename: over.filename ?? archive.filename, sha256: over.sha256 ?? archive.sha256 }],
    mirror: over.mirror ?? `${mirror.url}/good/`,
    verifySignature: true,
    signingKey: testKeySpec,
    toolchainBase: gpgBaseRef,
    builderBase: baseRef,
    goEnv: GO_ENV,
    uid: UID,
    labels: { source: "https://example.invalid/goguard-test" },
  });
}

function writeContext(name: string, dockerfile: string, copyFrom?: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  if (copyFrom) sh("cp", ["-a", `${copyFrom}/.`, dir]);
  fs.writeFileSync(path.join(dir, "Dockerfile"), dockerfile);
  // The builder's context carries the trusted key, as GoBuildImage writes the vendored one.
  fs.writeFileSync(path.join(dir, TEST_KEY_FILE), signer.publicArmored);
  return dir;
}

/** Serves `bytes` as the archive and `asc` as its signature under /<dir>/ of the mirror. */
function publish(dir: string, filename: string, bytes: Buffer, asc: string): void {
  fs.mkdirSync(path.join(work, "mirror", dir), { recursive: true });
  fs.writeFileSync(path.join(work, "mirror", dir, filename), bytes);
  fs.writeFileSync(path.join(work, "mirror", dir, `${filename}.asc`), asc);
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-image-"));
  buildah = new Buildah(path.join(work, "storage"));
  archive = makeGoArchive(work);
  signer = await makeTestKey("GoGuard Image Test Signer");
  otherSigner = await makeTestKey("GoGuard Image Test Other");
  testKeySpec = { file: TEST_KEY_FILE, sha256: createHash("sha256").update(signer.publicArmored).digest("hex"), primaryFingerprint: signer.primary };
  const good = fs.readFileSync(archive.file);
  const goodAsc = await signDetached(signer, good);
  fs.writeFileSync(`${archive.file}.asc`, goodAsc);
  // The same archive with one byte flipped, under the same name, at /bad/ (its .asc is the good one).
  const bytes = Buffer.from(good);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  publish("bad", archive.filename, bytes, goodAsc);
  // The good archive signed by another key, at /wrongkey/.
  publish("wrongkey", archive.filename, good, await signDetached(otherSigner, good));
  mirror = await startMirror(path.join(work, "mirror"));
  registry = await startRegistry(path.join(work, "registry"));
  const rootfs = path.join(work, "rootfs");
  makeBaseRootfs(rootfs);
  const ctr = buildah.ok(["from", "scratch"]).trim();
  buildah.ok(["copy", ctr, `${rootfs}/`, "/"]);
  buildah.ok(["config", "--env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ctr]);
  buildah.ok(["commit", ctr, "localhost/goguard-test/base:test"]);
  buildah.ok(["rm", ctr]);
  const baseDigest = buildah.push("localhost/goguard-test/base:test", `${registry.host}/goguard-test/base:test`, work);
  baseRef = `${registry.host}/goguard-test/base@${baseDigest}`;
  addGnupg(rootfs);
  const gctr = buildah.ok(["from", "scratch"]).trim();
  buildah.ok(["copy", gctr, `${rootfs}/`, "/"]);
  buildah.ok(["config", "--env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", gctr]);
  buildah.ok(["commit", gctr, "localhost/goguard-test/base-gpg:test"]);
  buildah.ok(["rm", gctr]);
  gpgBaseRef = `${registry.host}/goguard-test/base-gpg@${buildah.push("localhost/goguard-test/base-gpg:test", `${registry.host}/goguard-test/base-gpg:test`, work)}`;

  const b = buildah.bud(writeContext("builder", builderDockerfile()), path.join(work, "builder/Dockerfile"), "localhost/goguard-test/builder:test");
  builderLog = b.stdout + b.stderr;
  if (b.code !== 0) throw new Error(`builder build failed:\n${builderLog.slice(-4000)}`);
  const builderDigest = buildah.push("localhost/goguard-test/builder:test", `${registry.host}/goguard-test/builder:test`, work);
  builderRef = `${registry.host}/goguard-test/builder@${builderDigest}`;

  const svc = renderServiceDockerfile({
    builderImage: builderRef,
    goVersion: archive.version,
    goMod: parseGoMod(fs.readFileSync(path.join(SAMPLE, "go.mod"), "utf8")),
    runtime: { kind: "scratch", caBundle: "/etc/ssl/certs/ca-certificates.crt" },
    uid: UID,
    binaryName: "hello",
  });
  const s = buildah.bud(writeContext("service", svc, SAMPLE), path.join(work, "service/Dockerfile"), SERVICE_TAG);
  serviceLog = s.stdout + s.stderr;
  if (s.code !== 0) throw new Error(`service build failed:\n${serviceLog.slice(-4000)}`);
}, 900000);

afterAll(async () => {
  // The signature step's gpg-agent survives the build under chroot isolation: stop the ones these builds started.
  for (const pid of strayGpgAgents(STARTED)) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  }
  await mirror?.stop();
  await registry?.stop();
  if (buildah) {
    buildah.run(["rm", "--all"]);
    buildah.run(["rmi", "--all", "--force"]);
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("the builder image, built for real", () => {
  test("the archive is the real go1.19.8 toolchain, and its checksum was checked before extraction", () => {
    expect(archive.version).toBe("1.19.8");
    expect(builderLog).toContain("/tmp/go.tgz: OK");
  });

  test("`go version` inside the builder equals the lock, and go env shows the baseline", () => {
    const ctr = buildah.ok(["from", "--pull-never", "localhost/goguard-test/builder:test"]).trim();
    try {
      expect(buildah.ok(["run", "--isolation", "chroot", ctr, "--", "go", "version"]).trim()).toBe("go version go1.19.8 linux/amd64");
      // go1.19 predates GOTOOLCHAIN: `go env` does not list it, so it is read from the image config below.
      expect(buildah.ok(["run", "--isolation", "chroot", ctr, "--", "go", "env", "GOPROXY", "GOSUMDB", "GOFLAGS", "CGO_ENABLED"]).trim().split("\n")).toEqual(["http://athens.goproxy.svc.cluster.local", "sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org", "-mod=readonly -trimpath", "0"]);
    } finally {
      buildah.run(["rm", ctr]);
    }
  });

  test("runs as the numeric non-root user and carries the Go version and archive checksum as labels", () => {
    const cfg = buildah.inspect("localhost/goguard-test/builder:test").OCIv1.config;
    expect(cfg.User).toBe(`${UID}:${UID}`);
    expect(cfg.Env).toEqual(expect.arrayContaining(["GOTOOLCHAIN=local", "GOPROXY=http://athens.goproxy.svc.cluster.local"]));
    expect(cfg.Labels["dev.goguard.go.version"]).toBe("1.19.8");
    expect(cfg.Labels["dev.goguard.go.sha256.linux-amd64"]).toBe(archive.sha256);
    expect(cfg.Labels["org.opencontainers.image.source"]).toBe("https://example.invalid/goguard-test");
  });
});

describe("a sample service through the service template", () => {
  test("the binary's `go version -m` shows go1.19.8, -trimpath=true and CGO_ENABLED=0", () => {
    const out = path.join(work, "hello");
    expect(buildah.readFromImage(SERVICE_TAG, "hello", out)).toBe(true);
    const info = sh(HOST_GO, ["version", "-m", out]);
    expect(info.split("\n")[0]).toBe(`${out}: go1.19.8`);
    expect(info).toMatch(/\tbuild\t-trimpath=true\n/);
    expect(info).toMatch(/\tbuild\tCGO_ENABLED=0\n/);
    expect(info).toMatch(/\tpath\texample\.com\/hello\n/);
  });

  test("the runtime image holds only the binary and CA certificates, and runs as non-root", () => {
    const ctr = buildah.ok(["from", "--pull-never", SERVICE_TAG]).trim();
    try {
      const mnt = buildah.ok(["mount", ctr]).trim();
      const files = sh("find", [mnt, "-type", "f"]).trim().split("\n").map((f) => f.slice(mnt.length)).sort();
      expect(files).toEqual(["/etc/ssl/certs/ca-certificates.crt", "/hello"]);
      expect(fs.existsSync(path.join(mnt, "usr/local/go"))).toBe(false);
    } finally {
      buildah.run(["umount", ctr]);
      buildah.run(["rm", ctr]);
    }
    expect(buildah.inspect(SERVICE_TAG).OCIv1.config.User).toBe(`${UID}:${UID}`);
  });
});

describe("the build refuses what the lock does not say", () => {
  test("one flipped byte in the archive fails at the checksum step, naming the archive and both sums", () => {
    const r = buildah.bud(writeContext("bad-archive", builderDockerfile({ mirror: `${mirror.url}/bad/` })), path.join(work, "bad-archive/Dockerfile"), "localhost/goguard-test/bad:test");
    expect(r.code).not.toBe(0);
    const flippedSum = sh("sha256sum", [path.join(work, "mirror", "bad", archive.filename)]).split(" ")[0];
    expect(r.stdout + r.stderr).toContain(`goguard: sha256 mismatch for ${archive.filename}: expected ${archive.sha256}, got ${flippedSum}`);
    // The build stops in the toolchain stage: nothing is extracted and the builder stage never starts.
    expect(r.stdout + r.stderr).not.toContain("[2/2] STEP");
  });

  test("a lock whose version disagrees with the archive fails at the `go version` assertion", () => {
    // The renderer refuses a file name that is not the version's own, so the lie sits in the bytes:
    // the mirror serves the 1.19.8 archive under 1.19.9's name, and the lock holds those bytes' sum.
    const mislabelled = archive.filename.replace(archive.version, "1.19.9");
    fs.copyFileSync(path.join(work, "mirror", "good", archive.filename), path.join(work, "mirror", "good", mislabelled));
    fs.copyFileSync(path.join(work, "mirror", "good", `${archive.filename}.asc`), path.join(work, "mirror", "good", `${mislabelled}.asc`));
    const r = buildah.bud(writeContext("bad-version", builderDockerfile({ goVersion: "1.19.9", filename: mislabelled })), path.join(work, "bad-version/Dockerfile"), "localhost/goguard-test/badv:test", { GO_ARCHIVE: mislabelled });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("goguard: the toolchain says 'go version go1.19.8 linux/amd64', the lock says 'go version go1.19.9 linux/amd64'");
  });
});

describe("the signature step, with a throwaway key through the same renderer", () => {
  test("the main build above verified a valid signature: the rendered step pins the test key's primary", () => {
    const dockerfile = builderDockerfile();
    expect(dockerfile).toContain(`# Signatures are checked with ${TEST_KEY_FILE} from the build context (sha256 ${testKeySpec.sha256}, primary key ${signer.primary}).`);
    expect(dockerfile).toContain(`COPY ${TEST_KEY_FILE} /tmp/go-signing-key.asc`);
    expect(dockerfile).toContain(` ${signer.primary}$' /tmp/gpg.status`);
    // The key file's checksum, then the archive's, passed; the builder stage ran, so gpg's VALIDSIG
    // named the pinned primary (the step exits before it otherwise).
    expect(builderLog).toContain("/tmp/go-signing-key.asc: OK");
    expect(builderLog).toContain("/tmp/go.tgz: OK");
    expect(builderLog).toContain("[2/2] STEP");
  });

  test("a tampered archive whose lock checksum follows the tampering passes the checksum and fails the signature", () => {
    const flipped = path.join(work, "mirror", "bad", archive.filename);
    const flippedSum = sh("sha256sum", [flipped]).split(" ")[0];
    const r = buildah.bud(writeContext("sig-tampered", builderDockerfile({ mirror: `${mirror.url}/bad/`, sha256: flippedSum })), path.join(work, "sig-tampered/Dockerfile"), "localhost/goguard-test/sig-tampered:test");
    expect(r.code).not.toBe(0);
    const log = r.stdout + r.stderr;
    expect(log).toContain("/tmp/go.tgz: OK");
    expect(log).toContain(`goguard: the signature of ${archive.filename} does not verify against the vendored Go signing key`);
    expect(log).not.toContain("[2/2] STEP");
  });

  test("a signature by another key fails: the key file holds only the pinned key", () => {
    const r = buildah.bud(writeContext("sig-wrongkey", builderDockerfile({ mirror: `${mirror.url}/wrongkey/` })), path.join(work, "sig-wrongkey/Dockerfile"), "localhost/goguard-test/sig-wrongkey:test");
    expect(r.code).not.toBe(0);
    const log = r.stdout + r.stderr;
    expect(log).toContain("/tmp/go.tgz: OK");
    expect(log).toContain(`goguard: the signature of ${archive.filename} does not verify against the vendored Go signing key`);
    expect(log).not.toContain("[2/2] STEP");
  });
});
