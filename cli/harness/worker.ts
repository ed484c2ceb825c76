// Worker process: runs stacks one after another and sends each result to the parent over IPC.
// The SDK and the policy pack load once per worker; each program runs with SDK state of its own
// (runProgram) and the pack is configured afresh for each stack. A run that left something running
// retires the worker, so that it cannot reach the next stack (the parent starts a new worker): a
// registration still in flight after the program failed (program.ts lastRunSettled), a timer or
// handle (leftovers), a rejection outside the run's own error, a time-out (the parent kills it).
// A program that failed cleanly (it threw, or a source did not compile, and everything it started
// ended) does not: its worker takes the next stack, as after a run that succeeded.
import { preloadPack, runStack, StackJob } from "./run-stack";
import { errorText, lastRunSettled } from "./program";
import { leftovers, trackTimers } from "./leftovers";
import { makeRedactor } from "./redact";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loader = require("../bin/register-ts") as { compileErrors: Array<{ diagnostics: string[] }>; flushCompileCache(): void };

/** parent → worker */
export interface RunMessage {
  readonly id: number;
  readonly job: StackJob;
  /** The parent's environment when it sent the job: the program sees it, as in a fresh worker. */
  readonly env: Readonly<Record<string, string>>;
}

/** worker → parent; `retire`: the worker exits after this answer. */
export interface AnswerMessage {
  readonly id: number;
  readonly ok: boolean;
  readonly compile?: boolean;
  readonly result?: import("./types").StackResult;
  readonly error?: string;
  readonly retire?: boolean;
}

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

function send(message: AnswerMessage): void {
  // The compiled code this run produced is written now: once the answer is out, the parent may end
  // and take this process with it (SIGKILL), before any exit handler could write it.
  loader.flushCompileCache();
  process.send!(message, undefined, {}, () => {
    if (message.retire) process.exit(0);
  });
}

/** Lets rejections raised by the run's last callbacks arrive (Node reports them after the microtask queue drains). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

// One job at a time, in arrival order; first, the pack the parent named at start (and the SDK it
// loads), so that loading overlaps the parent's own start. A pack that fails to load fails the
// first stack with its error (the load is not retried).
let queue: Promise<void> = Promise.resolve();
const preload = process.env.GOGUARD_WORKER_PACK;
delete process.env.GOGUARD_WORKER_PACK;
if (preload) queue = preloadPack(preload).catch(() => undefined);

process.on("message", (m: RunMessage) => {
  queue = queue.then(() => handle(m));
});

async function handle({ id, job, env }: RunMessage): Promise<void> {
  pendingError = undefined;
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
  const compileBefore = loader.compileErrors.length;
  const activeBefore = process.getActiveResourcesInfo();
  const timers = trackTimers();
  try {
    let result;
    try {
      result = await runStack(job);
      await settle();
    } finally {
      timers.stop();
    }
    // Anything of this run that could still run later: the worker does not take another stack. (A
    // program's own error also reaches unhandledRejection, through the SDK's stack promise; any
    // other rejection counts.)
    const strayRejection = pendingError !== undefined && pendingError !== result.error;
    const unclean = !lastRunSettled() || strayRejection || timers.pending() > 0 || leftovers(activeBefore, process.getActiveResourcesInfo()).length > 0;
    // A source the compiler refused is a setup error (exit 2), not a verdict on the stack, even when
    // the program's own code caught and wrapped the loader's error.
    const compileErrors = loader.compileErrors.slice(compileBefore);
    if (compileErrors.length > 0) {
      send({ id, ok: false, compile: true, error: compileErrors.flatMap((e) => e.diagnostics).join("\n"), ...(unclean ? { retire: true } : {}) });
      return;
    }
    // An error raised late (inside an apply) may quote a secret the run has seen.
    const { secretValues, ...rest } = result;
    const late = pendingError && !result.error ? makeRedactor(secretValues ?? [])(pendingError) : undefined;
    send({ id, ok: true, result: { ...rest, ...(late !== undefined ? { error: late } : {}), ...(job.keepCaptured ? { secretValues } : {}) }, ...(unclean ? { retire: true } : {}) });
  } catch (err) {
    send({ id, ok: false, error: errorText(err), retire: true });
  }
}
