// A JSON-Schema validator compiled the first time it is used. Compiling the project's schemas when
// their modules load cost every goguard command about 0.35 s of CPU (41% of `goguard --version`),
// though most commands validate none of them; ajv itself is loaded only then as well.
//
// Where the goguard loader runs (the CLI and its stack workers: cli/bin/register-ts.js), the
// compiled validator is also kept as code in the loader's cache (Ajv's standalone output, in the
// same user-owned 0700 directory and with the same sha256 integrity check as the transpiled
// TypeScript), keyed on Ajv's version, the options and the schema: loading it takes a few
// milliseconds where compiling the lock's schema took ~200. Elsewhere (the published pack under the
// engine, tests) the schema is compiled as before, once per process.
import type { ErrorObject, Options } from "ajv";
import * as path from "path";
import { loaderTextCache } from "./loader-cache";
import { processWide } from "./process-wide";

export interface LazyValidator {
  (data: unknown): boolean;
  /** The errors of the last call that failed (null after one that passed), as ajv's `errors`. */
  readonly errors: ErrorObject[] | null | undefined;
}

type Compiled = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Where the loader does not run, each schema is compiled once per process (keyed on the options and
 * the schema's JSON) and the validator shared: jest loads this module afresh for each test file, and
 * compiling the lock's and the index's schemas in every file was ~3 s of the suite's CPU. A validator
 * is a pure function of its input (its `errors` are read right after its own call).
 */
const compiledHere = processWide("goguard.ajv.compiled.v1", () => new Map<string, Compiled>());

/** Compiles `schema` with Ajv, or loads the code a previous compile left in the loader's cache. */
export function compileValidator(options: Options, schema: object): Compiled {
  // Ajv itself (~30 ms of CPU to load) is loaded only to compile: the cached code needs only its runtime helpers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ajvClass = (): typeof import("ajv").default => (require("ajv") as typeof import("ajv")).default;
  const cache = loaderTextCache();
  if (!cache) {
    const key = JSON.stringify([options, schema]);
    let compiled = compiledHere.get(key);
    if (!compiled) compiledHere.set(key, (compiled = new (ajvClass())(options).compile(schema)));
    return compiled;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version = (require("ajv/package.json") as { version: string }).version;
  const code = cache(["ajv-standalone", version, options, schema], () => {
    const Ajv = ajvClass();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const standaloneCode = (require("ajv/dist/standalone") as { default: (ajv: unknown, v: unknown) => string }).default;
    const ajv = new Ajv({ ...options, code: { ...(options.code ?? {}), source: true } });
    return standaloneCode(ajv, ajv.compile(schema));
  });
  return loadModule(code) as Compiled;
}

/** Runs generated CommonJS code as a module of this directory (its `require("ajv/dist/runtime/…")` resolve from here). */
function loadModule(code: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require("module") as { new (id: string, parent?: unknown): { filename: string; paths: string[]; exports: unknown; _compile(code: string, filename: string): void }; _nodeModulePaths(dir: string): string[] };
  const filename = path.join(__dirname, "ajv-standalone.generated.js");
  const m = new Module(filename, module);
  m.filename = filename;
  m.paths = Module._nodeModulePaths(__dirname);
  m._compile(code, filename);
  const exported = m.exports as { default?: unknown };
  return exported.default ?? exported;
}

export function lazyValidator(options: Options, schema: object): LazyValidator {
  let compiled: Compiled | undefined;
  const validate = (data: unknown): boolean => {
    compiled ??= compileValidator(options, schema);
    return compiled(data);
  };
  Object.defineProperty(validate, "errors", { get: () => compiled?.errors });
  return validate as LazyValidator;
}
