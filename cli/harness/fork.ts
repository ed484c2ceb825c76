import { ChildProcess, fork, ForkOptions } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { StackJob } from "./run-stack";
import { StackResult } from "./types";
import { processWide } from "../../components/toolchain/process-wide";
import type { AnswerMessage, RunMessage } from "./worker";

export class HarnessError extends Error {}

/**
 * A worker that sat idle this long is ended. Within one command the stacks follow each other with
 * no gap; a test file's checks, and the next test file's, come a few milliseconds apart.
 */
const IDLE_MS = 3000;

/**
 * GOGUARD_WORKER_IDLE_MS overrides it (a whole number of milliseconds up to ten minutes): the test
 * suite keeps each jest process's worker across its test files, which start seconds apart. An idle
 * worker never keeps its parent alive (holdOpen), so a longer wait costs memory, not time.
 */
function idleMs(): number {
  const raw = process.env.GOGUARD_WORKER_IDLE_MS;
  if (raw === undefined || !/^\d{1,6}$/.test(raw)) return IDLE_MS;
  return Math.min(Number(raw), 600_000);
}
/** Bounded: a worker's stderr only serves to name the last thing it printed before dying. */
const STDERR_KEEP = 16 * 1024;

interface Pending {
  readonly job: StackJob;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly resolve: (r: StackResult) => void;
  /**
   * Rejects with a HarnessError of the module instance that queued the stack: under jest the
   * worker's listeners may belong to an earlier test file's instance, whose class `instanceof`
   * would not recognise.
   */
  readonly fail: (message: string) => void;
}

/**
 * One worker per policy pack (@pulumi/policy serves one pack per process), running that pack's
 * stacks one after another. A worker that failed a run retires and the next stack gets a new one.
 */
interface Lane {
  readonly packDir: string;
  child?: ChildProcess;
  stderr: string;
  inFlight?: Pending & { id: number; timer: NodeJS.Timeout };
  readonly queue: Pending[];
  idle?: NodeJS.Timeout;
}

/**
 * The workers' bookkeeping, one per process (processWide): the test files of one jest process reuse
 * a stack worker instead of each starting its own.
 */
interface Shared {
  readonly lanes: Map<string, Lane>;
  /** Workers alive now: killed with their parent (see killWorkers and the bin's signal handlers). */
  readonly live: Set<ChildProcess>;
  nextId: number;
}
const shared = processWide<Shared>("goguard.harness.workers.v1", () => ({ lanes: new Map(), live: new Set(), nextId: 1 }));
const { lanes, live } = shared;

/** Kills every worker this process started and has not seen exit. */
export function killWorkers(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
  for (const lane of lanes.values()) {
    if (lane.idle) clearTimeout(lane.idle);
    lane.child = undefined;
  }
}

/** Ends the idle workers now (a test file's afterAll; the CLI does not need it: idle workers do not keep it alive). */
export function closeIdleWorkers(): void {
  for (const lane of lanes.values()) {
    if (lane.inFlight || lane.queue.length > 0 || !lane.child) continue;
    if (lane.idle) clearTimeout(lane.idle);
    retire(lane);
  }
}

/**
 * On Linux, workers start under util-linux `setpriv --pdeathsig SIGKILL`: the kernel kills them when
 * this process dies, even by SIGKILL and even while they are still loading modules (synchronous work
 * no in-process watchdog can interrupt). Elsewhere the worker's own ppid watchdog covers it.
 */
function deathSignalOptions(): Partial<ForkOptions> {
  if (process.platform !== "linux") return {};
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((f) => fs.existsSync(f));
  return setpriv ? { execPath: setpriv, execArgv: ["--pdeathsig", "SIGKILL", process.execPath, ...process.execArgv] } : {};
}

/** The worker's IPC channel and process keep this process alive only while a stack is running. */
function holdOpen(child: ChildProcess, hold: boolean): void {
  const channel = (child as unknown as { channel?: { ref(): void; unref(): void } }).channel;
  const pipes = [child.stdout, child.stderr] as unknown as Array<{ ref?(): void; unref?(): void } | null>;
  if (hold) {
    child.ref();
    channel?.ref();
    for (const p of pipes) p?.ref?.();
  } else {
    child.unref();
    channel?.unref();
    for (const p of pipes) p?.unref?.();
  }
}

function retire(lane: Lane): void {
  const child = lane.child;
  lane.child = undefined;
  if (child) {
    live.delete(child);
    child.kill("SIGKILL");
  }
}

function lastLine(stderr: string): string | undefined {
  return stderr
    .trim()
    .split("\n")
    .filter((l) => l.trim() !== "" && !/^\s+at /.test(l))
    .pop();
}

function spawn(lane: Lane, packDir: string): ChildProcess {
  // The worker starts loading the SDK and the pack at once, before its first stack arrives.
  const env = { ...process.env, GOGUARD_WORKER_PACK: packDir };
  const child = fork(path.join(__dirname, "worker-entry.js"), [], { stdio: ["ignore", "pipe", "pipe", "ipc"], env, ...deathSignalOptions() });
  live.add(child);
  lane.stderr = "";
  child.stderr?.on("data", (d) => {
    lane.stderr = (lane.stderr + d).slice(-STDERR_KEEP);
  });
  child.stdout?.on("data", () => undefined);
  child.on("message", (m: AnswerMessage) => {
    const p = lane.inFlight;
    if (!p || m.id !== p.id) return;
    clearTimeout(p.timer);
    lane.inFlight = undefined;
    if (m.retire && lane.child === child) {
      // It exits by itself once the answer is out; the next stack gets a fresh worker.
      lane.child = undefined;
      live.delete(child);
    }
    const stack = p.job.stack;
    if (m.ok) p.resolve(m.result!);
    else p.fail(m.compile ? `stack ${stack}: the program does not compile: ${m.error!.split("\n").join("; ")} Fix the source (pulumi preview refuses it too).` : `stack ${stack}: ${m.error}`);
    dispatch(lane);
  });
  const gone = (what: string): void => {
    live.delete(child);
    if (lane.child !== child) return;
    lane.child = undefined;
    const p = lane.inFlight;
    if (p) {
      clearTimeout(p.timer);
      lane.inFlight = undefined;
      const last = lastLine(lane.stderr);
      p.fail(`stack ${p.job.stack}: the worker ${what} before answering${last ? ` (${last.trim()})` : ""}; run with --debug for details`);
      dispatch(lane);
    }
  };
  child.on("exit", (code) => gone(`exited with ${code}`));
  // A job sent to a worker that had just died (EPIPE), or a worker that could not start: its stack
  // fails as on exit, instead of an unhandled 'error' event ending this process.
  child.on("error", (err) => {
    if (lane.child === child) child.kill("SIGKILL");
    gone(`failed (${err.message})`);
  });
  return child;
}

function dispatch(lane: Lane): void {
  if (lane.inFlight) return;
  const next = lane.queue.shift();
  if (!next) {
    if (lane.child) {
      holdOpen(lane.child, false);
      lane.idle = setTimeout(() => retire(lane), idleMs());
      lane.idle.unref();
    }
    return;
  }
  if (lane.idle) clearTimeout(lane.idle);
  lane.idle = undefined;
  const child = lane.child ?? (lane.child = spawn(lane, lane.packDir));
  holdOpen(child, true);
  const id = shared.nextId++;
  const timer = setTimeout(() => {
    lane.inFlight = undefined;
    retire(lane);
    next.fail(`stack ${next.job.stack}: the offline run did not finish within ${next.timeoutMs} ms; make the program finish (an await on an unknown preview value never resolves)`);
    dispatch(lane);
  }, next.timeoutMs);
  lane.inFlight = { ...next, id, timer };
  const message: RunMessage = { id, job: next.job, env: next.env };
  child.send(message);
}

/**
 * Starts the worker for a pack before any stack is known, so it loads the SDK and the pack while
 * this process loads the CLI (two cores instead of one, one after the other). The bin calls it for
 * `check`; an unused worker does not keep the process alive and ends with it.
 */
export function prestart(packDir: string): void {
  if (lanes.has(packDir)) return;
  const lane: Lane = { packDir, stderr: "", queue: [] };
  lanes.set(packDir, lane);
  lane.child = spawn(lane, packDir);
  holdOpen(lane.child, false);
}

/**
 * Runs a stack in a worker process (not in this one: a program may loop, exit or crash), bounded in
 * time. Stacks of the same pack share one worker and run in turn; the time bound counts from the
 * moment the stack's own run starts.
 */
export function runStackIsolated(job: StackJob, timeoutMs = 120000): Promise<StackResult> {
  return enqueue(job.packDir, job, timeoutMs);
}

/** Runs a stack in a worker of its own, ended after it: the one-process-per-stack reference the equivalence tests compare with. */
export async function runStackFresh(job: StackJob, timeoutMs = 120000): Promise<StackResult> {
  const key = `${job.packDir}\0fresh-${shared.nextId++}`;
  try {
    return await enqueue(key, job, timeoutMs);
  } finally {
    const lane = lanes.get(key);
    lanes.delete(key);
    if (lane) {
      if (lane.idle) clearTimeout(lane.idle);
      retire(lane);
    }
  }
}

function enqueue(key: string, job: StackJob, timeoutMs: number): Promise<StackResult> {
  return new Promise((resolve, reject) => {
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { packDir: job.packDir, stderr: "", queue: [] }));
    // The environment of the moment the stack was asked for, as a worker started then would have it
    // (a test may set a variable between two checks; the worker outlives it).
    const env = { ...process.env } as Record<string, string>;
    lane.queue.push({ job, env, timeoutMs, resolve, fail: (message) => reject(new HarnessError(message)) });
    dispatch(lane);
  });
}
