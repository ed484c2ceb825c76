import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as lockfile from "proper-lockfile";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/catalog-fixtures";
import { gateVulnerabilities } from "../../cli/lock-vulns";

const ROOT = path.join(__dirname, "../..");
const BIN = path.join(ROOT, "cli/bin/goguard.js");
const SHIPPED_LOCK = path.join(ROOT, "stacks/toolchain.lock.json");

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("concurrent lock edits serialise under a file lock", () => {
  let dir: string;
  let lock: string;
  beforeEach(() => {
    dir = tempDir("concurrent");
    lock = path.join(dir, "toolchain.lock.json");
    fs.copyFileSync(SHIPPED_LOCK, lock);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("8 `lock allow` of different versions in separate processes at once: all 8 are in the lock", async () => {
    const versions = ["1.26.0", "1.26.1", "1.26.2", "1.26.3", "1.26.4", "1.26.5", "1.26.6", "1.25.14"];
    const results = await Promise.all(versions.map((v) => run(["lock", "allow", "dev", v, "--lock", lock])));
    // Each prints the vulnerability warning of its version (issue 12), and each change has its history line.
    const warning = (v: string): string => {
      let w = "";
      gateVulnerabilities(v, "dev", ["linux/amd64", "linux/arm64"], path.join(__dirname, "../../stacks"), (t) => (w += t));
      return w;
    };
    expect(results.map((r) => [r.code, r.stderr])).toEqual(versions.map((v) => [0, warning(v)]));
    const history = fs.readFileSync(path.join(dir, "toolchain.history.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(history.map((e) => e.command).sort()).toEqual(versions.map((v) => `lock allow dev ${v}`).sort());
    const after = JSON.parse(fs.readFileSync(lock, "utf8"));
    expect(Object.keys(after.environments.dev.versions)).toEqual(["1.25.14", "1.26.0", "1.26.1", "1.26.2", "1.26.3", "1.26.4", "1.26.5", "1.26.6", "1.26.7", "1.27.0"]);
    expect(fs.existsSync(`${lock}.lock`)).toBe(false);
  }, 180000);

  test("an edit that cannot get the lock within its timeout says so, exits 1 and changes nothing", async () => {
    const before = fs.readFileSync(lock);
    const release = await lockfile.lock(lock, { realpath: false, stale: 10000 });
    const saved = process.env.GOGUARD_LOCK_TIMEOUT_MS;
    process.env.GOGUARD_LOCK_TIMEOUT_MS = "300";
    try {
      const r = await runCli("lock", "allow", "dev", "1.26.6", "--lock", lock);
      expect(r).toEqual({
        code: 1,
        stdout: "",
        stderr: `goguard: the toolchain lock ${lock} is being edited by another goguard command (lock ${lock}.lock held for over 300 ms); nothing was changed: retry when it finishes, or remove ${lock}.lock if no goguard runs\n`,
      });
      expect(fs.readFileSync(lock).equals(before)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.GOGUARD_LOCK_TIMEOUT_MS;
      else process.env.GOGUARD_LOCK_TIMEOUT_MS = saved;
      await release();
    }
  });

  test("a lock left by a crashed editor (stale) does not block for ever", async () => {
    fs.mkdirSync(`${lock}.lock`);
    const old = new Date(Date.now() - 60000);
    fs.utimesSync(`${lock}.lock`, old, old);
    const r = await runCli("lock", "allow", "dev", "1.26.6", "--lock", lock);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(fs.readFileSync(lock, "utf8")).environments.dev.versions)).toEqual(["1.26.6", "1.26.7", "1.27.0"]);
  });
});
