// Real image builds with buildah (see test/image/README in the main README). Slow; run by .ci/run.
const base = require("./jest.config.js");
/** @type {import('jest').Config} */
module.exports = { ...base, testPathIgnorePatterns: ["/node_modules/"], testMatch: ["**/test/image/**/*.test.ts"], testTimeout: 900000 };
