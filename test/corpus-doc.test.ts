// An independent corpus, written from the documentation of cmd/go, the kubelet, Dockerfile/BuildKit,
// Athens and the Pulumi providers (never from the pack's code): every program in
// test/programs/corpus-doc is checked in prod and must be refused with a mandatory violation on the
// named resource (whose message states the named facts), or pass with no violation at all.
// test/programs/corpus-doc/README.md lists every case with its source.
//
// The programs go through the check's own harness (the stack job `goguard check --stack prod
// --program FILE` builds, the shared worker, the real handlers) without the CLI's formatting, which
// test/cli/check.test.ts covers; each run also evaluates the pack with protobuf-built props, and
// both must agree (see test/harness/equivalence.test.ts).
import * as fs from "fs";
import * as path from "path";
import { jobFor } from "../cli/commands/check";
import { runStackIsolated } from "../cli/harness/fork";
import { StackResult } from "../cli/harness/types";
import { isOk } from "../cli/report";

const CORPUS = path.join(__dirname, "programs/corpus-doc");

interface Case {
  file: string;
  expect: "refused" | "clean";
  resource: string;
  mentions: string[];
  source: string;
}

const cases: Case[] = JSON.parse(fs.readFileSync(path.join(CORPUS, "expected.json"), "utf8"));

function violationView(v: StackResult["violations"][number]) {
  return `${v.enforcementLevel} ${v.urn.split("::").pop()} ${v.policyName}: ${v.message}`;
}

describe("the corpus itself", () => {
  test("every program on disk has exactly one expectation, and the expectations are well formed", () => {
    const programs = fs.readdirSync(CORPUS).filter((f) => f.endsWith(".ts")).sort();
    expect(cases.map((c) => c.file).sort()).toEqual(programs);
    expect(new Set(cases.map((c) => c.file)).size).toBe(cases.length);
    for (const c of cases) {
      expect(["refused", "clean"]).toContain(c.expect);
      expect(c.resource).toMatch(/^[a-z0-9][a-z0-9-]*(:[a-z0-9-]+\/[a-z0-9-]+)?$/);
      expect(c.source.length).toBeGreaterThan(10);
      if (c.expect === "refused") expect(c.mentions.length).toBeGreaterThan(0);
      else expect(c.mentions).toEqual([]);
    }
    // The brief's balance: mostly weakened programs, a real set of look-alikes that must pass.
    expect(cases.filter((c) => c.expect === "refused").length).toBeGreaterThanOrEqual(32);
    expect(cases.filter((c) => c.expect === "clean").length).toBeGreaterThanOrEqual(13);
  });

  test("every Dockerfile directory a program names exists beside it", () => {
    for (const c of cases) {
      const text = fs.readFileSync(path.join(CORPUS, c.file), "utf8");
      for (const m of text.matchAll(/path\.join\(__dirname, "([^"]+)"\)/g)) {
        expect(fs.existsSync(path.join(CORPUS, m[1], "Dockerfile"))).toBe(true);
      }
    }
  });
});

// Every check is queued from the start of the file on the harness's worker, which runs them in
// turn; each test waits only for its own program's run.
const runs = new Map<string, Promise<StackResult>>();
function check(file: string): Promise<StackResult> {
  let run = runs.get(file);
  if (!run) {
    run = runStackIsolated({ ...jobFor("prod", { program: path.join(CORPUS, file) }), props: "both" });
    runs.set(file, run);
  }
  return run;
}

describe("the corpus, checked in prod", () => {
  beforeAll(() => {
    // Failures surface in the test that awaits the run.
    for (const c of cases) check(c.file).catch(() => undefined);
  });

  test.each(cases.map((c) => [c.file, c] as const))(
    "%s",
    async (_file, c) => {
      const stack = await check(c.file);
      expect(stack.error).toBeNull();
      expect(stack.resources).toBeGreaterThan(0);
      expect(stack.violations).toEqual(stack.protobufViolations);
      if (c.expect === "refused") {
        const onResource = stack.violations.filter((v) => v.enforcementLevel === "mandatory" && v.urn.endsWith(`::${c.resource}`));
        const matching = onResource.filter((v) => c.mentions.every((m) => v.message.includes(m)));
        // On failure the report shows every violation found, so the gap is visible.
        expect({ matching: matching.length > 0, violations: stack.violations.map(violationView) }).toEqual({
          matching: true,
          violations: stack.violations.map(violationView),
        });
        expect(isOk([stack])).toBe(false);
      } else {
        // go-archive-signature judges the lock, not the program: the shipped lock has no signature
        // record (none can be made offline), so that advisory is on every stack; see archive-signature.test.ts.
        expect(stack.violations.filter((v) => v.policyName !== "go-archive-signature").map(violationView)).toEqual([]);
        expect(isOk([stack])).toBe(true);
      }
    },
    120_000,
  );
});
