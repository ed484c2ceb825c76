// Image build figures (printed, not asserted): cold build of the sample service vs. a rebuild after
// changing one source file, runtime image size vs. binary size, builder image size. Real buildah
// builds with layer caching, the same parts as the image tests.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderBuilderDockerfile, renderServiceDockerfile, parseGoMod } from "../components/build-image/dockerfile";
import { resolveGoEnvBaseline } from "../components/toolchain/goenv";
import { Buildah, makeBaseRootfs, makeGoArchive, sh, startMirror, startRegistry } from "../test/image/fixtures";

function dirSizeOf(b: Buildah, image: string): number {
  const ctr = b.ok(["from", "--pull-never", image]).trim();
  try {
    const mnt = b.ok(["mount", ctr]).trim();
    return Number(sh("du", ["-sb", mnt]).split("\t")[0]);
  } finally {
    b.run(["umount", ctr]);
    b.run(["rm", ctr]);
  }
}

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

async function main(): Promise<void> {
  if (spawnSync("buildah", ["--version"]).status !== 0 || process.getuid?.() !== 0) {
    console.log("image build benchmark skipped: needs buildah and root (see .ci/run)");
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-bench-"));
  const b = new Buildah(path.join(work, "storage"));
  const registry = await startRegistry(path.join(work, "registry"));
  const archive = makeGoArchive(work);
  const mirror = await startMirror(path.join(work, "mirror"));
  try {
    const rootfs = path.join(work, "rootfs");
    makeBaseRootfs(rootfs);
    const ctr = b.ok(["from", "scratch"]).trim();
    b.ok(["copy", ctr, `${rootfs}/`, "/"]);
    b.ok(["commit", ctr, "localhost/bench/base:1"]);
    b.run(["rm", ctr]);
    const base = `${registry.host}/bench/base@${b.push("localhost/bench/base:1", `${registry.host}/bench/base:1`, work)}`;
    const builderDir = path.join(work, "builder");
    fs.mkdirSync(builderDir);
    fs.writeFileSync(
      path.join(builderDir, "Dockerfile"),
      renderBuilderDockerfile({ goVersion: archive.version, archives: [{ platform: "linux/amd64", filename: archive.filename, sha256: archive.sha256 }], mirror: `${mirror.url}/good/`, verifySignature: false, toolchainBase: base, builderBase: base, goEnv: resolveGoEnvBaseline({ proxyUrl: "http://athens.goproxy.svc.cluster.local" }), uid: 65532, labels: {} }),
    );
    let t = Date.now();
    const bb = b.bud(builderDir, path.join(builderDir, "Dockerfile"), "localhost/bench/builder:1");
    if (bb.code !== 0) throw new Error(bb.stdout.slice(-2000));
    const builderS = (Date.now() - t) / 1000;
    const builder = `${registry.host}/bench/builder@${b.push("localhost/bench/builder:1", `${registry.host}/bench/builder:1`, work)}`;

    const svcDir = path.join(work, "svc");
    sh("cp", ["-a", path.join(__dirname, "../test/fixtures/sample-service"), svcDir]);
    fs.writeFileSync(path.join(svcDir, "Dockerfile"), renderServiceDockerfile({ builderImage: builder, goVersion: archive.version, goMod: parseGoMod(fs.readFileSync(path.join(svcDir, "go.mod"), "utf8")), runtime: { kind: "scratch", caBundle: "/etc/ssl/certs/ca-certificates.crt" }, uid: 65532, binaryName: "hello" }));
    t = Date.now();
    const cold = b.bud(svcDir, path.join(svcDir, "Dockerfile"), "localhost/bench/hello:1");
    if (cold.code !== 0) throw new Error(cold.stdout.slice(-2000));
    const coldS = (Date.now() - t) / 1000;
    fs.appendFileSync(path.join(svcDir, "main.go"), "\n// a one-line change\n");
    t = Date.now();
    const warm = b.bud(svcDir, path.join(svcDir, "Dockerfile"), "localhost/bench/hello:2");
    if (warm.code !== 0) throw new Error(warm.stdout.slice(-2000));
    const warmS = (Date.now() - t) / 1000;
    const bin = path.join(work, "hello");
    b.readFromImage("localhost/bench/hello:2", "hello", bin);
    console.log("\nimage builds (buildah, overlay storage, --layers; sample service)");
    console.log(`  builder image build (toolchain download + checks): ${builderS.toFixed(1)} s`);
    console.log(`  cold, from empty storage (toolchain + builder + service): ${(builderS + coldS).toFixed(1)} s; rebuild after a one-line source change: ${warmS.toFixed(1)} s (ratio ${((builderS + coldS) / warmS).toFixed(1)}x)`);
    console.log(`  service stage alone: first build ${coldS.toFixed(1)} s vs rebuild ${warmS.toFixed(1)} s (the sample has no dependencies, so its module layer is empty)`);
    console.log(`  runtime image ${mb(dirSizeOf(b, "localhost/bench/hello:2"))} vs binary ${mb(fs.statSync(bin).size)}; builder image ${mb(dirSizeOf(b, "localhost/bench/builder:1"))}`);
  } finally {
    await mirror.stop();
    await registry.stop();
    b.run(["rm", "--all"]);
    b.run(["rmi", "--all", "--force"]);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
