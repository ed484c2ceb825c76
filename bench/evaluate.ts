// node cli/bin/run-ts.js bench/evaluate.ts PACK_DIR N: evaluation time of a pack over the generated
// program with N workloads (the program runs first, untimed). Prints JSON.
import * as fs from "fs";
import * as path from "path";
import { loadPack } from "../cli/harness/pack";
import { runProgram } from "../cli/harness/program";

(async () => {
  const [packDir, n] = process.argv.slice(2);
  process.env.GOGUARD_BENCH_WORKLOADS = n;
  const pack = await loadPack(path.resolve(packDir));
  const cfg = path.join(path.resolve(packDir), "config", "prod.json");
  await pack.configure(fs.existsSync(cfg) ? JSON.parse(fs.readFileSync(cfg, "utf8")) : {});
  const program = await runProgram({ programFile: path.join(__dirname, "workloads.ts"), project: "goguard", stack: "prod", config: {}, secretKeys: [] });
  const t = performance.now();
  const v = await pack.analyze(program.resources);
  process.stdout.write(JSON.stringify({ resources: program.resources.length, ms: performance.now() - t, violations: v.length, rules: pack.policies.length }) + "\n");
})();
