// A full garbage collection between a large program's run and the pack's analysis. The program's
// run leaves most of its heap as garbage (5,000 ConfigMaps: ~470 MB in use when it ends, ~100 MB of
// it live), and V8 had no reason to collect it before the analysis allocated on top: the worker's
// peak was set there. Collecting first keeps the analysis inside the heap the run already grew.
import * as v8 from "v8";
import * as vm from "vm";

/** Heap in use above which a run's garbage is collected before the analysis. Below it (the shipped stacks use ~60-100 MB) a collection costs more than it returns. */
export const COLLECT_ABOVE_BYTES = 192 * 1024 * 1024;

let collect: (() => void) | undefined;

/**
 * V8's collector without --expose-gc on the command line, which would put `gc` on the global object
 * every program sees (non-deletably): the flag is turned on just long enough for a new, separate
 * context to be given the function, then off again (as jest's leak detector does).
 */
function collector(): () => void {
  if (collect) return collect;
  v8.setFlagsFromString("--expose-gc");
  try {
    collect = vm.runInNewContext("gc") as () => void;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
  return collect;
}

/** Collects when more than COLLECT_ABOVE_BYTES of heap is in use; says whether it did. */
export function collectIfLarge(usedBytes: number = process.memoryUsage().heapUsed): boolean {
  if (usedBytes <= COLLECT_ABOVE_BYTES) return false;
  collector()();
  return true;
}
