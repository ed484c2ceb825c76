#!/usr/bin/env node
"use strict";
// npm test: the type check and the jest suite, side by side. The suite keeps two cores only ~80% busy
// (its files wait on the processes they start), so the type check (one core, 7-19 s) runs in the
// gaps instead of before the suite. The type check's output is printed when it ends, not
// interleaved; the command fails if either fails, and says which. Arguments go to jest.
const { spawn } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);

// The type check is package.json's own `typecheck` script, run through npm (one definition of it).
const tsc = spawn(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "--silent", "typecheck"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
let tscOut = "";
tsc.stdout.on("data", (d) => (tscOut += d));
tsc.stderr.on("data", (d) => (tscOut += d));
const tscDone = new Promise((resolve) => tsc.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1))));

const jest = spawn(process.execPath, [bin("jest", "bin/jest.js"), ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
const jestDone = new Promise((resolve) => jest.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1))));

// Interrupted: both children go too.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    tsc.kill(signal);
    jest.kill(signal);
    process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
  });
}

Promise.all([tscDone, jestDone]).then(([tscCode, jestCode]) => {
  if (tscOut.trim() !== "") process.stdout.write(`\n── type check (tsc --noEmit) ──\n${tscOut}`);
  process.stdout.write(`\ntype check: ${tscCode === 0 ? "passed" : `FAILED (exit ${tscCode})`}; tests: ${jestCode === 0 ? "passed" : `FAILED (exit ${jestCode})`}\n`);
  process.exitCode = tscCode === 0 && jestCode === 0 ? 0 : 1;
});
