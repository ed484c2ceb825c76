// What a program run leaves behind that could still call back into its worker after the run ended:
// the worker (worker.ts) retires when there is any, so that nothing of one stack reaches the next
// (runs share the SDK's global store one after another, program.ts withStoreOfItsOwn).

/**
 * What a run left able to call back into this process after it ended: the kinds of Node's active
 * resources (timers, sockets, child processes, pending file operations) whose count grew over the
 * run, each as `kind (+n)`. A program's code can run again only through one of them (its promise
 * chains have drained by then), and programs share the SDK's global store one after another
 * (program.ts withStoreOfItsOwn): a worker that has any retires after answering, like one whose run
 * failed, so nothing of one stack reaches the next. Node lists only what keeps its event loop
 * alive: a timer the program unref'd is not seen here, and trackTimers counts those. (An unref'd
 * socket or child process is still not seen.)
 */
export function leftovers(before: readonly string[], after: readonly string[]): string[] {
  const count = (list: readonly string[]) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const was = count(before);
  return [...count(after)].filter(([k, n]) => n > (was.get(k) ?? 0)).map(([k, n]) => `${k} (+${n - (was.get(k) ?? 0)})`);
}

/**
 * The timers created while a run is in progress, unref'd ones included: Node's list of active
 * resources (`leftovers`) leaves out a timer the program unref'd, which still fires while the worker
 * lives. `setTimeout` and `setInterval`, global and from the `timers` module, are wrapped from the
 * call until `stop`; `pending` counts those neither fired nor cleared (Node marks such a timer
 * `_destroyed`; a timer without that mark counts as pending). Promise-based timers
 * (`timers/promises`) keep the loop alive unless told otherwise, so `leftovers` sees them.
 */
export function trackTimers(): { pending(): number; stop(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const timers = require("timers") as Record<"setTimeout" | "setInterval", (...args: unknown[]) => unknown>;
  const g = globalThis as unknown as Record<"setTimeout" | "setInterval", (...args: unknown[]) => unknown>;
  const made = new Set<{ _destroyed?: boolean }>();
  const saved: Array<[Record<string, unknown>, "setTimeout" | "setInterval", (...args: unknown[]) => unknown]> = [];
  for (const holder of [g, timers]) {
    for (const name of ["setTimeout", "setInterval"] as const) {
      const original = holder[name];
      saved.push([holder as unknown as Record<string, unknown>, name, original]);
      const wrapped = function (this: unknown, ...args: unknown[]): unknown {
        const timer = original.apply(this, args) as { _destroyed?: boolean };
        made.add(timer);
        return timer;
      };
      // util.promisify(setTimeout) keeps working (it reads the function's util.promisify.custom symbol).
      for (const sym of Object.getOwnPropertySymbols(original)) (wrapped as unknown as Record<symbol, unknown>)[sym] = (original as unknown as Record<symbol, unknown>)[sym];
      holder[name] = wrapped;
    }
  }
  return {
    pending: () => [...made].filter((t) => t._destroyed !== true).length,
    stop: () => {
      for (const [holder, name, original] of saved) holder[name] = original;
    },
  };
}
