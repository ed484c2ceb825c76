#!/usr/bin/env node
"use strict";
// `goguard … | head`: a reader that goes away ends the command quietly, as for any Unix tool.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err && err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const debug = process.argv.includes("--debug") || process.env.GOGUARD_DEBUG === "1";
let fork;
try {
  require("./register-ts");
  fork = require("../harness/fork");
} catch (err) {
  process.stderr.write(`goguard: cannot load goguard itself: ${err && err.message ? err.message.split("\n")[0] : err}; reinstall with npm ci\n`);
  if (debug && err && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(2);
}
// Interrupted or terminated: the stack workers go with the command (they also exit on their own
// when the IPC channel closes, which covers SIGKILL of this process). In place before any worker
// exists, so a signal that arrives as the first one starts still ends the command this way.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
  process.on(signal, () => {
    fork.killWorkers();
    process.exit(code);
  });
}
// `check` with the project's own pack: its worker starts loading the SDK and the pack now, while
// this process loads the CLI (a `--pack` elsewhere gets its worker when the command knows it).
if (process.argv[2] === "check" && !process.argv.some((a) => a === "--pack" || a.startsWith("--pack="))) {
  fork.prestart(require("path").join(__dirname, "..", "..", "policies"));
}
require("../main").main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`goguard: internal error: ${err && err.message ? err.message.split("\n")[0] : err} (rerun with --debug for the stack trace)\n`);
    if (debug && err && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 2;
  },
);
