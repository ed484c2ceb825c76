// Transpile-only (ts-jest isolatedModules): type errors are caught by `npm run typecheck`, which
// `npm test` runs first.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/test/image/"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: { isolatedModules: true, target: "ES2022", module: "commonjs", useDefineForClassFields: false, esModuleInterop: true, resolveJsonModule: true } }] },
  testTimeout: 60000,
};
