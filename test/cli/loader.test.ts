import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/catalog-fixtures";

const ROOT = path.join(__dirname, "../..");
const REGISTER = path.join(ROOT, "cli/bin/register-ts.js");

describe("a program that does not compile is refused (exit 2) with file:line:col", () => {
  const dir = path.join(__dirname, "programs");
  test.each<[string, string, string]>([
    ["an object literal cut short", "export const x = {;\n", "1:19: Property assignment expected."],
    ["a missing parenthesis", 'import * as k8s from "@pulumi/kubernetes";\nnew k8s.core.v1.Namespace("ns", { metadata: { name: "a" } };\n', "2:60: ')' expected."],
  ])("%s", async (_name, source, where) => {
    const file = path.join(dir, `.syntax-${process.pid}-${crypto.randomBytes(3).toString("hex")}.ts`);
    fs.writeFileSync(file, source);
    try {
      const r = await runCli("check", "--stack", "prod", "--program", file);
      expect(r).toEqual({ code: 2, stdout: "", stderr: `goguard: stack prod: the program does not compile: ${file}:${where} Fix the source (pulumi preview refuses it too).\n` });
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

describe("the transpile cache is verified and private", () => {
  let work: string;
  let cache: string;
  let mod: string;
  beforeEach(() => {
    work = tempDir("loader");
    cache = path.join(work, "cache");
    fs.mkdirSync(cache, { mode: 0o700 });
    mod = path.join(work, "verdict.ts");
    fs.writeFileSync(mod, 'export const gosumdb: string = "sum.golang.org";\n');
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  /** Loads `mod` in a fresh node through the loader with the cache at `dir`; returns what it exports and stderr. */
  function load(dir: string, extraEnv: Record<string, string> = {}): string {
    return execFileSync(process.execPath, ["-e", `require(${JSON.stringify(REGISTER)}); process.stdout.write(require(${JSON.stringify(mod)}).gosumdb)`], {
      env: { ...process.env, GOGUARD_TS_CACHE_DIR: dir, ...extraEnv },
      encoding: "utf8",
      timeout: 30000,
    });
  }
  const entries = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".js"));

  test("a first load writes one entry whose header hash matches its body", () => {
    expect(load(cache)).toBe("sum.golang.org");
    const [entry] = entries(cache);
    const text = fs.readFileSync(path.join(cache, entry), "utf8");
    const m = /^goguard-ts-cache v2 sha256=([0-9a-f]{64})\n/.exec(text)!;
    expect(crypto.createHash("sha256").update(text.slice(m[0].length)).digest("hex")).toBe(m[1]);
    expect(fs.statSync(path.join(cache, entry)).mode & 0o777).toBe(0o600);
  });

  test("an edited entry is detected, recompiled and replaced: the verdict does not flip", () => {
    load(cache);
    const file = path.join(cache, entries(cache)[0]);
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace('"sum.golang.org"', '"off"'));
    expect(load(cache)).toBe("sum.golang.org");
    expect(fs.readFileSync(file, "utf8")).toBe(original);
  });

  test("a truncated entry is recompiled, not blamed on the source", () => {
    load(cache);
    const file = path.join(cache, entries(cache)[0]);
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.slice(0, Math.floor(original.length / 2)));
    expect(load(cache)).toBe("sum.golang.org");
    expect(fs.readFileSync(file, "utf8")).toBe(original);
  });

  test("a changed source gets a new entry (keyed on content)", () => {
    load(cache);
    fs.writeFileSync(mod, 'export const gosumdb: string = "sum.golang.org https://athens/sumdb/sum.golang.org";\n');
    expect(load(cache)).toBe("sum.golang.org https://athens/sumdb/sum.golang.org");
    expect(entries(cache)).toHaveLength(2);
  });

  const unsafe: Array<[string, (dir: string) => void, string]> = [
    ["writable by others (0777)", (d) => fs.chmodSync(d, 0o777), "has mode 0777, not 0700"],
    ["group-writable (0770)", (d) => fs.chmodSync(d, 0o770), "has mode 0770, not 0700"],
  ];
  if (process.getuid?.() === 0) unsafe.push(["owned by another user", (d) => fs.chownSync(d, 4242, 4242), `is owned by uid 4242, not by this user (uid 0)`]);
  test.each(unsafe)("a cache directory %s is not used, and a planted entry is never run", (_name, spoil, reason) => {
    spoil(cache);
    // A planted entry under the key the loader would use cannot be reached: nothing is read or written there.
    fs.writeFileSync(path.join(cache, "planted.js"), "process.stdout.write('PLANTED')");
    const out = execFileSync(process.execPath, ["-e", `require(${JSON.stringify(REGISTER)}); process.stdout.write(require(${JSON.stringify(mod)}).gosumdb)`], {
      env: { ...process.env, GOGUARD_TS_CACHE_DIR: cache, GOGUARD_TS_CACHE_WARN: "1" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 30000,
    });
    expect(out).toBe("sum.golang.org");
    expect(entries(cache)).toEqual(["planted.js"]);
    const r = require("child_process").spawnSync(process.execPath, ["-e", `require(${JSON.stringify(REGISTER)})`], { env: { ...process.env, GOGUARD_TS_CACHE_DIR: cache, GOGUARD_TS_CACHE_WARN: "1" }, encoding: "utf8", timeout: 30000 });
    expect(r.stderr).toBe(`goguard: not using the transpile cache ${cache}: it ${reason}\n`);
  });

  test("a symbolic link as cache directory is not followed", () => {
    const target = path.join(work, "elsewhere");
    fs.mkdirSync(target, { mode: 0o700 });
    const link = path.join(work, "link");
    fs.symlinkSync(target, link);
    expect(load(link)).toBe("sum.golang.org");
    expect(fs.readdirSync(target)).toEqual([]);
  });
});
