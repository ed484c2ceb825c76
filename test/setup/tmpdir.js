"use strict";
// One private temporary directory per test run: every test file and every command the tests start
// inherit it as TMPDIR (os.tmpdir() reads it), and teardown removes it with whatever a test forgot,
// so a run leaves nothing in the system temporary directory. Leftovers are listed, to be fixed.
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-jest-"));
  process.env.GOGUARD_JEST_TMPDIR = dir;
  globalThis.__goguardJestTmpdir = dir;
  process.env.TMPDIR = dir;
  // Each jest process keeps its stack worker across test files (they start seconds apart; the
  // CLI's 3 s idle limit made most files start a worker of their own: 48 per run, ~1.5 s of CPU each).
  process.env.GOGUARD_WORKER_IDLE_MS = "60000";
};
