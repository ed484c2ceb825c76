// The Dockerfile facts kept in the goguard loader's cache (policies/lib/dockerfile.ts cachedFacts):
// keyed on the code that computes them, so FACTS_SOURCES and FACTS_PACKAGES must be exactly what
// dockerfile.ts loads; and a fact read from the cache must be the fact computed afresh, for every
// Dockerfile the project and its corpora hold, on every platform the stacks build for.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { isDeepStrictEqual } from "util";
import fc from "fast-check";
import { FACTS_PACKAGES, FACTS_SOURCES } from "../../policies/lib/dockerfile";

const ROOT = path.resolve(__dirname, "../..");
const LIB = path.join(ROOT, "policies/lib");

test("FACTS_SOURCES is dockerfile.ts's closure of project imports, FACTS_PACKAGES the packages that closure and dockerfile-ast load", () => {
  const local = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (local.has(file)) return;
    local.add(file);
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(LIB, file), "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith(".")) {
        // Paths as FACTS_SOURCES writes them: relative to policies/lib, within the project.
        const target = path.relative(LIB, path.resolve(LIB, path.dirname(file), `${fileName}.ts`));
        expect(path.resolve(LIB, target).startsWith(`${ROOT}${path.sep}`)).toBe(true);
        visit(target);
      } else if (!["fs", "path"].includes(fileName)) packages.add(fileName.startsWith("@") ? fileName.split("/").slice(0, 2).join("/") : fileName.split("/")[0]);
    }
  };
  visit("dockerfile.ts");
  expect([...local].sort()).toEqual([...FACTS_SOURCES].sort());
  expect([...packages].sort()).toEqual(FACTS_PACKAGES.filter(([, from]) => from === undefined).map(([name]) => name).sort());
  const astDeps = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/dockerfile-ast/package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies);
  expect(astDeps.sort()).toEqual(FACTS_PACKAGES.filter(([, from]) => from === "dockerfile-ast").map(([name]) => name).sort());
});

describe("under the goguard loader", () => {
  const dockerfiles = execFileSync("find", ["test", "stacks", "components", "-name", "Dockerfile*", "-type", "f"], { cwd: ROOT, encoding: "utf8" })
    .trim()
    .split("\n")
    .filter((f) => f !== "")
    .sort();

  // A process as a stack worker runs: the facts through the loader's cache, then (cache withdrawn,
  // modules loaded afresh) computed directly, compared with Node's strict deep equality.
  const probe = `
    require(${JSON.stringify(path.join(ROOT, "cli/bin/register-ts.js"))});
    const fs = require("fs"), util = require("util");
    const files = JSON.parse(process.argv[1]);
    const load = () => {
      for (const k of Object.keys(require.cache)) if (k.includes("/policies/lib/")) delete require.cache[k];
      return require(${JSON.stringify(path.join(LIB, "dockerfile.ts"))});
    };
    const judge = (m) => files.flatMap((f) => [undefined, "linux/amd64", "linux/arm64"].map((platform) => m.dockerfileFacts(fs.readFileSync(f, "utf8"), { GO_VERSION: "1.26.7" }, platform ? { platform } : {})));
    const cached = judge(load());
    const astLoaded = Object.keys(require.cache).some((k) => k.includes("/node_modules/dockerfile-ast/"));
    const sym = Symbol.for("goguard.codeCache.v1");
    const keep = globalThis[sym];
    delete globalThis[sym];
    const fresh = judge(load());
    globalThis[sym] = keep;
    const differ = cached.map((c, i) => (util.isDeepStrictEqual(c, fresh[i]) ? -1 : i)).filter((i) => i >= 0);
    process.stdout.write(JSON.stringify({ judged: cached.length, differ, astLoaded, downloads: cached.reduce((n, c) => n + c.downloads.length, 0), goSources: cached.reduce((n, c) => n + c.goSources.length, 0) }));`;

  test("a fact from a warm cache is the fact computed afresh, for every Dockerfile of the project, and dockerfile-ast is not loaded", () => {
    expect(dockerfiles.length).toBeGreaterThan(40);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-factscache-"));
    try {
      const cache = path.join(dir, "cache");
      fs.mkdirSync(cache, { mode: 0o700 });
      const run = (): { judged: number; differ: number[]; astLoaded: boolean; downloads: number; goSources: number } =>
        JSON.parse(execFileSync(process.execPath, ["-e", probe, JSON.stringify(dockerfiles.map((f) => path.join(ROOT, f)))], { cwd: ROOT, env: { ...process.env, GOGUARD_TS_CACHE_DIR: cache }, encoding: "utf8", timeout: 120000 }));
      const cold = run();
      expect(cold).toEqual({ judged: dockerfiles.length * 3, differ: [], astLoaded: true, downloads: cold.downloads, goSources: cold.goSources });
      // The corpora's Dockerfiles download Go archives and run Go: the comparison is not of empty facts.
      expect(cold.downloads).toBeGreaterThan(30);
      expect(cold.goSources).toBeGreaterThan(100);
      const warm = run();
      expect(warm).toEqual({ ...cold, astLoaded: false });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hostile Dockerfiles through the cache", () => {
  // A text cache as the loader's (cli/bin/register-ts.js cachedCode): text stored on a miss, handed back on a hit.
  const SYM = Symbol.for("goguard.codeCache.v1");
  type Facts = typeof import("../../policies/lib/dockerfile");
  const fresh = (): Facts => {
    let m: Facts | undefined;
    jest.isolateModules(() => {
      m = require("../../policies/lib/dockerfile") as Facts;
    });
    return m!;
  };

  test("any Dockerfile (prototype-named keys, odd unicode, broken scripts): the fact from the cache is the fact computed afresh", () => {
    const store = new Map<string, string>();
    let hits = 0;
    const g = globalThis as Record<symbol, unknown>;
    const before = g[SYM];
    const word = fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "GOFLAGS", "GOPROXY", "GOSUMDB", "GONOSUMDB", "x", "$X", "${X:-off}", "é", "\u2028", "a b", "'q'", '"d"', "1.26.7", "-mod=mod", "off", "direct");
    const line = fc.oneof(
      fc.tuple(fc.constantFrom("ENV", "ARG", "LABEL"), word, word).map(([k, a, b]) => `${k} ${a}=${b}`),
      fc.tuple(word, word).map(([a, b]) => `RUN go env -w ${a}=${b} && ${a}=${b} go build ./...`),
      fc.tuple(word, word).map(([a, b]) => `RUN export ${a}=${b}; curl -fsSLo /tmp/go.tgz https://dl.google.com/go/go${b}.linux-amd64.tar.gz && tar -xzf /tmp/go.tgz`),
      fc.tuple(word, word).map(([a, b]) => `FROM golang:${b} AS ${a}`),
      fc.string({ maxLength: 30 }).map((s) => `RUN ${s}`),
    );
    try {
      g[SYM] = (parts: readonly unknown[], produce: () => string): string => {
        const key = JSON.stringify(parts);
        const hit = store.get(key);
        if (hit !== undefined) {
          hits++;
          return hit;
        }
        const text = produce();
        store.set(key, text);
        return text;
      };
      fc.assert(
        fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
          const text = ["FROM debian:bookworm-slim", ...lines].join("\n");
          const filled = fresh().dockerfileFacts(text, { GO_VERSION: "1.26.7" }, { platform: "linux/amd64" });
          const hitsBefore = hits;
          const cached = fresh().dockerfileFacts(text, { GO_VERSION: "1.26.7" }, { platform: "linux/amd64" });
          expect(hits).toBe(hitsBefore + 1);
          const keep = g[SYM];
          delete g[SYM];
          const computed = fresh().dockerfileFacts(text, { GO_VERSION: "1.26.7" }, { platform: "linux/amd64" });
          g[SYM] = keep;
          expect(isDeepStrictEqual(cached, computed)).toBe(true);
          expect(isDeepStrictEqual(filled, computed)).toBe(true);
        }),
        { numRuns: 60 },
      );
    } finally {
      if (before === undefined) delete g[SYM];
      else g[SYM] = before;
    }
  });
});
