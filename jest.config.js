// Transpile-only (SWC): type errors are caught by `npm run typecheck`, which `npm test` runs first.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/test/image/"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022", transform: { useDefineForClassFields: false } }, module: { type: "commonjs" } }] },
  testTimeout: 60000,
};
