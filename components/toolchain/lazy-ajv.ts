// A JSON-Schema validator compiled the first time it is used. Compiling the project's schemas when
// their modules load cost every goguard command about 0.35 s of CPU (41% of `goguard --version`),
// though most commands validate none of them; ajv itself is loaded only then as well.
import type { ErrorObject, Options } from "ajv";

export interface LazyValidator {
  (data: unknown): boolean;
  /** The errors of the last call that failed (null after one that passed), as ajv's `errors`. */
  readonly errors: ErrorObject[] | null | undefined;
}

export function lazyValidator(options: Options, schema: object): LazyValidator {
  let compiled: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null } | undefined;
  const validate = (data: unknown): boolean => {
    if (!compiled) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Ajv = (require("ajv") as typeof import("ajv")).default;
      compiled = new Ajv(options).compile(schema);
    }
    return compiled(data);
  };
  Object.defineProperty(validate, "errors", { get: () => compiled?.errors });
  return validate as LazyValidator;
}
