// Worker process: runs one stack and sends its result to the parent over IPC. A fresh process per
// stack, because the Pulumi runtime keeps global state.
import { runStack, StackJob } from "./run-stack";
import { errorText } from "./program";

let pendingError: string | undefined;
// Errors thrown inside apply callbacks surface as unhandled rejections: they are the program's errors.
process.on("unhandledRejection", (reason) => {
  pendingError ??= errorText(reason);
});

process.once("message", async (job: StackJob) => {
  try {
    const result = await runStack(job);
    const final = pendingError && !result.error ? { ...result, error: pendingError } : result;
    process.send!({ ok: true, result: final }, undefined, {}, () => process.exit(0));
  } catch (err) {
    process.send!({ ok: false, error: errorText(err) }, undefined, {}, () => process.exit(0));
  }
});
