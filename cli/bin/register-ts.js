"use strict";
// Loads TypeScript sources without a build step: each .ts file is transpiled in memory by SWC
// (types are checked separately by `npm run typecheck`). Used by the goguard bin, the offline
// harness and `--program FILE.ts`.
const fs = require("fs");
const swc = require("@swc/core");

if (!require.extensions[".ts"]) {
  require.extensions[".ts"] = function loadTs(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const out = swc.transformSync(source, {
      filename,
      // Assign-semantics class fields, as tsc/ts-node under Pulumi: with define semantics a
      // `readonly x!: Output<T>` field would wipe the output a Resource base constructor set.
      jsc: { parser: { syntax: "typescript" }, target: "es2022", transform: { useDefineForClassFields: false } },
      module: { type: "commonjs" },
      sourceMaps: "inline",
    });
    module._compile(out.code, filename);
  };
}
