#!/usr/bin/env node
"use strict";
require("./register-ts");
require("../main").main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`goguard: ${err && err.stack ? err.stack : err}\n`); process.exitCode = 2; },
);
