// npm run bench: figures printed, not asserted. Wall time and peak RSS come from /usr/bin/time
// (the largest of the process and its waited-for children, i.e. the heaviest worker).
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const BIN = path.join(ROOT, "cli/bin/goguard.js");

interface Measure {
  wallS: number;
  maxRssMb: number;
  code: number;
  timings?: { programMs: number; analyzeMs: number };
}

function measure(args: string[], env: Record<string, string> = {}): Measure {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const last = r.stderr.trim().split("\n").pop() ?? "";
  const [wall, rss] = last.split(" ").map(Number);
  let timings;
  try {
    timings = JSON.parse(r.stdout).stacks[0]?.timings;
  } catch {
    timings = undefined;
  }
  return { wallS: wall, maxRssMb: rss / 1024, code: r.status ?? -1, timings };
}

function best(n: number, f: () => Measure): Measure {
  const runs = Array.from({ length: n }, f);
  return runs.reduce((a, b) => (b.wallS < a.wallS ? b : a));
}

const fmt = (m: Measure): string => `${m.wallS.toFixed(2)} s, peak RSS ${m.maxRssMb.toFixed(0)} MB`;

const floor = best(3, () => measure([process.execPath, "-e", "require('./cli/bin/register-ts'); require('@pulumi/pulumi'); require('@pulumi/policy'); require('@pulumi/kubernetes'); require('@pulumi/docker'); require('@pulumi/aws')"]));
const all = best(3, () => measure([process.execPath, BIN, "check", "--stack", "all", "--format", "json"]));
console.log("goguard check --stack all (shipped stacks), best of 3");
console.log(`  floor (node + Pulumi SDKs loaded):  ${fmt(floor)}`);
console.log(`  check --stack all:                  ${fmt(all)}  (exit ${all.code})`);
console.log(`  ratio to floor:                     ${(all.wallS / floor.wallS).toFixed(2)}x   target: < 3 s and < 4x`);

const sizes = [0, 100, 1000];
const runs = sizes.map((n) => ({ n, m: best(2, () => measure([process.execPath, BIN, "check", "--stack", "prod", "--program", "bench/workloads.ts", "--format", "json"], { GOGUARD_BENCH_WORKLOADS: String(n) })) }));
console.log("\ngenerated program: N compliant Go workloads (a Deployment + a PodDisruptionBudget each), prod, best of 2");
for (const { n, m } of runs) console.log(`  N=${String(n).padStart(4)}: ${fmt(m)}  (exit ${m.code})`);
const base = runs[0].m.wallS;
// Each workload is two resources (a Deployment and its PodDisruptionBudget).
const per100 = ((runs[1].m.wallS - base) / 200) * 1000;
const per1000 = ((runs[2].m.wallS - base) / 2000) * 1000;
console.log(`  time per resource (2 per workload, above the N=0 run): ${per100.toFixed(2)} ms at N=100, ${per1000.toFixed(2)} ms at N=1000   target: <= 1 ms`);
const evalMs = (m: Measure, n: number): string => (m.timings ? `${(m.timings.analyzeMs / (2 * n + 1)).toFixed(2)} ms evaluating the pack + ${(m.timings.programMs / (2 * n + 1)).toFixed(2)} ms running the program under the Pulumi SDK` : "n/a");
console.log(`  per resource inside the worker at N=1000: ${evalMs(runs[2].m, 1000)}`);
const evaluate = (pack: string): { resources: number; ms: number; rules: number } =>
  JSON.parse(spawnSync(process.execPath, [path.join(ROOT, "cli/bin/run-ts.js"), path.join(ROOT, "bench/evaluate.ts"), pack, "1000"], { cwd: ROOT, encoding: "utf8" }).stdout);
const ours = evaluate("policies");
const floorPack = evaluate("bench/noop-pack");
console.log(`  pack evaluation alone at N=1000 (${ours.rules} rules): GoGuard ${(ours.ms / ours.resources).toFixed(2)} ms per resource; the @pulumi/policy server with ${floorPack.rules} no-op rules ${(floorPack.ms / floorPack.resources).toFixed(2)} ms (it deserializes props once per rule)`);
console.log(`  growth 100 → 1000: ${((runs[2].m.wallS - base) / Math.max(runs[1].m.wallS - base, 1e-9)).toFixed(1)}x for 10x the workloads (linear = 10x)`);
