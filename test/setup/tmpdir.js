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
};
