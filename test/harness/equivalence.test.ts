// The check's speed-ups keep its verdicts: the pack's handlers get equal props whether a request's
// Struct is built field by field (protobuf, as the gRPC server decodes it) or hands out copies of
// the wire-form JSON; and stacks run in turn in one worker (SDK state per run) give what a worker
// of their own gives, in any order. The programs of test/programs/corpus and rules and the shipped
// stacks are compared here; test/corpus-doc.test.ts compares its own corpus on every run.
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { jobFor } from "../../cli/commands/check";
import { runStackFresh, runStackIsolated } from "../../cli/harness/fork";
import { StackResult } from "../../cli/harness/types";
import { jsonStruct } from "../../cli/harness/pack";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../../cli/harness/wire";

const PROGRAMS = path.join(__dirname, "../programs");
const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] }));

describe("the JSON props Struct reads as the protobuf Struct does, through @pulumi/policy's own deserializer", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { deserializeProperties } = require("@pulumi/policy/deserialize") as { deserializeProperties: (s: unknown, proxySecrets: boolean) => Record<string, unknown> };
  test("for any JSON object (property), secrets and unknown sentinels included", () => {
    const secret = fc.jsonValue({ maxDepth: 2 }).map((value) => ({ [SIG_KEY]: SECRET_SIG, value }));
    const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), secret, fc.constant(UNKNOWN));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), value), (obj) => {
        // Copies made in this realm (structuredClone's arrays come from Node's own realm, which
        // @pulumi/policy's `instanceof Array` under jest's sandbox does not recognise).
        const copy = (): Record<string, unknown> => JSON.parse(JSON.stringify(obj));
        const reference = deserializeProperties(structPb.Struct.fromJavaScript(copy()), false);
        expect(deserializeProperties(jsonStruct(structPb, copy()), false)).toEqual(reference);
      }),
      { numRuns: 300 },
    );
  });

  test("a rule that mutates its props changes nothing for the next; the shared value itself cannot be written", () => {
    const s = jsonStruct(structPb, { metadata: { labels: { app: "a" } }, list: [{ x: 1 }, "s", null, true] });
    const first = deserializeProperties(s, false) as { metadata: { labels: { app: string } }; list: unknown[] };
    first.metadata.labels.app = "changed";
    (first.list[0] as { x: number }).x = 2;
    first.list.push("extra");
    expect(deserializeProperties(s, false)).toEqual({ metadata: { labels: { app: "a" } }, list: [{ x: 1 }, "s", null, true] });
    const shared = s.toJavaScript() as { metadata: { labels: { app: string } }; list: unknown[] };
    expect(() => {
      shared.metadata.labels.app = "changed";
    }).toThrow(TypeError);
    expect(() => shared.list.push("extra")).toThrow(TypeError);
    expect(s.toJavaScript()).toEqual({ metadata: { labels: { app: "a" } }, list: [{ x: 1 }, "s", null, true] });
  });
});

/** Every corpus and rule program, checked in prod: [label, program file]. */
const programs: Array<[string, string]> = [
  ...["corpus", "rules"].flatMap((dir) =>
    fs
      .readdirSync(path.join(PROGRAMS, dir))
      .filter((f) => /\.(ts|js)$/.test(f))
      .sort()
      .map((f): [string, string] => [`${dir}/${f}`, path.join(PROGRAMS, dir, f)]),
  ),
];

const view = (r: StackResult) => ({ stack: r.stack, resources: r.resources, error: r.error, violations: r.violations });

describe("the JSON props path and the protobuf props path give the same violations", () => {
  const runs = new Map<string, Promise<StackResult>>();
  beforeAll(() => {
    for (const [label, file] of programs) {
      const p = runStackIsolated({ ...jobFor("prod", { program: file }), props: "both" });
      p.catch(() => undefined);
      runs.set(label, p);
    }
    for (const stack of ["dev", "staging", "prod"]) {
      const p = runStackIsolated({ ...jobFor(stack, {}), props: "both" });
      p.catch(() => undefined);
      runs.set(`stacks/index.ts ${stack}`, p);
    }
  });

  test.each([...programs.map(([label]) => label), "stacks/index.ts dev", "stacks/index.ts staging", "stacks/index.ts prod"])(
    "%s",
    async (label) => {
      const r = await runs.get(label)!;
      expect(r.protobufViolations).toBeDefined();
      expect(r.violations).toEqual(r.protobufViolations);
    },
    120_000,
  );

  test("the comparison is not vacuous: the corpora produce violations, mandatory and advisory", async () => {
    const all = (await Promise.all(runs.values())).flatMap((r) => r.violations);
    expect(all.filter((v) => v.enforcementLevel === "mandatory").length).toBeGreaterThan(30);
    expect(all.filter((v) => v.enforcementLevel === "advisory").length).toBeGreaterThan(5);
  }, 300_000);
});

describe("stacks run in turn in one worker give what a worker per stack gives, in any order", () => {
  // Each reference run starts a worker of its own (~2 s of CPU): three programs of different shapes
  // (a yaml/v2 ConfigGroup, many workloads, the shipped stack with its components and Dockerfiles).
  const picked = ["rules/k8s-env-configgroup.ts", "corpus/compliant-lookalikes.ts"].map((l) => path.join(PROGRAMS, l));
  const jobs = [...picked.map((file) => jobFor("prod", { program: file })), jobFor("dev", {})];

  test("forward and backward through one worker, each equal to its own worker's result", async () => {
    const fresh: StackResult[] = [];
    for (const job of jobs) fresh.push(await runStackFresh(job));
    const forward = await Promise.all(jobs.map((job) => runStackIsolated(job)));
    const backward = (await Promise.all([...jobs].reverse().map((job) => runStackIsolated(job)))).reverse();
    expect(forward.map(view)).toEqual(fresh.map(view));
    expect(backward.map(view)).toEqual(fresh.map(view));
    expect(fresh.every((r) => r.error === null && r.resources > 0)).toBe(true);
  }, 300_000);
});
