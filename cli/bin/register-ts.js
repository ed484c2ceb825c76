"use strict";
// Loads TypeScript sources without a build step, through TypeScript's own transpileModule. Used by
// the goguard bin, the offline harness workers and `--program FILE.ts`.
//
// A file with a syntax error is refused with `file:line:col: message` (TypeScript's diagnostic), as
// `pulumi preview` refuses it; running what the compiler could not parse would judge a program that
// cannot deploy. Types are not checked here: the Pulumi language host type-checks through ts-node,
// but doing the same costs about 21 s per program on this project (3,831 files, mostly provider
// typings, measured with ts.createProgram on stacks/index.ts); `npm run typecheck` does it once.
//
// The transpile cache is an optimisation only and is never trusted more than the source: it lives in
// a directory the user owns with mode 0700 (anything else: no cache, no fallback to a shared
// temporary directory), entries are keyed on the source, the file name, the compiler version and the
// options, and each entry carries the sha256 of its output, checked on every read (a mismatch or a
// truncation means: compile again and replace the entry).
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { writeAtomic } = require("./cache-files");

const OPTIONS = {
  module: 1, // CommonJS
  target: 9, // ES2022
  // Assign-semantics class fields, as tsc/ts-node under Pulumi: with define semantics a
  // `readonly x!: Output<T>` field would wipe the output a Resource base constructor set.
  useDefineForClassFields: false,
  esModuleInterop: true,
  inlineSourceMap: true,
  isolatedModules: true,
};
const TS_VERSION = require("typescript/package.json").version;
const HEADER = /^goguard-ts-cache v2 sha256=([0-9a-f]{64})\n/;

/** A TypeScript source the compiler refuses; `diagnostics` are `file:line:col: message` lines. */
class TypeScriptSyntaxError extends Error {
  constructor(diagnostics) {
    super(`${diagnostics[0]}${diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : ""}: the program does not compile; fix the source`);
    this.name = "TypeScriptSyntaxError";
    this.diagnostics = diagnostics;
  }
}

/** Every syntax error this process met, so a worker can report it even when a caller wrapped it. */
const compileErrors = [];

/** Why `dir` is not a safe cache directory, or undefined when it is (owned by us, mode 0700, not a link). */
function unsafeReason(dir) {
  let st;
  try {
    st = fs.lstatSync(dir);
  } catch (err) {
    return `cannot be read (${err.code})`;
  }
  if (!st.isDirectory()) return "is not a directory";
  if (typeof process.getuid === "function" && st.uid !== process.getuid()) return `is owned by uid ${st.uid}, not by this user (uid ${process.getuid()})`;
  if ((st.mode & 0o777) !== 0o700) return `has mode 0${(st.mode & 0o777).toString(8)}, not 0700`;
  return undefined;
}

function cacheDir() {
  const dir = process.env.GOGUARD_TS_CACHE_DIR || path.join(__dirname, "..", "..", "node_modules", ".cache", "goguard-ts");
  if (dir === "off") return undefined;
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch {
    /* exists already, or cannot be made: checked below */
  }
  // A directory of ours that only we can write (an older GoGuard made it 0755) is tightened; one
  // that others could write into may already hold their files and is refused.
  try {
    const st = fs.lstatSync(dir);
    if (st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0 && (st.mode & 0o777) !== 0o700) fs.chmodSync(dir, 0o700);
  } catch {
    /* reported below */
  }
  const reason = unsafeReason(dir);
  if (reason === undefined) return dir;
  if (process.env.GOGUARD_TS_CACHE_WARN === "1") process.stderr.write(`goguard: not using the transpile cache ${dir}: it ${reason}\n`);
  return undefined;
}
const CACHE = cacheDir();

// On Node >= 22.1 (what @pulumi/pulumi 3.270 requires), Node's own module compile cache keeps V8's
// compiled code of the SDK, the providers and the transpiled project in a subdirectory of the same
// 0700 cache; Node checks each entry against the source it was made from. Node 20 has no such API:
// there this does nothing (the development machine is Node 20, so it was not exercised here).
// Before that (Node 20 here), the packages' modules get the same from compile-cache.js, in a
// subdirectory per V8 version; a process that met modules without an entry hands them to a detached
// filler when it exits (a stack worker: before it answers, as it is killed rather than exited).
// GOGUARD_COMPILE_CACHE=off leaves both off; GOGUARD_COMPILE_CACHE_FILL=sync fills before the
// process ends, =off never.

/**
 * The value of a knob among `allowed`, or undefined when unset. Any other value is named on stderr
 * with what it may be, once, and ignored (a cache setting costs speed, never a command).
 */
function envChoice(name, allowed) {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  if (allowed.includes(v)) return v;
  process.stderr.write(`goguard: ${name}=${JSON.stringify(v).slice(0, 80)} is not one of ${allowed.join(", ")}; ignored (unset it, or use one of those)\n`);
  return undefined;
}
const COMPILE_CACHE = envChoice("GOGUARD_COMPILE_CACHE", ["off", "on"]);
const COMPILE_CACHE_FILL = envChoice("GOGUARD_COMPILE_CACHE_FILL", ["off", "sync", "background"]);
let compileCache;
if (CACHE && COMPILE_CACHE !== "off") {
  const Module = require("module");
  if (typeof Module.enableCompileCache === "function") {
    try {
      Module.enableCompileCache(path.join(CACHE, "v8"));
    } catch {
      /* a cache that cannot be used only costs speed */
    }
  } else {
    const dir = path.join(CACHE, `v8-${process.versions.v8}`);
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
    } catch {
      /* exists already: checked below */
    }
    if (unsafeReason(dir) === undefined) {
      compileCache = require("./compile-cache");
      if (compileCache.install(dir, COMPILE_CACHE_FILL ?? "background")) process.on("exit", () => compileCache.flush());
      else compileCache = undefined;
    }
  }
}
/** Writes the compiled code produced so far (a stack worker calls it before answering). */
function flushCompileCache() {
  compileCache?.flush();
}

let ts;
function compile(source, filename) {
  ts ??= require("typescript");
  const out = ts.transpileModule(source, { fileName: filename, compilerOptions: OPTIONS, reportDiagnostics: true });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const lines = errors.map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, " ");
      if (!d.file || d.start === undefined) return `${filename}: ${msg}`;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${filename}:${line + 1}:${character + 1}: ${msg}`;
    });
    const err = new TypeScriptSyntaxError(lines);
    compileErrors.push(err);
    throw err;
  }
  return out.outputText;
}

function sha256(text) {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/** The cached output, or undefined when absent, truncated or not what its header's hash says. */
function readEntry(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const m = HEADER.exec(text);
  if (!m) return undefined;
  const body = text.slice(m[0].length);
  return sha256(body) === m[1] ? body : undefined;
}

/** Stores `out` as the entry `file`, with its sha256 in the header (a read-only cache only costs speed). */
function writeEntry(file, out) {
  writeAtomic(file, `goguard-ts-cache v2 sha256=${sha256(out)}\n${out}`);
}

function transpile(source, filename) {
  if (!CACHE) return compile(source, filename);
  const key = sha256(JSON.stringify(["goguard-ts v2", TS_VERSION, OPTIONS, filename, source]));
  const file = path.join(CACHE, `${key}.js`);
  const hit = readEntry(file);
  if (hit !== undefined) return hit;
  const out = compile(source, filename);
  writeEntry(file, out);
  return out;
}

/**
 * The JavaScript each loaded .ts file ran as, so a stack frame can be mapped back to its TypeScript
 * line on demand. Node's own source-map support (--enable-source-maps) is not switched on: it maps
 * every frame of every stack trace as it is formatted, and the Pulumi SDK formats one for each
 * promise and resource it creates (about a quarter of a 5,000-resource run went there).
 */
const outputs = new Map();

if (!require.extensions[".ts"]) {
  require.extensions[".ts"] = function loadTs(module, filename) {
    const out = transpile(fs.readFileSync(filename, "utf8"), filename);
    outputs.set(filename, out);
    // A file loaded again (a worker's next program run) may have changed since its map was read.
    sourceMaps.delete(filename);
    module._compile(out, filename);
  };
}

const sourceMaps = new Map();
/**
 * The TypeScript position (1-based line and column) of a position in a loaded .ts file's JavaScript,
 * through the inline source map the transpiler wrote; undefined for a file this loader did not load.
 */
function originalPosition(filename, line, column) {
  let map = sourceMaps.get(filename);
  if (map === undefined) {
    const out = outputs.get(filename);
    const m = out === undefined ? null : /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(out);
    if (!m) return undefined;
    const { SourceMap } = require("module");
    map = new SourceMap(JSON.parse(Buffer.from(m[1], "base64").toString("utf8")));
    sourceMaps.set(filename, map);
  }
  const e = map.findEntry(line - 1, column - 1);
  return e && typeof e.originalLine === "number" ? { line: e.originalLine + 1, column: e.originalColumn + 1 } : undefined;
}

/**
 * Generated code other than transpiled TypeScript (Ajv's standalone validators, see
 * components/toolchain/lazy-ajv.ts), kept under the same rules: keyed on everything that determines
 * it, stored with its sha256 and checked on every read, in the user's 0700 cache directory only.
 * Offered to the project's modules through a global (they are also bundled into the published pack,
 * which runs without this loader and then compiles as before).
 */
function cachedCode(parts, produce) {
  if (!CACHE) return produce();
  const key = sha256(JSON.stringify(["goguard-code v1", ...parts]));
  const file = path.join(CACHE, `code-${key}.js`);
  const hit = readEntry(file);
  if (hit !== undefined) return hit;
  const out = produce();
  writeEntry(file, out);
  return out;
}
globalThis[Symbol.for("goguard.codeCache.v1")] ??= cachedCode;

module.exports = { TypeScriptSyntaxError, compileErrors, transpile, unsafeReason, originalPosition, cacheDir: () => CACHE, cachedCode, flushCompileCache, compileCacheStats: () => compileCache?.stats() };
