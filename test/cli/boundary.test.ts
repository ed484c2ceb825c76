// The goguard command as a boundary: bad input ends in one line and an exit code, never a stack
// trace (in-process, and one of each kind through the real bin); network sources are bounded; workers die with the command; a closed
// pipe ends it quietly; nothing is left in the temporary directory.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCli } from "../helpers/cli";
import { startServer } from "../helpers/http";
import { tempDir } from "../helpers/catalog-fixtures";
import { resolveDigest } from "../../cli/registry";
import { parseImageRef } from "../../components/toolchain/image-ref";

const ROOT = path.join(__dirname, "../..");
const BIN = path.join(ROOT, "cli/bin/goguard.js");
const SHIPPED_LOCK = path.join(ROOT, "stacks/toolchain.lock.json");
const CATALOG = path.join(ROOT, "components/toolchain/data/go-releases.json");

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe("hostile input to the CLI (in-process, and one of each kind through the real bin): one stderr line, an exit code, no stack frame", () => {
  let dir: string;
  let truncated: string;
  let lock: string;
  beforeAll(() => {
    dir = tempDir("hostile");
    truncated = path.join(dir, "truncated.json");
    fs.writeFileSync(truncated, '{"environments":');
    lock = path.join(dir, "toolchain.lock.json");
    fs.copyFileSync(SHIPPED_LOCK, lock);
    fs.writeFileSync(path.join(dir, "a-file"), "x");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // [args, exit code, the one stderr line]; $DIR is the test's temporary directory.
  const cases: Array<[string[], number, string]> = [
    [["bogus"], 2, "goguard: unknown command 'bogus'; see goguard --help"],
    [["--nope"], 2, "goguard: unknown option '--nope'; see goguard --help"],
    [["lock", "platforms"], 2, "goguard: missing required argument 'environment'; see goguard lock platforms --help"],
    [["lock", "allow", "dev", "1.26.6", "1.26.5", "--lock", "$DIR/toolchain.lock.json"], 2, "goguard: too many arguments for 'allow'. Expected 2 arguments but got 3; see goguard lock allow --help"],
    [["lock", "allow", "qa", "1.26.6", "--lock", "$DIR/toolchain.lock.json"], 2, 'goguard: environment: unknown environment "qa"; use one of dev, staging, prod'],
    [["lock", "allow", "dev", "1.26", "--lock", "$DIR/toolchain.lock.json"], 1, 'goguard: version for dev: "1.26" is a minor series, not a release: pin a patch such as 1.26.7'],
    [["lock", "show", "--lock", "$DIR/truncated.json"], 2, "goguard: toolchain lock $DIR/truncated.json is not JSON (Unexpected end of JSON input); restore it (for a tracked file: git checkout -- $DIR/truncated.json)"],
    [["lock", "verify", "--lock", "$DIR/missing.json"], 2, "goguard: toolchain lock $DIR/missing.json does not exist; check the path"],
    [["catalog", "show", "1.26.7", "--catalog", "$DIR/truncated.json"], 2, "goguard: catalog $DIR/truncated.json is not JSON (Unexpected end of JSON input); restore it (for a tracked file: git checkout -- $DIR/truncated.json)"],
    [["catalog", "show", "1.26.7", "--catalog", "$DIR/missing.json"], 2, "goguard: catalog $DIR/missing.json does not exist; check the path"],
    [["catalog", "update", "--catalog", "$DIR/truncated.json", "--source", "$DIR/truncated.json"], 2, "goguard: catalog $DIR/truncated.json is not JSON (Unexpected end of JSON input); restore it (for a tracked file: git checkout -- $DIR/truncated.json)"],
    [["catalog", "update", "--timeout", "soon"], 2, 'goguard: --timeout must be a positive number of milliseconds; got "soon"'],
    [["catalog", "update", "--max-bytes", "-1"], 2, 'goguard: --max-bytes must be a positive whole number of bytes; got "-1"'],
    [["check-repo", ".", "--env"], 2, "goguard: option '--env <env>' argument missing; see goguard check-repo --help"],
    [["check"], 2, "goguard: required option '--stack <name|all>' not specified; see goguard check --help"],
    [["check", "--stack", "qa"], 2, 'goguard: --stack: unknown stack "qa"; use one of dev, staging, prod or all'],
    [["check", "--stack", "prod", "--format", "html"], 2, 'goguard: --format: unknown format "html"; use one of text, json, markdown, sarif'],
    [["check", "--stack", "prod", "extra"], 2, "goguard: too many arguments for 'check'. Expected 0 arguments but got 1; see goguard check --help"],
    [["check", "--stack", "prod", "--program", "/etc/passwd"], 2, "goguard: --program /etc/passwd: must be a .ts or .js file; give the stack program to check"],
    [["check", "--stack", "all", "--config", "$DIR/truncated.json"], 2, "goguard: --config applies to one stack; pick it with --stack"],
    [["render", "--stack", "prod", "--out", ""], 2, 'goguard: --out "" names no directory; give the directory to write, such as --out build/render-prod'],
    [["render", "--stack", "prod", "--out", "$DIR/a-file"], 2, "goguard: --out $DIR/a-file is a file, not a directory; choose a directory path"],
    [["render", "--stack", "prod", "--out", "$DIR"], 2, "goguard: --out $DIR is not empty and was not written by goguard render (no .goguard-render.json); choose an empty or new directory"],
    [["render", "--stack", "prod", "--out", "$DIR/a-file/sub"], 2, "goguard: --out $DIR/a-file/sub: $DIR/a-file is a file, not a directory; choose another path"],
  ];
  const withDir = (args: string[]): string[] => args.map((a) => a.replace("$DIR", dir));
  // Every case in-process (cli/main.ts's main, what the bin runs after its loader): cheap enough to
  // try them all.
  test.each(cases)("goguard %j", async (args, code, line) => {
    const r = await runCli(...withDir(args));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: `${line.replace(/\$DIR/g, dir)}\n` });
    expect(r.stderr).not.toContain("    at ");
  });

  // One of each kind through the real bin (its loader, its exit status, its stderr): commander's own
  // refusal, a refused value (exit 2), a refused release (exit 1), an unreadable file, check's and
  // render's refusals. They run at once, started on first use; each test judges its own run.
  const binCases = cases.filter(([args]) =>
    [["bogus"], ["lock", "allow", "qa"], ["lock", "allow", "dev", "1.26"], ["lock", "show"], ["check", "--stack", "prod", "--program"], ["render", "--stack", "prod", "--out", "$DIR/a-file"]].some(
      (prefix) => prefix.every((p, i) => args[i] === p) && (prefix[0] !== "render" || args.length === prefix.length),
    ),
  );
  const binRuns = new Map<string, Promise<Run>>();
  const throughBin = (args: string[]): Promise<Run> => {
    const key = JSON.stringify(args);
    if (!binRuns.has(key)) binRuns.set(key, run(withDir(args)));
    return binRuns.get(key)!;
  };
  beforeAll(() => {
    for (const [args] of binCases) void throughBin(args);
  });
  test("the bin cases are one of each kind", () => expect(binCases.length).toBe(6));
  test.each(binCases)("through cli/bin/goguard.js: goguard %j", async (args, code, line) => {
    const r = await throughBin(args);
    expect({ code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr }).toEqual({ code, signal: null, stdout: "", stderr: `${line.replace(/\$DIR/g, dir)}\n` });
  });

  test("--version prints the package version", async () => {
    const r = await run(["--version"]);
    expect(r).toEqual({ code: 0, signal: null, stdout: `${JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version}\n`, stderr: "" });
  });

  test("--debug adds the stack trace to the one line", async () => {
    const r = await run(["lock", "show", "--lock", path.join(dir, "truncated.json"), "--debug"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(`goguard: toolchain lock ${dir}/truncated.json is not JSON (Unexpected end of JSON input); restore it (for a tracked file: git checkout -- ${dir}/truncated.json)`);
    expect(r.stderr).toContain("    at readJsonFile");
  });

  test("a closed pipe on stdout ends the command quietly", async () => {
    const r = await new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, [BIN, "catalog", "list", "--json"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.destroy();
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code, signal) => resolve({ code, signal, stdout: "", stderr }));
    });
    expect(r).toEqual({ code: 0, signal: null, stdout: "", stderr: "" });
  });
});

describe("network sources are bounded and name the URL", () => {
  let catalog: string;
  let work: string;
  beforeEach(() => {
    work = tempDir("http-bounds");
    catalog = path.join(work, "catalog.json");
    fs.copyFileSync(CATALOG, catalog);
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test.each<[string, boolean]>([
    ["declared by content-length", true],
    ["sent chunked, counted while reading", false],
  ])("catalog update: a body over --max-bytes (%s) is refused; nothing written", async (_name, declared) => {
    const server = await startServer((_req, res) => {
      const body = Buffer.alloc(5000, "[");
      res.writeHead(200, declared ? { "content-length": String(body.length) } : {});
      res.end(body);
    });
    try {
      const before = fs.readFileSync(catalog);
      const r = await runCli("catalog", "update", "--source", `${server.url}/dl/`, "--catalog", catalog, "--max-bytes", "1000");
      expect(r).toEqual({ code: 1, stdout: "", stderr: `goguard: ${server.url}/dl/ sent more than 1000 bytes, more than any valid answer; refusing it (check the URL)\n` });
      expect(fs.readFileSync(catalog).equals(before)).toBe(true);
    } finally {
      await server.close();
    }
  });

  test("catalog update: a body cut short is refused naming the URL", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write("[".repeat(100));
      setTimeout(() => res.destroy(), 50);
    });
    try {
      const r = await runCli("catalog", "update", "--source", `${server.url}/dl/`, "--catalog", catalog);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^goguard: ${server.url}/dl/: the connection closed before the whole body arrived \\(100 bytes read: [^\\n]+\\); retry\\n$`));
    } finally {
      await server.close();
    }
  });

  test("catalog update: a stalled body is cut off by --timeout, naming the URL", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write("[");
    });
    try {
      const t0 = Date.now();
      const r = await runCli("catalog", "update", "--source", `${server.url}/dl/`, "--catalog", catalog, "--timeout", "500");
      expect(r).toEqual({ code: 1, stdout: "", stderr: `goguard: ${server.url}/dl/ did not answer completely within 500 ms; retry, or raise the limit with --timeout\n` });
      expect(Date.now() - t0).toBeLessThan(10000);
    } finally {
      await server.close();
    }
  });

  test("registry resolver: a manifest over 4 MiB and a stalled manifest are refused, naming the URL", async () => {
    let mode = "big";
    const server = await startServer((_req, res) => {
      if (mode === "big") {
        res.writeHead(200, { "content-type": "application/vnd.oci.image.index.v1+json" });
        res.end(Buffer.alloc(4 * 1024 * 1024 + 1, " "));
      } else {
        res.writeHead(200, { "content-length": "100" });
        res.write("{");
      }
    });
    try {
      const ref = parseImageRef("127.0.0.1/library/busybox:1.36")!;
      const url = `${server.url}/v2/library/busybox/manifests/1.36`;
      await expect(resolveDigest(ref, { endpoints: { "127.0.0.1": server.url } })).rejects.toThrow(`${url} sent more than 4194304 bytes, more than any valid answer; refusing it (check the URL)`);
      mode = "stall";
      await expect(resolveDigest(ref, { endpoints: { "127.0.0.1": server.url }, timeoutMs: 300 })).rejects.toThrow(`${url} did not answer completely within 300 ms; retry, or raise the limit with --timeout`);
    } finally {
      await server.close();
    }
  });
});

/** Child pids of `pid` (from /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}
const alive = (pid: number): boolean => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("killing check kills its workers", () => {
  test.each<[NodeJS.Signals, number | null, NodeJS.Signals | null]>([
    ["SIGTERM", 143, null],
    ["SIGINT", 130, null],
    ["SIGKILL", null, "SIGKILL"],
  ])("%s to the command: no worker survives", async (signal, code, bySignal) => {
    const child = spawn(process.execPath, [BIN, "check", "--stack", "all"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
    let workers: number[] = [];
    // One worker runs the three stacks in turn (cli/harness/fork.ts).
    for (let i = 0; i < 200 && workers.length < 1; i++) {
      await sleep(100);
      workers = childrenOf(child.pid!);
    }
    expect(workers).toHaveLength(1);
    child.kill(signal);
    expect(await closed).toEqual([code, bySignal]);
    let survivors = workers;
    for (let i = 0; i < 300 && survivors.length > 0; i++) {
      await sleep(100);
      survivors = survivors.filter(alive);
    }
    expect(survivors).toEqual([]);
  }, 60000);
});

describe("temporary directories", () => {
  test("check, render and lock edits leave nothing in the temporary directory", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-tmpcheck-"));
    const work = tempDir("tmpcheck-work");
    try {
      fs.copyFileSync(SHIPPED_LOCK, path.join(work, "lock.json"));
      const env = { TMPDIR: tmp };
      const before = fs.readdirSync(tmp);
      const results = [
        await run(["check", "--stack", "prod", "--format", "json"], env),
        await run(["render", "--stack", "dev", "--out", path.join(work, "render")], env),
        await run(["lock", "allow", "dev", "1.26.6", "--lock", path.join(work, "lock.json")], env),
      ];
      expect(results.map((r) => r.stderr)).toEqual(["", "", ""]);
      expect(fs.readdirSync(tmp)).toEqual(before);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 120000);
});
