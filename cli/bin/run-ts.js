#!/usr/bin/env node
"use strict";
// node cli/bin/run-ts.js FILE.ts [args]: runs a TypeScript script through the same loader as the bin.
require("./register-ts");
const path = require("path");
const file = path.resolve(process.argv[2]);
process.argv.splice(1, 2, file);
require(file);
