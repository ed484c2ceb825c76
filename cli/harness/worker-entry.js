"use strict";
// Stack frames of a crashing program point at its TypeScript lines (the loader inlines source maps).
process.setSourceMapsEnabled(true);
require("../bin/register-ts");
require("./worker.ts");
