// An independent corpus, written from the documentation of cmd/go, the kubelet, Dockerfile/BuildKit,
// Athens and the Pulumi providers (never from the pack's code): every program in
// test/programs/corpus-doc is checked in prod and must be refused with a mandatory violation on the
// named resource (whose message states the named facts), or pass with no violation at all.
// test/programs/corpus-doc/README.md lists every case with its source.
import * as fs from "fs";
import * as path from "path";
import { CliResult, runCli } from "./helpers/cli";

const CORPUS = path.join(__dirname, "programs/corpus-doc");

interface Case {
  file: string;
  expect: "refused" | "clean";
  resource: string;
  mentions: string[];
  source: string;
}

interface Violation {
  policyName: string;
  policyPackName: string;
  enforcementLevel: string;
  urn: string;
  message: string;
}

interface CheckDoc {
  ok: boolean;
  stacks: Array<{ stack: string; resources: number; error: string | null; violations: Violation[] }>;
}

const cases: Case[] = JSON.parse(fs.readFileSync(path.join(CORPUS, "expected.json"), "utf8"));

/** At most `limit` checks at once: each check runs a whole program in a worker process. */
function pool(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(work: () => Promise<T>): Promise<T> {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
const limited = pool(2);

function violationView(v: Violation) {
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

// The checks run two at a time (each forks a worker process) from the start of the file; every test
// waits only for its own program's run, so its 120 s bound is spent on that run, not on a queue.
const runs = new Map<string, Promise<CliResult>>();
function check(file: string): Promise<CliResult> {
  let run = runs.get(file);
  if (!run) {
    run = limited(() => runCli("check", "--stack", "prod", "--program", path.join(CORPUS, file), "--format", "json"));
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
      const r = await check(c.file);
      let doc: CheckDoc;
      try {
        doc = JSON.parse(r.stdout) as CheckDoc;
      } catch {
        throw new Error(`${c.file}: no JSON report (exit ${r.code}).\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`);
      }
      expect(doc.stacks).toHaveLength(1);
      const stack = doc.stacks[0];
      expect(stack.error).toBeNull();
      expect(stack.resources).toBeGreaterThan(0);
      if (c.expect === "refused") {
        const onResource = stack.violations.filter((v) => v.enforcementLevel === "mandatory" && v.urn.endsWith(`::${c.resource}`));
        const matching = onResource.filter((v) => c.mentions.every((m) => v.message.includes(m)));
        // On failure the report shows every violation found, so the gap is visible.
        expect({ matching: matching.length > 0, violations: stack.violations.map(violationView) }).toEqual({
          matching: true,
          violations: stack.violations.map(violationView),
        });
        expect(r.code).toBe(1);
        expect(doc.ok).toBe(false);
      } else {
        // go-archive-signature judges the lock, not the program: the shipped lock has no signature
        // record (none can be made offline), so that advisory is on every stack; see archive-signature.test.ts.
        expect(stack.violations.filter((v) => v.policyName !== "go-archive-signature").map(violationView)).toEqual([]);
        expect(r.code).toBe(0);
        expect(doc.ok).toBe(true);
      }
    },
    120_000,
  );
});
