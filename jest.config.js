// Transpile-only (esbuild, test/setup/transform.js): type errors are caught by `npm run typecheck`,
// which `npm test` runs first. Tests run in a random order (the seed is printed; rerun one order with
// `npx jest --seed=N`), so none may depend on another's leftovers. fast-check prints its own seed
// and path on a failing property.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/test/image/"],
  transform: { "^.+\\.ts$": "<rootDir>/test/setup/transform.js" },
  // Two workers on this 2-core machine: most files wait on the CLI processes they spawn, so a second
  // worker overlaps that waiting (129 s instead of 179 s for the suite, measured quiet).
  maxWorkers: 2,
  testTimeout: 60000,
  randomize: true,
  showSeed: true,
  globalSetup: "<rootDir>/test/setup/tmpdir.js",
  globalTeardown: "<rootDir>/test/setup/tmpdir-teardown.js",
};
