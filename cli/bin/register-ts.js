"use strict";
// Loads TypeScript sources without a build step: each .ts file is transpiled in memory with
// TypeScript's own transpileModule (types are checked separately by `npm run typecheck`), and the
// result is cached on disk by content hash so later runs skip the transpile. Used by the goguard
// bin, the offline harness workers and `--program FILE.ts`.
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

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

let ts;
function cacheDir() {
  const candidates = [path.join(__dirname, "..", "..", "node_modules", ".cache", "goguard-ts"), path.join(os.tmpdir(), "goguard-ts-cache")];
  for (const dir of candidates) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    } catch {
      /* try the next one */
    }
  }
  return undefined;
}
const CACHE = cacheDir();

function transpile(source, filename) {
  const key = crypto.createHash("sha256").update("v1\0").update(filename).update("\0").update(source).digest("hex");
  const cached = CACHE && path.join(CACHE, `${key}.js`);
  if (cached) {
    try {
      return fs.readFileSync(cached, "utf8");
    } catch {
      /* not cached yet */
    }
  }
  ts ??= require("typescript");
  const out = ts.transpileModule(source, { fileName: filename, compilerOptions: OPTIONS, reportDiagnostics: false }).outputText;
  if (cached) {
    try {
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, out);
      fs.renameSync(tmp, cached);
    } catch {
      /* a read-only cache only costs speed */
    }
  }
  return out;
}

if (!require.extensions[".ts"]) {
  require.extensions[".ts"] = function loadTs(module, filename) {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
  };
}
