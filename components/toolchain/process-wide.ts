// State kept once per process, whatever module registry asks for it. Under jest every test file
// loads the project's modules afresh, so a module-level variable is one per file; a core module's
// exports object is the one object every registry of a process shares, and the state is kept on it
// under a registered symbol. In the CLI and the workers there is one registry and this is a plain
// module-level value.

/** The value kept under `key` for this process, made by `init` the first time it is asked for. */
export function processWide<T>(key: string, init: () => T): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const holder = require("module") as Record<symbol, T | undefined>;
  const sym = Symbol.for(key);
  return (holder[sym] ??= init());
}
