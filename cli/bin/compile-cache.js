"use strict";
// V8's compiled code for the CommonJS modules of installed packages, kept between runs (Node < 22.1:
// later Nodes have module.enableCompileCache, which register-ts.js turns on instead).
//
// Loading @pulumi/pulumi and the providers compiles ~1,200 modules, most of a check's fixed cost;
// with V8's code cache the same load took 0.60 s instead of 0.69 s on the development machine.
// Each module is compiled as Node compiles it (vm.compileFunction with the CommonJS parameters), with
// the bytes V8 produced for it the previous time. A module that can run import() is left to Node:
// on Node 20 a function compiled from cached bytes loses its import() callback
// (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). Which modules can is decided once per module with
// TypeScript's parser (an import() call, or a call of eval or Function, which could evaluate one),
// for the few whose text has `import(` at all, and kept as the module's entry.
// V8 checks the bytes against its own version, flags and the source, and refuses a mismatch (the
// module is then compiled afresh and the entry replaced). The entries live in the loader's 0700
// cache directory, one file per module, keyed on the module's path, device, inode, size,
// modification and change times and on V8's version and flags; each file starts with the sha256 of
// the bytes after it, checked on
// every read, and is written to a temporary name and renamed. Only files under node_modules are
// cached: the project's own TypeScript changes often and is cached as transpiled text.
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");

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
/** Entries produced in this process, written by flush(). */
const pending = new Map();
let installed = false;
let hits = 0;
let misses = 0;

function entryFor(filename, content) {
  let st;
  try {
    st = fs.statSync(filename, { bigint: true });
  } catch {
    return undefined;
  }
  // npm gives every installed file the same mtime (1985-10-26) and the filesystem reuses inode
  // numbers, so a same-size file of another package version could match on those alone; the change
  // time cannot be set back, and any write, rename or new file moves it.
  const key = crypto
    .createHash("sha256")
    .update(JSON.stringify(["goguard-v8 v2", process.versions.v8, process.execArgv, filename, String(st.dev), String(st.ino), String(st.size), String(st.mtimeNs), String(st.ctimeNs), content.length]))
    .digest("hex");
  return path.join(dir, `v8-${key}.bin`);
}

function read(entry) {
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

/** Turns the cache on for this process, in `cacheDir` (made 0700 by the caller's rules). */
function install(cacheDir) {
  if (installed) return false;
  dir = cacheDir;
  installed = true;
  const original = (originalCompile = Module.prototype._compile);
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (typeof filename !== "string" || typeof content !== "string" || !filename.includes(SEP_NM) || !filename.endsWith(".js")) return original.call(this, content, filename);
    const entry = entryFor(filename, content);
    if (entry === undefined) return original.call(this, content, filename);
    const cachedData = read(entry);
    if (cachedData !== undefined && cachedData.equals(LEFT_TO_NODE)) return original.call(this, content, filename);
    if (cachedData === undefined && DYNAMIC_IMPORT.test(content) && canImportDynamically(content, filename)) {
      pending.set(entry, LEFT_TO_NODE);
      return original.call(this, content, filename);
    }
    let fn;
    try {
      fn = vm.compileFunction(content, PARAMS, { filename, ...(cachedData ? { cachedData } : { produceCachedData: true }) });
    } catch {
      // A syntax error, or anything else unusual: Node's own compile reports it as it would.
      return original.call(this, content, filename);
    }
    if (cachedData && fn.cachedDataRejected) {
      // Bytes V8 refuses: the entry goes, and Node compiles the module (it may be one that runs
      // import(), which a function compiled here could not); the next process decides again.
      misses++;
      pending.set(entry, null);
      return original.call(this, content, filename);
    }
    if (cachedData) hits++;
    else {
      misses++;
      if (fn.cachedData && fn.cachedData.length > 0) pending.set(entry, fn.cachedData);
    }
    const dirname = path.dirname(filename);
    return fn.call(this.exports, this.exports, makeRequire(this), this, filename, dirname);
  };
  return true;
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

/** Writes the entries produced so far (each to a temporary name, then renamed); a failure only costs speed. */
function flush() {
  const wrote = pending.size > 0;
  for (const [entry, data] of pending) {
    try {
      if (data === null) {
        fs.rmSync(entry, { force: true });
        continue;
      }
      const tmp = `${entry}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
      fs.writeFileSync(tmp, Buffer.concat([crypto.createHash("sha256").update(data).digest(), data]), { mode: 0o600, flag: "wx" });
      fs.renameSync(tmp, entry);
    } catch {
      /* read-only or full: the next run compiles again */
    }
  }
  pending.clear();
  if (wrote) prune(dir);
}

module.exports = { install, flush, prune, stats: () => ({ hits, misses, pending: pending.size }) };
