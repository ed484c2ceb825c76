// State kept once per process, whatever module registry asks for it. Under jest every test file
// loads the project's modules afresh, so a module-level variable is one per file. Core modules are
// shared by every registry of a process with two exceptions: jest hands each test file a copy of
// `module` (jest-runtime's _getMockedNativeModule) and of `process` (its environment's). `util`'s
// exports object is the real one everywhere, and the state is kept on it under a registered symbol.
// In the CLI and the workers there is one registry and this is a plain module-level value.

/** The value kept under `key` for this process, made by `init` the first time it is asked for. */
export function processWide<T>(key: string, init: () => T): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const holder = require("util") as Record<symbol, T | undefined>;
  const sym = Symbol.for(key);
  return (holder[sym] ??= init());
}
