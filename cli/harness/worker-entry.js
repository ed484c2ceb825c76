"use strict";
require("../bin/register-ts");
require("./worker.ts");
