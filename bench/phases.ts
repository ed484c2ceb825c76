// node cli/bin/run-ts.js bench/phases.ts [--program FILE] [--stack S]...: where one process's time
// goes when it does what a check worker does, phase by phase (wall clock, this process only; the
// process start before this file runs is printed as `node started`). With `node --cpu-prof
// --cpu-prof-dir=DIR cli/bin/run-ts.js bench/phases.ts ...` the same run leaves a CPU profile
// for bench/cpuprofile.js. Prints JSON on the last line.
import * as fs from "fs";
import * as path from "path";

// Wall clock and CPU time (user + system) per phase: on a shared machine the CPU time is the
// steadier figure (wall time includes waiting for a core).
const t0 = performance.now();
const cpu0 = process.cpuUsage();
// endUs: the phase's end on the monotonic clock V8's CPU profiles use (bench/cpuprofile.js --phases
// splits a profile's samples by phase with it).
const monoUs = (): number => Number(process.hrtime.bigint() / 1000n);
const mark: Record<string, { wallMs: number; cpuMs: number; endUs?: number }> = { "node started (before this file)": { wallMs: t0, cpuMs: (cpu0.user + cpu0.system) / 1000, endUs: monoUs() } };
let last = t0;
let lastCpu = cpu0;
function phase(name: string): void {
  const now = performance.now();
  const cpu = process.cpuUsage(lastCpu);
  mark[name] = { wallMs: Math.round(now - last), cpuMs: Math.round((cpu.user + cpu.system) / 1000), endUs: monoUs() };
  // With --expose-gc: what stays reachable after the phase (what the next phases carry along).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    (mark[name] as { liveMb?: number }).liveMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  }
  last = now;
  lastCpu = process.cpuUsage();
}

// A failed program's late rejections are its own (the worker reports them); here they only must not end the run.
process.on("unhandledRejection", () => undefined);

(async () => {
  const args = process.argv.slice(2);
  const stacks: string[] = [];
  let program: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--program") program = path.resolve(args[++i]);
    else if (args[i] === "--stack") stacks.push(args[++i]);
    else throw new Error(`unknown argument ${args[i]}: use --program FILE and --stack NAME (repeatable)`);
  }
  if (stacks.length === 0) stacks.push("prod");
  // What every check loads first: the SDK and the providers a stack imports.
  require("@pulumi/pulumi");
  phase("load @pulumi/pulumi");
  const { jobFor } = require("../cli/commands/check") as typeof import("../cli/commands/check");
  phase("load the CLI's check command");
  const { loadPack } = require("../cli/harness/pack") as typeof import("../cli/harness/pack");
  const { runProgram } = require("../cli/harness/program") as typeof import("../cli/harness/program");
  const { renderJson } = require("../cli/report") as typeof import("../cli/report");
  phase("load the harness and report");
  const jobs = stacks.map((s) => jobFor(s, { program }));
  phase("read stack config");
  const pack = await loadPack(jobs[0].packDir);
  phase("load the policy pack (rules, @pulumi/policy, GetAnalyzerInfo)");
  const results = [];
  let resources = 0;
  for (const job of jobs) {
    await pack.configure(job.policyConfigFile ? JSON.parse(fs.readFileSync(job.policyConfigFile, "utf8")) : {});
    phase(`${job.stack}: configure`);
    let run;
    try {
      run = await runProgram({ programFile: job.programFile, project: job.project, stack: job.stack, config: job.config, secretKeys: job.secretKeys });
    } catch (err) {
      phase(`${job.stack}: run the program under mocks (failed: ${String((err as Error).message).slice(0, 80)})`);
      continue;
    }
    phase(`${job.stack}: run the program under mocks (${run.resources.length} resources)`);
    const violations = await pack.analyze(run.resources, { props: process.env.GOGUARD_BENCH_PROPS === "protobuf" ? "protobuf" : "json" });
    phase(`${job.stack}: analyze (${violations.length} violations)`);
    resources += run.resources.length;
    results.push({ stack: job.stack, resources: run.resources.length, error: null, violations, policies: pack.policies });
  }
  const text = renderJson(results);
  phase(`report (${text.length} bytes of JSON)`);
  const total = performance.now();
  const rss = process.resourceUsage().maxRSS / 1024;
  const cpuTotal = process.cpuUsage(cpu0);
  console.log("   wall      cpu");
  for (const [k, v] of Object.entries(mark)) console.log(`${String(Math.round(v.wallMs)).padStart(7)} ${String(Math.round(v.cpuMs)).padStart(7)} ms  ${k}${"liveMb" in v ? ` (heap live after: ${v.liveMb} MB)` : ""}`);
  console.log(`${(total - t0).toFixed(0).padStart(7)} ${((cpuTotal.user + cpuTotal.system) / 1000).toFixed(0).padStart(7)} ms  total after start; peak RSS ${rss.toFixed(0)} MB`);
  console.log(JSON.stringify({ phases: mark, resources, peakRssMb: Math.round(rss) }));
})().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
