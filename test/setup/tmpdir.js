"use strict";
// One private temporary directory per test run: every test file and every command the tests start
// inherit it as TMPDIR (os.tmpdir() reads it), and teardown removes it with whatever a test forgot,
// so a run leaves nothing in the system temporary directory. Leftovers are listed, to be fixed.
const fs = require("fs");
const os = require("os");
const path = require("path");

/**
 * Where the run's directory goes: GOGUARD_TEST_TMPDIR_BASE if set; else, on Linux, /dev/shm when it
 * is a tmpfs mounted without noexec (tests run scripts and binaries from their directories) with
 * at least 2 GB free; else the system temporary directory. The suite writes many small files
 * (npm installs the packed pack, ~12,000 files; CLIs render, lock and check in scratch directories):
 * on this VM's ext4 disk that was ~10 s of system time for the pack's install alone, 2 s on tmpfs.
 */
function base() {
  if (process.env.GOGUARD_TEST_TMPDIR_BASE) return process.env.GOGUARD_TEST_TMPDIR_BASE;
  if (process.platform !== "linux") return os.tmpdir();
  try {
    const shm = fs
      .readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((l) => l.split(" "))
      .find((f) => f[1] === "/dev/shm");
    if (!shm || shm[2] !== "tmpfs" || shm[3].split(",").includes("noexec") || shm[3].split(",").includes("ro")) return os.tmpdir();
    const st = fs.statfsSync("/dev/shm");
    if (st.bavail * st.bsize < 2 * 1024 ** 3) return os.tmpdir();
    fs.accessSync("/dev/shm", fs.constants.W_OK | fs.constants.X_OK);
    return "/dev/shm";
  } catch {
    return os.tmpdir();
  }
}

module.exports = async function setup() {
  const dir = fs.mkdtempSync(path.join(base(), "goguard-jest-"));
  process.env.GOGUARD_JEST_TMPDIR = dir;
  globalThis.__goguardJestTmpdir = dir;
  process.env.TMPDIR = dir;
  // Each jest process keeps its stack worker across test files (they start seconds apart; the
  // CLI's 3 s idle limit made most files start a worker of their own: 48 per run, ~1.5 s of CPU each).
  process.env.GOGUARD_WORKER_IDLE_MS = "60000";
  // The CLIs the tests start, many with a fresh cache directory, would each leave a detached filler
  // of V8's code cache behind (cli/bin/compile-cache.js); the tests of the filler turn it back on.
  process.env.GOGUARD_COMPILE_CACHE_FILL = "off";
};
