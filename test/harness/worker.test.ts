// The shared stack worker: stacks run in turn in one process must each see what a fresh process
// would show them (their own environment, config, stack name and module state), and a run that
// failed must not leave anything behind for the next stack (its worker retires).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { closeIdleWorkers, prestart, runStackFresh, runStackIsolated } from "../../cli/harness/fork";
import { leftovers, trackTimers } from "../../cli/harness/leftovers";
import { processWide } from "../../components/toolchain/process-wide";
import { StackJob } from "../../cli/harness/run-stack";
import { StackResult } from "../../cli/harness/types";

const PROBE_PACK = path.join(__dirname, "../fixtures/probe-pack");
const PROGRAMS = path.join(__dirname, "../programs");

function job(program: string, stack: string, config: Record<string, string> = {}): StackJob {
  return { stack, project: "goguard", programFile: path.join(PROGRAMS, program), config, secretKeys: [], packDir: PROBE_PACK, keepCaptured: true, computedOutputs: { "test:index:Probe": ["computed"] } };
}

const view = (r: StackResult) => ({ error: r.error, resources: r.resources, violations: r.violations, captured: r.captured, stackOutputs: r.stackOutputs });

describe("one worker, stacks in turn", () => {
  const saved = process.env.GOGUARD_TEST_ENV_PROBE;
  afterEach(() => {
    if (saved === undefined) delete process.env.GOGUARD_TEST_ENV_PROBE;
    else process.env.GOGUARD_TEST_ENV_PROBE = saved;
  });

  test("each run sees the environment of its moment, its own config and stack, and module state evaluated afresh", async () => {
    process.env.GOGUARD_TEST_ENV_PROBE = "first";
    const a = runStackIsolated(job("env-probe.ts", "dev", { "goguard:environment": "dev" }));
    process.env.GOGUARD_TEST_ENV_PROBE = "second";
    const b = runStackIsolated(job("env-probe.ts", "prod", { "goguard:environment": "prod" }));
    delete process.env.GOGUARD_TEST_ENV_PROBE;
    const c = runStackIsolated(job("env-probe.ts", "staging"));
    const outs = (await Promise.all([a, b, c])).map((r) => [r.error, r.stackOutputs, r.captured!.map((x) => x.urn)]);
    expect(outs).toEqual([
      [null, { environment: "dev", evaluations: 1, seen: "first", stack: "dev" }, ["urn:pulumi:dev::goguard::pulumi:pulumi:Stack::goguard-dev", "urn:pulumi:dev::goguard::test:index:Marker::marker-first"]],
      [null, { environment: "prod", evaluations: 1, seen: "second", stack: "prod" }, ["urn:pulumi:prod::goguard::pulumi:pulumi:Stack::goguard-prod", "urn:pulumi:prod::goguard::test:index:Marker::marker-second"]],
      [null, { environment: "(none)", evaluations: 1, seen: "(unset)", stack: "staging" }, ["urn:pulumi:staging::goguard::pulumi:pulumi:Stack::goguard-staging", "urn:pulumi:staging::goguard::test:index:Marker::marker-(unset)"]],
    ]);
  }, 120_000);

  test("a stack queued after a failing one gets what a worker of its own gives", async () => {
    const failed = runStackIsolated(job("throws.ts", "prod"));
    const after = runStackIsolated(job("probe.ts", "prod"));
    expect((await failed).error).toBe('goVersion must be an exact patch release such as "1.26.7"; got "1.26"');
    expect(view(await after)).toEqual(view(await runStackFresh(job("probe.ts", "prod"))));
    expect((await after).resources).toBe(4);
  }, 120_000);
});

describe("a run that leaves something able to call back retires its worker; one that failed cleanly does not", () => {
  const saved = process.env.GOGUARD_TEST_LEAVE;
  afterEach(() => {
    if (saved === undefined) delete process.env.GOGUARD_TEST_LEAVE;
    else process.env.GOGUARD_TEST_LEAVE = saved;
  });
  const pidOf = (r: StackResult) => {
    expect(r.error).toBeNull();
    return r.stackOutputs!.pid as number;
  };
  const urns = (r: StackResult) => r.captured!.map((x) => x.urn);

  test.each([
    ["nothing: the next stack runs in the same worker", undefined, true],
    ["a timer: the next stack gets a new worker, and the timer's resource reaches neither", "timer", false],
    ["a listening socket: the next stack gets a new worker", "socket", false],
    ["an unref'd timer (Node does not list it as active): the next stack gets a new worker", "unref-timer", false],
    ["an unref'd interval from the timers module: the next stack gets a new worker", "unref-interval", false],
    ["a timer set and cleared: the next stack runs in the same worker", "cleared-timer", true],
  ])("%s", async (_name, leave, same) => {
    if (leave === undefined) delete process.env.GOGUARD_TEST_LEAVE;
    else process.env.GOGUARD_TEST_LEAVE = leave;
    const first = runStackIsolated(job("pid-probe.ts", "dev"));
    delete process.env.GOGUARD_TEST_LEAVE;
    const second = runStackIsolated(job("pid-probe.ts", "prod"));
    const [a, b] = await Promise.all([first, second]);
    expect(pidOf(a) === pidOf(b)).toBe(same);
    expect(urns(a)).toEqual(["urn:pulumi:dev::goguard::pulumi:pulumi:Stack::goguard-dev", "urn:pulumi:dev::goguard::test:index:Marker::marker"]);
    expect(urns(b)).toEqual(["urn:pulumi:prod::goguard::pulumi:pulumi:Stack::goguard-prod", "urn:pulumi:prod::goguard::test:index:Marker::marker"]);
  }, 120_000);

  test.each([
    ["a program that failed and left nothing running: the next stack runs in the same worker", "throw", true],
    ["a program that failed with a registration still waiting: the next stack gets a new worker", "throw-pending", false],
  ])("%s", async (_name, leave, same) => {
    const before = runStackIsolated(job("pid-probe.ts", "dev"));
    process.env.GOGUARD_TEST_LEAVE = leave as string;
    const failing = runStackIsolated(job("pid-probe.ts", "staging"));
    delete process.env.GOGUARD_TEST_LEAVE;
    const after = runStackIsolated(job("pid-probe.ts", "prod"));
    const [a, f, b] = await Promise.all([before, failing, after]);
    expect(f.error).toBe("the program failed");
    expect(pidOf(a) === pidOf(b)).toBe(same);
    expect(urns(b)).toEqual(["urn:pulumi:prod::goguard::pulumi:pulumi:Stack::goguard-prod", "urn:pulumi:prod::goguard::test:index:Marker::marker"]);
  }, 120_000);

  test("the timer tracking counts what is neither fired nor cleared, unref'd included, and puts the functions back", async () => {
    const before = [globalThis.setTimeout, require("timers").setInterval];
    const tracked = trackTimers();
    expect(globalThis.setTimeout).not.toBe(before[0]);
    const fired = setTimeout(() => undefined, 1);
    const cleared = setTimeout(() => undefined, 60_000);
    clearTimeout(cleared);
    const left = setTimeout(() => undefined, 60_000).unref();
    const interval = (require("timers") as typeof import("timers")).setInterval(() => undefined, 60_000).unref();
    expect(typeof require("util").promisify(setTimeout)).toBe("function");
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 20));
    tracked.stop();
    // Node marks a fired or cleared timer destroyed; the two left are the unref'd ones.
    expect([fired, cleared].map((t) => (t as unknown as { _destroyed: boolean })._destroyed)).toEqual([true, true]);
    expect(tracked.pending()).toBe(2);
    clearTimeout(left);
    clearInterval(interval);
    expect(tracked.pending()).toBe(0);
    expect([globalThis.setTimeout, require("timers").setInterval]).toEqual(before);
  });

  test.each<[string[], string[], string[]]>([
    [["PipeWrap", "PipeWrap"], ["PipeWrap", "PipeWrap"], []],
    [["PipeWrap"], ["PipeWrap", "Timeout", "TCPServerWrap", "Timeout"], ["Timeout (+2)", "TCPServerWrap (+1)"]],
    [["PipeWrap", "Timeout"], ["PipeWrap"], []],
    [[], ["FSReqCallback"], ["FSReqCallback (+1)"]],
  ])("leftovers(%j, %j) = %j", (before, after, left) => expect(leftovers(before, after)).toEqual(left));
});

describe("a worker that dies before it answers", () => {
  let dir: string;
  let dies: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "goguard-dies-"));
    dies = path.join(dir, "dies.js");
    fs.writeFileSync(dies, "process.exit(7);\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** Starts workers with `start` while NODE_OPTIONS makes every new node process exit(7) at once. */
  function withDyingWorkers<T>(start: () => T): T {
    const saved = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = `${saved ?? ""} --require ${dies}`.trim();
    try {
      return start();
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
  }

  test("dead before its job is sent: the stack fails with the exit status", async () => {
    const run = withDyingWorkers(() => runStackFresh(job("probe.ts", "prod")));
    await expect(run).rejects.toThrow(/^stack prod: the worker (exited with 7|failed \(write EPIPE\)) before answering; run with --debug for details$/);
  }, 60_000);

  test("dead, not yet reaped, when its job is sent (EPIPE): the stack fails with the reason; the process does not crash", async () => {
    // The harness's bookkeeping (fork.ts Shared): prestart starts a worker only for a pack it has no lane for.
    const shared = processWide<{ lanes: Map<string, { child?: { pid?: number } }> }>("goguard.harness.workers.v1", () => {
      throw new Error("fork.ts keeps its bookkeeping under this key");
    });
    closeIdleWorkers();
    shared.lanes.delete(PROBE_PACK);
    withDyingWorkers(() => prestart(PROBE_PACK));
    const pid = shared.lanes.get(PROBE_PACK)!.child!.pid!;
    // Wait, without letting this process see the exit, until the worker is a zombie (bounded: 10 s).
    const until = Date.now() + 10_000;
    const state = () => fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0];
    while (state() !== "Z" && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    expect(state()).toBe("Z");
    // The send fails with EPIPE (an 'error' event on the child, unhandled before: the process
    // crashed); whether Node reports the exit or the error first, the stack fails with one of them.
    await expect(runStackIsolated(job("probe.ts", "prod"))).rejects.toThrow(/^stack prod: the worker (failed \(write EPIPE\)|exited with 7) before answering; run with --debug for details$/);
    // The next stack gets a healthy worker.
    expect((await runStackIsolated(job("probe.ts", "prod"))).resources).toBe(4);
  }, 60_000);
});

// Jest gives each test file its own module registry, and its own copy of the `module` and `process`
// core modules: state kept on either was per file, and every test file of a jest process started a
// stack worker of its own (~1.2 s of CPU each, ~20 per suite run). Run as jest runs the suite: two
// test files, one after the other, in one jest process.
describe("two test files of one jest process", () => {
  test("share one stack worker and the validators one of them compiled", async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "goguard-across-"));
    try {
      const out = path.join(dir, "records.jsonl");
      const root = path.join(__dirname, "../..");
      const config = {
        rootDir: root,
        roots: ["<rootDir>/test/fixtures/jest-across-files"],
        testMatch: ["**/*.across.ts"],
        transform: { "^.+\\.ts$": "<rootDir>/test/setup/transform.js" },
        testEnvironment: "node",
        cacheDirectory: path.join(dir, "jest-cache"),
      };
      const jest = require.resolve("jest/bin/jest");
      const r = spawnSync(process.execPath, [jest, "--runInBand", "--ci", "--config", JSON.stringify(config)], {
        cwd: root,
        env: { ...process.env, GOGUARD_TEST_ACROSS_OUT: out, GOGUARD_WORKER_IDLE_MS: "60000" },
        encoding: "utf8",
        timeout: 120_000,
      });
      expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({ status: 0, stderr: "" });
      const records = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { file: string; jest: number; worker: number; validators: number[] });
      expect(records.map((x) => x.file).sort()).toEqual(["one", "two"]);
      const [first, second] = records;
      expect(second.jest).toBe(first.jest);
      expect(second.worker).toBe(first.worker);
      expect(second.worker).not.toBe(second.jest);
      expect([first.validators, second.validators]).toEqual([
        [0, 1],
        [1, 1],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
