// Validators built from Ajv's standalone code kept in the loader's cache (components/toolchain/lazy-ajv.ts,
// cli/bin/register-ts.js cachedCode) judge exactly as a fresh Ajv compile of the same schema: same
// verdict, same errors. And a cache entry that was tampered with is never run.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import Ajv from "ajv";
import { compileValidator } from "../../components/toolchain/lazy-ajv";
import { LOCK_SCHEMA } from "../../components/toolchain/lock";
import { ENTRY_SCHEMA } from "../../components/toolchain/history";

const ROOT = path.join(__dirname, "../..");
const CODE_CACHE = Symbol.for("goguard.codeCache.v1");
const LOCK_OPTIONS = { allErrors: true, discriminator: true, strict: true, strictRequired: false };
const ENTRY_OPTIONS = { allErrors: false, discriminator: true, strict: true, strictRequired: false };
const shippedLock = JSON.parse(fs.readFileSync(path.join(ROOT, "stacks/toolchain.lock.json"), "utf8"));

describe("a validator from cached standalone code judges as a fresh compile", () => {
  const store = new Map<string, string>();
  let produced = 0;
  beforeAll(() => {
    (globalThis as Record<symbol, unknown>)[CODE_CACHE] = (parts: unknown[], produce: () => string) => {
      const key = JSON.stringify(parts);
      if (!store.has(key)) {
        produced++;
        store.set(key, produce());
      }
      return store.get(key)!;
    };
  });
  afterAll(() => {
    delete (globalThis as Record<symbol, unknown>)[CODE_CACHE];
  });

  // Mutations of a valid document: a value replaced at a random path (the shapes a hand edit makes).
  const mutated = (doc: unknown): fc.Arbitrary<unknown> =>
    fc.tuple(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })).map(([path, value]) => {
      const copy = JSON.parse(JSON.stringify(doc));
      let cur: any = copy;
      for (const [i, step] of path.entries()) {
        if (cur === null || typeof cur !== "object") break;
        const keys = Object.keys(cur);
        if (keys.length === 0) break;
        const k = keys[step % keys.length];
        if (i === path.length - 1 || cur[k] === null || typeof cur[k] !== "object") {
          cur[k] = value;
          break;
        }
        cur = cur[k];
      }
      return copy;
    });

  test.each([
    ["the lock", LOCK_OPTIONS, LOCK_SCHEMA, shippedLock],
    [
      "a history line",
      ENTRY_OPTIONS,
      ENTRY_SCHEMA,
      { v: 1, time: "2026-11-22T09:00:00Z", actor: "release-bot", actorSource: "GITHUB_ACTOR", command: "lock promote staging prod --version 1.27.0", catalog: null, reason: "release 1.27.0", kind: "environment", environment: "prod", before: shippedLock.environments.prod, after: shippedLock.environments.prod },
    ],
  ])("%s (property: the shipped document and its mutations, and arbitrary JSON)", (_label, options, schema, valid) => {
    const cached = compileValidator(options, schema);
    const fresh = new Ajv(options).compile(schema);
    fc.assert(
      fc.property(fc.oneof(mutated(valid), fc.jsonValue({ maxDepth: 4 }), fc.constant(valid)), (doc) => {
        expect(cached(doc)).toBe(fresh(doc));
        expect(cached.errors ?? null).toEqual(fresh.errors ?? null);
      }),
      { numRuns: 400 },
    );
  });

  test("the valid documents used above pass both ways (the mutations start from valid documents)", () => {
    const entry = { v: 1, time: "2026-11-22T09:00:00Z", actor: "release-bot", actorSource: "GITHUB_ACTOR", command: "lock promote staging prod --version 1.27.0", catalog: null, reason: "release 1.27.0", kind: "environment", environment: "prod", before: {}, after: {} };
    expect([compileValidator(ENTRY_OPTIONS, ENTRY_SCHEMA)(entry), new Ajv(ENTRY_OPTIONS).compile(ENTRY_SCHEMA)(entry)]).toEqual([true, true]);
  });

  test("the shipped lock passes and the code was produced once per schema and options", () => {
    compileValidator(LOCK_OPTIONS, LOCK_SCHEMA);
    const before = produced;
    expect(compileValidator(LOCK_OPTIONS, LOCK_SCHEMA)(shippedLock)).toBe(true);
    expect(compileValidator(LOCK_OPTIONS, LOCK_SCHEMA)(shippedLock)).toBe(true);
    expect(produced).toBe(before);
    compileValidator({ ...LOCK_OPTIONS, allErrors: false }, LOCK_SCHEMA);
    expect(produced).toBe(before + 1);
  });
});

describe("the loader's code cache on disk (cli/bin/register-ts.js cachedCode)", () => {
  test("an entry whose body no longer matches its sha256 is produced again, never run", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-codecache-"));
    try {
      const cache = path.join(dir, "cache");
      fs.mkdirSync(cache, { mode: 0o700 });
      const script = `const r = require(${JSON.stringify(path.join(ROOT, "cli/bin/register-ts.js"))}); let n = 0; const out = r.cachedCode(["t", 1], () => { n++; return "module.exports = 42;"; }); process.stdout.write(JSON.stringify({ out, produced: n }));`;
      const run = (): { out: string; produced: number } => JSON.parse(execFileSync(process.execPath, ["-e", script], { env: { ...process.env, GOGUARD_TS_CACHE_DIR: cache }, encoding: "utf8" }));
      expect(run()).toEqual({ out: "module.exports = 42;", produced: 1 });
      expect(run()).toEqual({ out: "module.exports = 42;", produced: 0 });
      const [entry] = fs.readdirSync(cache).filter((f) => f.startsWith("code-"));
      const file = path.join(cache, entry);
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("42", "666"));
      expect(run()).toEqual({ out: "module.exports = 42;", produced: 1 });
      expect(fs.readFileSync(file, "utf8")).toContain("module.exports = 42;");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
