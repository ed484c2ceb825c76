// The docker-build corpus (test/programs/corpus-docker-build), written from the Docker Build
// provider's documentation (dockerfile.inline, dockerfile.location, its default
// "${context.location}/Dockerfile", buildArgs, platforms) and docker.RemoteImage's, never from the
// pack's code: every program is checked in prod through the real CLI and must be refused with a
// mandatory violation on the named resource whose message states the named facts, or pass with no
// violation at all (advisory included).
import * as fs from "fs";
import * as path from "path";
import { CliResult, runCli } from "../helpers/cli";

const CORPUS = path.join(__dirname, "../programs/corpus-docker-build");

interface Case {
  file: string;
  expect: "refused" | "clean";
  resource: string;
  mentions: string[];
  source: string;
}
interface Violation {
  policyName: string;
  enforcementLevel: string;
  urn: string;
  message: string;
}
interface CheckDoc {
  ok: boolean;
  stacks: Array<{ stack: string; resources: number; error: string | null; violations: Violation[] }>;
}

const cases: Case[] = JSON.parse(fs.readFileSync(path.join(CORPUS, "expected.json"), "utf8"));

function view(v: Violation): string {
  return `${v.enforcementLevel} ${v.urn.split("::").pop()} ${v.policyName}: ${v.message}`;
}

// Two checks at a time (each forks a worker), started together; each test awaits only its own.
let running = 0;
const waiting: Array<() => void> = [];
async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
const runs = new Map<string, Promise<CliResult>>();
function check(file: string): Promise<CliResult> {
  let run = runs.get(file);
  if (!run) {
    run = limited(() => runCli("check", "--stack", "prod", "--program", path.join(CORPUS, file), "--format", "json"));
    runs.set(file, run);
  }
  return run;
}

describe("the docker-build corpus itself", () => {
  test("every program has exactly one well-formed expectation, weakened and clean ones both present", () => {
    const programs = fs.readdirSync(CORPUS).filter((f) => f.endsWith(".ts")).sort();
    expect(cases.map((c) => c.file).sort()).toEqual(programs);
    for (const c of cases) {
      expect(["refused", "clean"]).toContain(c.expect);
      expect(c.source).toMatch(/^https:\/\/www\.pulumi\.com\/registry\/packages\/docker(-build)?\/api-docs\//);
      if (c.expect === "refused") expect(c.mentions.length).toBeGreaterThan(0);
      else expect(c.mentions).toEqual([]);
    }
    expect(cases.filter((c) => c.expect === "refused").length).toBe(11);
    expect(cases.filter((c) => c.expect === "clean").length).toBe(3);
  });
});

describe("the docker-build corpus, checked in prod", () => {
  beforeAll(() => {
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
      expect(stack.resources).toBeGreaterThan(1);
      if (c.expect === "refused") {
        const matching = stack.violations.filter((v) => v.enforcementLevel === "mandatory" && v.urn.endsWith(`::${c.resource}`) && c.mentions.every((m) => v.message.includes(m)));
        // On failure the report shows every violation found, so the gap is visible.
        expect({ matching: matching.length > 0, violations: stack.violations.map(view) }).toEqual({ matching: true, violations: stack.violations.map(view) });
        expect(r.code).toBe(1);
        expect(doc.ok).toBe(false);
      } else {
        // go-archive-signature judges the lock, not the program (the shipped lock has no signature record): see archive-signature.test.ts.
        expect(stack.violations.filter((v) => v.policyName !== "go-archive-signature").map(view)).toEqual([]);
        expect(r.code).toBe(0);
        expect(doc.ok).toBe(true);
      }
    },
    120_000,
  );
});
