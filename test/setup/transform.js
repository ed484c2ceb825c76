// Jest transform for the project's TypeScript: esbuild's transformSync (TypeScript syntax stripped,
// nothing type-checked: `npm run typecheck` does that, and `npm test` runs it first). ts-jest loaded
// the TypeScript compiler in every jest worker and transpiled through it; esbuild does the same
// per-file work in a fraction of the time. The options match the project's tsconfig where they
// change the emitted code: CommonJS, ES2022, assign-semantics class fields (as tsc and ts-node under
// Pulumi emit them: a `declare`-less field must not wipe what a base constructor set) and
// esModuleInterop's default-import interop. Inline source maps: a failure points at the .ts line.
"use strict";
const crypto = require("crypto");
const esbuild = require("esbuild");

const OPTIONS = {
  loader: "ts",
  format: "cjs",
  target: "es2022",
  platform: "node",
  sourcemap: "inline",
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false, esModuleInterop: true, verbatimModuleSyntax: false } },
};

module.exports = {
  process(source, filename) {
    const out = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code: out.code };
  },
  getCacheKey(source, filename) {
    return crypto.createHash("sha256").update(JSON.stringify(["goguard-jest-esbuild v1", esbuild.version, OPTIONS, filename, source])).digest("hex");
  },
};
