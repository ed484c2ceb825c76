// The goguard loader's text cache (cli/bin/register-ts.js `cachedCode`), offered to the project's
// modules through a global: present in the CLI and its stack workers, absent where the loader does
// not run (the published pack under the engine, jest), where callers compute instead. Each entry is
// keyed on everything that determines it and checked against its sha256 on every read.

/** The cached text for these key parts, produced and stored on a miss. */
export type TextCache = (parts: readonly unknown[], produce: () => string) => string;

const TEXT_CACHE = Symbol.for("goguard.codeCache.v1");

/** The loader's text cache, or undefined where the loader does not run. */
export function loaderTextCache(): TextCache | undefined {
  return (globalThis as Record<symbol, TextCache | undefined>)[TEXT_CACHE];
}
