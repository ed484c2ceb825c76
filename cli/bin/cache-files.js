"use strict";
// Writing an entry of GoGuard's cache directory (cli/bin/register-ts.js, cli/bin/compile-cache.js):
// to a temporary name of this process only (created, never opened if it exists), then renamed over
// the entry, so a reader sees the old entry or the whole new one, never a part. Readers still check
// each entry's sha256 (a disk can fail); a write that fails only costs speed, so it is not an error.
const crypto = require("crypto");
const fs = require("fs");

/** Writes `data` to `file` through a temporary file and a rename; false when it could not. */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600, flag: "wx" });
    fs.renameSync(tmp, file);
    return true;
  } catch {
    fs.rmSync(tmp, { force: true });
    return false;
  }
}

module.exports = { writeAtomic };
