"use strict";
// V8's compiled code for the CommonJS modules of installed packages, kept between runs (Node < 22.1:
// later Nodes have module.enableCompileCache, which register-ts.js turns on instead).
//
// Loading @pulumi/pulumi and the providers compiles ~1,200 modules, most of a check's fixed cost
// (TypeScript's 9 MB compiler alone, which the SDK loads); with V8's code cache the same load takes
// ~0.1 s less. A module with an entry is compiled as Node compiles it (vm.compileFunction with the
// CommonJS parameters) with the entry's bytes; V8 checks them against its version, flags and the
// source's length, and compiles afresh if it refuses them.
//
// Entries are never produced on the command's own time: a process that met modules without one
// hands their list to a detached filler (this file run as a program, one at a time, bounded in time)
// which compiles them without running them and writes the entries, so the next run is warm, as
// `git gc --auto` tidies up after a command. With the fill mode "sync" (GOGUARD_COMPILE_CACHE_FILL,
// read by register-ts.js) it fills before the process ends instead (the tests), with "off" never.
//
// A module that can run import() is left to Node: on Node 20 a function compiled from cached bytes
// loses its import() callback (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). The filler decides which can
// with TypeScript's parser (an import() call, or a call of eval or Function, which could evaluate
// one) for the few modules whose text has `import(` at all, and its entry says so.
//
// The entries live in the loader's 0700 cache directory, one file per module, keyed on the module's
// device, inode, size, modification and change times (npm gives every installed file the same
// 1985 mtime and inode numbers are reused, so a same-size file of another version could match on
// the rest; the change time cannot be set back) and on V8's version. Each file starts with the
// sha256 of the bytes after it, checked on every read, and is written to a temporary name and
// renamed. Only files under node_modules are cached: the project's TypeScript is cached as
// transpiled text.
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");
const { writeAtomic } = require("./cache-files");

const SEP_NM = `${path.sep}node_modules${path.sep}`;
const PARAMS = ["exports", "require", "module", "__filename", "__dirname"];
const DYNAMIC_IMPORT = /\bimport\s*\(/;
let originalCompile;
let tsForParsing;
/**
 * TypeScript, to parse with: the loaded one, or (when it is not loaded yet, or is the module being
 * compiled right now: the SDK loads it) a private instance compiled by Node, used only for this.
 */
function parser() {
  if (tsForParsing) return tsForParsing;
  const file = require.resolve("typescript");
  const loaded = Module._cache[file];
  if (loaded && loaded.loaded) return (tsForParsing = loaded.exports);
  if (!originalCompile) return (tsForParsing = require("typescript"));
  const m = new Module(file, null);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  originalCompile.call(m, fs.readFileSync(file, "utf8"), file);
  return (tsForParsing = m.exports);
}

/** An entry's payload for a module left to Node's own compile. */
const LEFT_TO_NODE = Buffer.from("goguard: this module can run import(), compiled by Node\n");

/** Whether the module's code can run import(): an import() call, or a call of eval or Function (which could evaluate one). */
function canImportDynamically(content, filename) {
  let ts;
  try {
    ts = parser();
  } catch {
    return true;
  }
  let found = false;
  const calleeName = (e) => {
    for (let i = 0; i < 100 && e; i++) {
      if (ts.isParenthesizedExpression(e)) e = e.expression;
      else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) e = e.right;
      else if (ts.isPropertyAccessExpression(e)) return e.name.text;
      else if (ts.isIdentifier(e)) return e.text;
      else return undefined;
    }
    return undefined;
  };
  const visit = (node) => {
    if (found) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) found = true;
      else {
        const name = calleeName(node.expression);
        if (name === "eval" || name === "Function") found = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  try {
    visit(ts.createSourceFile(filename, content, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS));
  } catch {
    return true;
  }
  return found;
}

let dir;
/** Modules this process compiled without an entry: flush() has them filled. */
const misses = new Set();
let installed = false;
let hits = 0;

function entryFor(directory, filename, content) {
  const st = fs.statSync(filename, { bigint: true, throwIfNoEntry: false });
  if (st === undefined) return undefined;
  // Device and inode name the file; a rename, a write or a new file moves its change time. The
  // directory is per V8 version (register-ts.js). Plain numbers: no hash to compute per module.
  const key = `${st.dev}-${st.ino}-${st.size}-${st.mtimeNs}-${st.ctimeNs}-${content.length}`;
  return path.join(directory, `v8-${key}.bin`);
}

/** The directory's entry names when this process started (a missing entry costs no failed read). */
let known;

function read(entry) {
  if (known !== undefined && !known.has(path.basename(entry))) return undefined;
  let buf;
  try {
    buf = fs.readFileSync(entry);
  } catch {
    return undefined;
  }
  if (buf.length <= 32) return undefined;
  const data = buf.subarray(32);
  return crypto.createHash("sha256").update(data).digest().equals(buf.subarray(0, 32)) ? data : undefined;
}

/** A require function as Node's own (lib/internal/modules/helpers makeRequireFunction) gives a module. */
function makeRequire(mod) {
  const require = function require(id) {
    return mod.require(id);
  };
  function resolve(request, options) {
    return Module._resolveFilename(request, mod, false, options);
  }
  resolve.paths = function paths(request) {
    return Module._resolveLookupPaths(request, mod);
  };
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

let fillMode = "background";

/** Turns the cache on for this process, in `cacheDir` (made 0700 by the caller's rules); `fill`: "background", "sync" or "off". */
function install(cacheDir, fill = "background") {
  if (installed) return false;
  dir = cacheDir;
  fillMode = fill;
  installed = true;
  try {
    known = new Set(fs.readdirSync(dir));
  } catch {
    known = new Set();
  }
  const original = (originalCompile = Module.prototype._compile);
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (typeof filename !== "string" || typeof content !== "string" || !filename.includes(SEP_NM) || !filename.endsWith(".js")) return original.call(this, content, filename);
    const entry = entryFor(dir, filename, content);
    if (entry === undefined) return original.call(this, content, filename);
    const cachedData = read(entry);
    if (cachedData === undefined) {
      misses.add(filename);
      return original.call(this, content, filename);
    }
    if (cachedData.equals(LEFT_TO_NODE)) return original.call(this, content, filename);
    let fn;
    try {
      fn = vm.compileFunction(content, PARAMS, { filename, cachedData });
    } catch {
      // A syntax error, or anything else unusual: Node's own compile reports it as it would.
      return original.call(this, content, filename);
    }
    if (fn.cachedDataRejected) {
      // Bytes V8 refuses (another V8 flag, say): the entry goes, Node compiles the module (it may be
      // one that runs import(), which a function compiled here could not), and the filler produces
      // it again.
      try {
        fs.rmSync(entry, { force: true });
      } catch {
        /* read-only: it stays refused, which only costs speed */
      }
      misses.add(filename);
      return original.call(this, content, filename);
    }
    hits++;
    return fn.call(this.exports, this.exports, makeRequire(this), this, filename, path.dirname(filename));
  };
  return true;
}

/** The entry's bytes for a module: V8's code cache, or LEFT_TO_NODE for one that can run import(). */
function produce(filename, content) {
  if (DYNAMIC_IMPORT.test(content) && canImportDynamically(content, filename)) return LEFT_TO_NODE;
  const fn = vm.compileFunction(content, PARAMS, { filename, produceCachedData: true });
  return fn.cachedData && fn.cachedData.length > 0 ? fn.cachedData : undefined;
}

/** Stores `data` as the entry, its sha256 first. */
function writeEntry(entry, data) {
  return writeAtomic(entry, Buffer.concat([crypto.createHash("sha256").update(data).digest(), data]));
}

/** Produces and writes the entries of `files` in `directory`, within `budgetMs`; returns how many were written. */
function fill(directory, files, budgetMs = 120_000) {
  const until = Date.now() + budgetMs;
  let written = 0;
  for (const filename of files.slice(0, 20_000)) {
    if (Date.now() > until) break;
    try {
      const content = fs.readFileSync(filename, "utf8");
      const entry = entryFor(directory, filename, content);
      if (entry === undefined || read(entry) !== undefined) continue;
      const data = produce(filename, content);
      if (data === undefined) continue;
      if (writeEntry(entry, data)) written++;
    } catch {
      /* unreadable, or the directory went away: skip */
    }
  }
  if (written > 0) prune(directory);
  return written;
}

const FILL_LOCK = "fill.lock";
/** A filler that holds the lock longer than this is taken to be dead. */
const FILL_LOCK_STALE_MS = 180_000;

/**
 * Hands the modules this process compiled without an entry to a detached filler (or, in the fill
 * mode "sync", fills them now). Called when the process ends and by a stack
 * worker before it answers; cheap when there is nothing to fill.
 */
function flush() {
  if (!installed || misses.size === 0) return;
  const files = [...misses];
  misses.clear();
  if (fillMode === "off") return;
  if (fillMode === "sync") {
    fill(dir, files);
    return;
  }
  try {
    const list = path.join(dir, `fill-${process.pid}-${crypto.randomBytes(4).toString("hex")}.json`);
    if (!writeAtomic(list, JSON.stringify(files))) return;
    const { spawn } = require("child_process");
    const child = spawn(process.execPath, [__filename, dir, list], { detached: true, stdio: "ignore", env: { ...process.env, GOGUARD_COMPILE_CACHE: "off" } });
    child.unref();
  } catch {
    /* cannot start it: the next run tries again */
  }
}

/**
 * Every reinstall of the packages gives their files new change times, hence new entries (~1,300,
 * ~10 MB for a check's set): past MAX_ENTRIES files the oldest half goes, so the directory stays
 * bounded; an entry still in use is produced again by the next run that needs it.
 */
const MAX_ENTRIES = 8000;

/** Removes the oldest files of `directory` (by modification time) down to half of `max`, once it holds more than `max`. */
function prune(directory, max = MAX_ENTRIES) {
  let names;
  try {
    names = fs.readdirSync(directory);
  } catch {
    return 0;
  }
  if (names.length <= max) return 0;
  const files = [];
  for (const name of names) {
    try {
      files.push([fs.statSync(path.join(directory, name)).mtimeMs, name]);
    } catch {
      /* gone already */
    }
  }
  files.sort((a, b) => a[0] - b[0]);
  let removed = 0;
  for (const [, name] of files.slice(0, Math.max(0, files.length - Math.floor(max / 2)))) {
    try {
      fs.rmSync(path.join(directory, name), { force: true });
      removed++;
    } catch {
      /* another process removed it */
    }
  }
  return removed;
}

module.exports = { install, flush, prune, stats: () => ({ hits, misses: misses.size }) };

/** Takes the fillers' lock, waiting (bounded) for another filler to finish; a lock older than FILL_LOCK_STALE_MS is a dead filler's. */
function takeLock(lock, waitMs = 60_000) {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx", mode: 0o600 });
      return true;
    } catch {
      try {
        // A lock whose filler is gone (killed: its pid no longer exists) or too old is taken over.
        const holder = Number(fs.readFileSync(lock, "utf8"));
        let alive = Number.isInteger(holder) && holder > 0;
        if (alive) {
          try {
            process.kill(holder, 0);
          } catch (err) {
            alive = err.code === "EPERM";
          }
        }
        if (!alive || Date.now() - fs.statSync(lock).mtimeMs > FILL_LOCK_STALE_MS) fs.rmSync(lock, { force: true });
      } catch {
        /* released meanwhile */
      }
    }
    if (Date.now() > until) return false;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

// The filler: `node compile-cache.js DIR LIST.json` (started by flush, detached). One at a time
// (the lock, waited for up to a minute): fills, then removes the list and the lock; bounded by
// fill's budget and the list's length.
if (require.main === module) {
  const [directory, list] = process.argv.slice(2);
  const lock = path.join(directory, FILL_LOCK);
  let locked = false;
  try {
    locked = takeLock(lock);
    if (!locked) throw new Error("another filler holds the lock");
    const files = JSON.parse(fs.readFileSync(list, "utf8"));
    if (Array.isArray(files)) fill(directory, files.filter((f) => typeof f === "string"));
  } catch {
    /* still locked after a minute, or the directory went away: the next run hands the list over again */
  } finally {
    fs.rmSync(list, { force: true });
    if (locked) {
      // Lists a killed filler left behind (older than ten minutes) go too.
      try {
        for (const name of fs.readdirSync(directory)) {
          if (!/^fill-.*\.json$/.test(name)) continue;
          const file = path.join(directory, name);
          if (Date.now() - fs.statSync(file).mtimeMs > 600_000) fs.rmSync(file, { force: true });
        }
      } catch {
        /* the directory went away */
      }
      fs.rmSync(lock, { force: true });
    }
  }
}
