"use strict";
// @pulumi/pulumi loads TypeScript (~9 MB of JavaScript) when it loads: runtime/closure/parseFunction.js
// requires `typescript-shim` at its top, for function serialization (`pulumi.runtime.serializeFunction`,
// used by callback functions such as an AWS Lambda written inline), which a program rarely reaches.
// In a stack worker that was ~37 MB of resident memory and ~150 ms of CPU per worker start, measured
// with the shipped stacks. `install()` puts a stand-in for the shim in the module cache: the first
// property read loads the real shim (which requires `typescript`, or the SDK's vendored copy, as
// before) and every read after that is the real module's. Must run before the SDK loads.
const Module = require("module");

let installed = false;

/** Installs the stand-in; false when the SDK has no such shim (another version) or it is loaded already. */
function install() {
  if (installed) return true;
  let shim;
  try {
    shim = require.resolve("@pulumi/pulumi/typescript-shim");
  } catch {
    return false;
  }
  if (require.cache[shim]) return false;
  let real;
  const load = () => {
    if (real === undefined) {
      delete require.cache[shim];
      real = require(shim);
    }
    return real;
  };
  const standIn = new Proxy(
    {},
    {
      get: (_t, key) => load()[key],
      has: (_t, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_t, key) => {
        const d = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a property its (empty) target lacks as non-configurable.
        return d === undefined ? undefined : { ...d, configurable: true };
      },
    },
  );
  const m = new Module(shim, module);
  m.filename = shim;
  m.paths = Module._nodeModulePaths(require("path").dirname(shim));
  m.exports = standIn;
  m.loaded = true;
  require.cache[shim] = m;
  installed = true;
  return true;
}

/** Whether the real TypeScript module has been loaded (for tests). */
function typescriptLoaded() {
  return Object.keys(require.cache).some((k) => /[\\/]node_modules[\\/]typescript[\\/]lib[\\/]typescript\.js$/.test(k));
}

module.exports = { install, typescriptLoaded };
