"use strict";
const fs = require("fs");

module.exports = async function teardown() {
  const dir = globalThis.__goguardJestTmpdir ?? process.env.GOGUARD_JEST_TMPDIR;
  if (!dir) return;
  let left = [];
  try {
    left = fs.readdirSync(dir);
  } catch {
    return;
  }
  if (left.length > 0) process.stderr.write(`jest teardown: removing ${left.length} temporary entr${left.length === 1 ? "y" : "ies"} tests left behind: ${left.slice(0, 10).join(", ")}${left.length > 10 ? ", …" : ""}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
};
