// The loader's V8 code cache for installed packages (cli/bin/compile-cache.js, Node < 22.1): a module
// compiled with cached bytes behaves as Node's own compile makes it behave (require and its helpers,
// __filename, this, stack positions; a module with import() is left to Node), the bytes are used on
// the next run, and a changed file, a tampered entry or bytes V8 refuses all fall back to compiling
// afresh.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const REGISTER = path.join(ROOT, "cli/bin/register-ts.js");
const hasNativeCache = typeof (require("module") as { enableCompileCache?: unknown }).enableCompileCache === "function";

// A package as npm installs it, exercising what Node hands a CommonJS module.
const PKG_INDEX = `"use strict";
const here = this;
exports.same = here === module.exports;
exports.filename = __filename;
exports.dirname = __dirname;
exports.resolved = require.resolve("./other");
exports.paths = Array.isArray(require.resolve.paths("x"));
exports.cached = typeof require.cache[__filename] === "object";
exports.ext = typeof require.extensions[".js"] === "function";
exports.other = require("./other").value;
exports.load = () => require("./dynamic").load();
exports.evaluated = () => require("./evaluator").load();
exports.mention = require("./mention").text;
exports.fail = () => { throw new Error("from the package"); };
`;

interface Probe {
  readonly out: Record<string, unknown>;
  readonly answer: number;
  readonly evaluated: number;
  readonly stackLine: string;
  readonly stats: { hits: number; misses: number } | null;
}

describe("the V8 code cache for node_modules (Node < 22.1)", () => {
  let dir: string;
  let cache: string;
  let pkg: string;
  const probe = (extraEnv: Record<string, string> = {}): Probe =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          "-e",
          `const r = require(${JSON.stringify(REGISTER)});
           const m = require(${JSON.stringify(path.join("PKG", "index.js"))}.replace("PKG", process.argv[1]));
           let stackLine = "";
           try { m.fail(); } catch (e) { stackLine = e.stack.split("\\n")[1].trim(); }
           Promise.all([m.load(), m.evaluated()]).then(([answer, evaluated]) => { const stats = r.compileCacheStats() ?? null; r.flushCompileCache(); process.stdout.write(JSON.stringify({ out: { ...m, load: undefined, fail: undefined, evaluated: undefined }, answer, evaluated, stackLine, stats })); });`,
          pkg,
        ],
        { env: { ...process.env, GOGUARD_TS_CACHE_DIR: cache, GOGUARD_COMPILE_CACHE_FILL: "sync", ...extraEnv }, encoding: "utf8", timeout: 30000 },
      ),
    );

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-v8cache-"));
    cache = path.join(dir, "cache");
    fs.mkdirSync(cache, { mode: 0o700 });
    pkg = path.join(dir, "node_modules", "probe-pkg");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "index.js"), PKG_INDEX);
    fs.writeFileSync(path.join(pkg, "other.js"), "exports.value = 41;\n");
    fs.writeFileSync(path.join(pkg, "esm.mjs"), "export const answer = 42;\n");
    // Can run import(): left to Node's own compile (cached bytes lose the import() callback on Node 20).
    fs.writeFileSync(path.join(pkg, "dynamic.js"), 'exports.load = () => import("./esm.mjs").then((m) => m.answer);\n');
    fs.writeFileSync(path.join(pkg, "evaluator.js"), 'const dynamicImport = (0, eval)("u => import(u)");\nexports.load = () => dynamicImport(require("path").join(__dirname, "esm.mjs")).then((m) => m.answer + 1);\n');
    // Only mentions import( in a string and a method name: cached like any other.
    fs.writeFileSync(path.join(pkg, "mention.js"), 'exports.text = "use import(x) or require(x)";\nexports.api = { import(o) { return o; } };\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const entries = (): string[] => {
    const sub = fs.readdirSync(cache).find((d) => d.startsWith("v8-"));
    return sub ? fs.readdirSync(path.join(cache, sub)).map((f) => path.join(cache, sub, f)) : [];
  };

  (hasNativeCache ? test.skip : test)("a module runs the same compiled afresh and from cached bytes, and the second run uses them", () => {
    // What Node's own compile gives, positions included.
    const reference = probe({ GOGUARD_COMPILE_CACHE: "off" });
    expect(reference.out).toEqual({ same: true, filename: path.join(pkg, "index.js"), dirname: pkg, resolved: path.join(pkg, "other.js"), paths: true, cached: true, ext: true, other: 41, mention: "use import(x) or require(x)" });
    expect(reference.answer).toBe(42);
    expect(reference.evaluated).toBe(43);
    expect(reference.stackLine).toMatch(/^at exports\.fail \(.*\/probe-pkg\/index\.js:14:\d+\)$/);
    expect(reference.stats).toBeNull();
    expect(entries()).toEqual([]);

    const first = probe();
    expect({ ...first, stats: null }).toEqual(reference);
    // Five modules without an entry, compiled by Node; then filled: bytes for index, other and
    // mention, and for dynamic and evaluator an entry that leaves them to Node.
    expect(first.stats).toEqual({ hits: 0, misses: 5 });
    expect(entries().length).toBe(5);
    expect(entries().every((f) => (fs.statSync(f).mode & 0o777) === 0o600)).toBe(true);

    const second = probe();
    expect(second).toEqual({ ...first, stats: { hits: 3, misses: 0 } });
  });

  (hasNativeCache ? test.skip : test)("a changed file, a tampered entry and bytes V8 refuses are each compiled afresh, never trusted", () => {
    // As npm installs them: every file's modification time is 1985-10-26T08:15:00Z.
    const NPM_MTIME = 499162500;
    for (const f of fs.readdirSync(pkg)) fs.utimesSync(path.join(pkg, f), NPM_MTIME, NPM_MTIME);
    probe();
    // The file changes (another size and mtime): a new key, compiled afresh.
    fs.writeFileSync(path.join(pkg, "other.js"), "exports.value = 1041;\n");
    fs.utimesSync(path.join(pkg, "other.js"), NPM_MTIME, NPM_MTIME);
    const changed = probe();
    expect(changed.out.other).toBe(1041);
    expect(changed.stats).toEqual({ hits: 2, misses: 1 });

    // Rewritten in place with text of the same length and npm's modification time (what another
    // version of a package over a reused inode could look like): the change time tells them apart.
    const otherFile = path.join(pkg, "other.js");
    const before = fs.statSync(otherFile);
    fs.writeFileSync(otherFile, "exports.value = 2041;\n");
    fs.utimesSync(otherFile, NPM_MTIME, NPM_MTIME);
    const after = fs.statSync(otherFile);
    expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]);
    const sameLength = probe();
    expect(sameLength.out.other).toBe(2041);
    expect(sameLength.stats).toEqual({ hits: 2, misses: 1 });

    // Every entry's bytes altered after its sha256: refused by the integrity check.
    for (const f of entries()) {
      const buf = fs.readFileSync(f);
      buf[buf.length - 1] ^= 0xff;
      fs.writeFileSync(f, buf);
    }
    const tampered = probe();
    expect(tampered.out.other).toBe(2041);
    expect(tampered.stats).toEqual({ hits: 0, misses: 5 });
    expect(tampered.evaluated).toBe(43);

    // Bytes with a valid sha256 that are not V8's code cache: V8 refuses them, the module compiles as usual.
    const crypto = require("crypto") as typeof import("crypto");
    for (const f of entries()) {
      const junk = Buffer.from("not a code cache, but long enough to look like one ".repeat(8));
      fs.writeFileSync(f, Buffer.concat([crypto.createHash("sha256").update(junk).digest(), junk]));
    }
    const refused = probe();
    expect(refused.out).toEqual(tampered.out);
    expect(refused.answer).toBe(42);
    expect(refused.evaluated).toBe(43);
    // Every entry (the ones that left a module to Node too) is junk to V8: refused, removed, filled again.
    expect(refused.stats).toEqual({ hits: 0, misses: 5 });
    expect(probe().stats).toEqual({ hits: 3, misses: 0 });
  });

  (hasNativeCache ? test.skip : test)("by default a detached filler writes the entries after the process, one at a time", async () => {
    const run = probe({ GOGUARD_COMPILE_CACHE_FILL: "" });
    expect(run.stats).toEqual({ hits: 0, misses: 5 });
    // The filler runs on its own: wait for its entries (bounded), then for its lock and list to go.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && entries().filter((f) => f.endsWith(".bin")).length < 5) await new Promise((r) => setTimeout(r, 100));
    while (Date.now() < deadline && entries().some((f) => !f.endsWith(".bin"))) await new Promise((r) => setTimeout(r, 100));
    expect(entries().map((f) => path.extname(f))).toEqual([".bin", ".bin", ".bin", ".bin", ".bin"]);
    expect(probe({ GOGUARD_COMPILE_CACHE_FILL: "" }).stats).toEqual({ hits: 3, misses: 0 });
  });

  test.each([
    ["GOGUARD_COMPILE_CACHE", "; rm -rf ~", 'goguard: GOGUARD_COMPILE_CACHE="; rm -rf ~" is not one of off, on; ignored (unset it, or use one of those)'],
    ["GOGUARD_COMPILE_CACHE_FILL", "syn\nc", 'goguard: GOGUARD_COMPILE_CACHE_FILL="syn\\nc" is not one of off, sync, background; ignored (unset it, or use one of those)'],
  ])("%s with an unknown value: one line on stderr naming it and what it may be; the command runs", (name, value, line) => {
    const r = require("child_process").spawnSync(process.execPath, [path.join(ROOT, "cli/bin/goguard.js"), "--version"], { env: { ...process.env, [name]: value }, encoding: "utf8", timeout: 30000 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("0.1.0");
    expect(r.stderr).toBe(`${line}\n`);
  });

  test("GOGUARD_COMPILE_CACHE=off leaves Node's compile alone", () => {
    const out = execFileSync(process.execPath, ["-e", `const r = require(${JSON.stringify(REGISTER)}); process.stdout.write(String(r.compileCacheStats() ?? "off"))`], {
      env: { ...process.env, GOGUARD_TS_CACHE_DIR: cache, GOGUARD_COMPILE_CACHE: "off" },
      encoding: "utf8",
    });
    expect(out).toBe("off");
  });

  test("the directory stays bounded: past the limit the oldest half goes", () => {
    const { prune } = require("../../cli/bin/compile-cache.js") as { prune: (dir: string, max: number) => number };
    const d = path.join(dir, "bounded");
    fs.mkdirSync(d);
    for (let i = 0; i < 30; i++) {
      const f = path.join(d, `v8-${String(i).padStart(2, "0")}.bin`);
      fs.writeFileSync(f, "x");
      fs.utimesSync(f, 1_000_000 + i, 1_000_000 + i);
    }
    expect(prune(d, 30)).toBe(0);
    fs.writeFileSync(path.join(d, "v8-new.bin"), "x");
    expect(prune(d, 30)).toBe(16);
    expect(fs.readdirSync(d).sort()).toEqual([...Array.from({ length: 14 }, (_, i) => `v8-${String(i + 16).padStart(2, "0")}.bin`), "v8-new.bin"]);
  });

  (hasNativeCache ? test.skip : test)("a filler killed while holding the lock does not stop the next one, and its list is cleared later", () => {
    const sub = path.join(cache, "v8-test");
    fs.mkdirSync(sub, { mode: 0o700 });
    // The lock of a filler that no longer exists, and an old list it left.
    const dead = execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    fs.writeFileSync(path.join(sub, "fill.lock"), dead);
    const orphan = path.join(sub, "fill-1-orphan.json");
    fs.writeFileSync(orphan, "[]");
    fs.utimesSync(orphan, (Date.now() - 3_600_000) / 1000, (Date.now() - 3_600_000) / 1000);
    const list = path.join(sub, "fill-2-list.json");
    fs.writeFileSync(list, JSON.stringify([path.join(pkg, "other.js"), path.join(pkg, "dynamic.js")]));
    const started = Date.now();
    execFileSync(process.execPath, [path.join(ROOT, "cli/bin/compile-cache.js"), sub, list], { timeout: 30000 });
    expect(Date.now() - started).toBeLessThan(20000);
    expect(fs.readdirSync(sub).map((f) => path.extname(f)).sort()).toEqual([".bin", ".bin"]);
  });
});
