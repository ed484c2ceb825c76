// The shared stack worker: stacks run in turn in one process must each see what a fresh process
// would show them (their own environment, config, stack name and module state), and a run that
// failed must not leave anything behind for the next stack (its worker retires).
import * as path from "path";
import { runStackFresh, runStackIsolated } from "../../cli/harness/fork";
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
