// Real multi-stage builds with buildah: the builder image from a locked Go archive served by a
// loopback mirror, bases pulled by digest from a loopback registry, a sample service built through
// the service template. Nothing here is mocked; see test/image/fixtures.ts for the parts.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderBuilderDockerfile, renderServiceDockerfile, parseGoMod } from "../../components/build-image/dockerfile";
import { resolveGoEnvBaseline } from "../../components/toolchain/goenv";
import { Buildah, HOST_GO, makeBaseRootfs, makeGoArchive, Mirror, Registry, sh, startMirror, startRegistry } from "./fixtures";

const UID = 65532;
const SAMPLE = path.join(__dirname, "../fixtures/sample-service");
const GO_ENV = resolveGoEnvBaseline({ proxyUrl: "http://athens.goproxy.svc.cluster.local", privatePrefixes: ["git.corp.example"] });

let work: string;
let registry: Registry;
let mirror: Mirror;
let buildah: Buildah;
let archive: ReturnType<typeof makeGoArchive>;
let baseRef: string;
let builderRef: string;
let builderLog: string;
let serviceLog: string;
const SERVICE_TAG = "localhost/goguard-test/hello:test";

function builderDockerfile(over: { goVersion?: string; mirror?: string; filename?: string } = {}): string {
  return renderBuilderDockerfile({
    goVersion: over.goVersion ?? archive.version,
    archives: [{ platform: "linux/amd64", filename: over.filename ?? archive.filename, sha256: archive.sha256 }],
    mirror: over.mirror ?? `${mirror.url}/good/`,
    verifySignature: false,
    toolchainBase: baseRef,
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
  return dir;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-image-"));
  buildah = new Buildah(path.join(work, "storage"));
  archive = makeGoArchive(work);
  // The same archive with one byte flipped, under the same name, at /bad/.
  const flipped = path.join(work, "mirror", "bad", archive.filename);
  fs.mkdirSync(path.dirname(flipped), { recursive: true });
  const bytes = fs.readFileSync(archive.file);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  fs.writeFileSync(flipped, bytes);
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
    const r = buildah.bud(writeContext("bad-version", builderDockerfile({ goVersion: "1.19.9", filename: mislabelled })), path.join(work, "bad-version/Dockerfile"), "localhost/goguard-test/badv:test", { GO_ARCHIVE: mislabelled });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("goguard: the toolchain says 'go version go1.19.8 linux/amd64', the lock says 'go version go1.19.9 linux/amd64'");
  });
});
