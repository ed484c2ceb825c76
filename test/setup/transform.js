// Jest transform for the project's TypeScript: esbuild's transformSync (TypeScript syntax stripped,
// nothing type-checked: `npm run typecheck` does that, and `npm test` runs it beside jest, scripts/test.js). ts-jest loaded
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
  // alwaysStrict: every module runs in strict mode, as tsc emits it ("use strict"), so a write to a
  // frozen object throws as it does in the product.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false, esModuleInterop: true, verbatimModuleSyntax: false, alwaysStrict: true } },
  // `await import("…")` becomes a require, as tsc emits it for CommonJS (jest's sandbox runs no
  // native dynamic import without --experimental-vm-modules).
  supported: { "dynamic-import": false },
};

module.exports = {
  process(source, filename) {
    const out = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code: out.code };
  },
  getCacheKey(source, filename) {
    return crypto.createHash("sha256").update(JSON.stringify(["goguard-jest-esbuild v2", esbuild.version, OPTIONS, filename, source])).digest("hex");
  },
};
