"use strict";
// Node's source maps stay off (every stack trace the SDK takes would be mapped, frame by frame); a
// crashing program's frame is mapped on demand instead (register-ts originalPosition).
require("../bin/register-ts");
// Before the SDK loads: TypeScript only when a program serializes a function.
require("./lazy-typescript").install();
require("./worker.ts");
