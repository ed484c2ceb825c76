// Worker process: runs one stack and sends its result to the parent over IPC. A fresh process per
// stack, because the Pulumi runtime keeps global state.
import { runStack, StackJob } from "./run-stack";
import { errorText } from "./program";
import { makeRedactor } from "./redact";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loader = require("../bin/register-ts") as { compileErrors: Array<{ diagnostics: string[] }> };

// A worker outlives nothing: when the parent goes (killed, interrupted, crashed), the IPC channel
// closes and the worker ends too instead of spinning on.
process.on("disconnect", () => process.exit(1));
// A parent killed outright (SIGKILL) does not always close the channel promptly: a worker re-parented
// to another process ends on its own within half a second.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();

let pendingError: string | undefined;
// Errors thrown inside apply callbacks surface as unhandled rejections: they are the program's errors.
process.on("unhandledRejection", (reason) => {
  pendingError ??= errorText(reason);
});

function send(message: unknown): void {
  process.send!(message, undefined, {}, () => process.exit(0));
}

process.once("message", async (job: StackJob) => {
  try {
    const result = await runStack(job);
    // A source the compiler refused is a setup error (exit 2), not a verdict on the stack, even when
    // the program's own code caught and wrapped the loader's error.
    if (loader.compileErrors.length > 0) {
      send({ ok: false, compile: true, error: loader.compileErrors.flatMap((e) => e.diagnostics).join("\n") });
      return;
    }
    // An error raised late (inside an apply) may quote a secret the run has seen.
    const { secretValues, ...rest } = result;
    const late = pendingError && !result.error ? makeRedactor(secretValues ?? [])(pendingError) : undefined;
    send({ ok: true, result: { ...rest, ...(late !== undefined ? { error: late } : {}), ...(job.keepCaptured ? { secretValues } : {}) } });
  } catch (err) {
    send({ ok: false, error: errorText(err) });
  }
});
