// Measures what `pulumi preview`/`up` spends starting the program: loading and compiling
// stacks/index.ts and everything it imports, with the loader the Node language host uses.
//
//   node cli/bin/run-ts.js scripts/preview-startup.ts [--runs N] [--stack prod]
//
// The host (pulumi-language-nodejs, `main: stacks/`) starts node in stacks/ and
// @pulumi/pulumi/cmd/run registers ts-node: with PULUMI_NODEJS_TSCONFIG_PATH (Pulumi.yaml's
// runtime option `tsconfig`) or ./tsconfig.json as the project, skipProject when that file is
// absent, and transpileOnly from PULUMI_NODEJS_TRANSPILE_ONLY or else the tsconfig's `noCheck`
// (sdk/nodejs/cmd/run/run.ts). Each run below is a fresh node process in stacks/ doing exactly that
// registration (through the SDK's own tsutils), then requiring the program under Pulumi mocks with
// the stack's config, as the host would run it against an engine. Two settings are compared:
//   before: no stacks/tsconfig.json (ts-node's defaults, type-checking every file it loads);
//   after:  stacks/tsconfig.json as committed (noCheck: transpile only).
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import { readStackConfig, stackConfigPath } from "../cli/stack-files";

const ROOT = path.join(__dirname, "..");
const STACKS = path.join(ROOT, "stacks");

// Runs in stacks/ as plain JavaScript (no GoGuard loader): the host's registration, then the program.
const CHILD = String.raw`
const fs = require("fs");
const path = require("path");
const tsutils = require("@pulumi/pulumi/tsutils");
const typescriptRequire = () => tsutils.typeScriptRequireStrings().typescriptRequire;
const withoutTsconfig = process.env.STARTUP_MODE === "before";
const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json";
const skipProject = withoutTsconfig || !fs.existsSync(tsConfigPath);
const compilerOptions = withoutTsconfig ? {} : tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
const ts = require(typescriptRequire());
const env = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
const transpileOnly = env ? env === "true" : compilerOptions.noCheck;
const { tsnodeRequire } = tsutils.typeScriptRequireStrings();
// run.ts's non-ESM branch: its defaults (nodenext for TypeScript >= 4.7), then the tsconfig file's
// own compilerOptions (not those it extends) on top.
const nodeNext = Number(ts.version.split(".")[0]) > 4 || (Number(ts.version.split(".")[0]) === 4 && Number(ts.version.split(".")[1]) >= 7);
require(tsnodeRequire).register({
  compiler: typescriptRequire(),
  transpileOnly,
  project: tsConfigPath,
  skipProject,
  compilerOptions: { target: "ES2020", module: nodeNext ? "nodenext" : "commonjs", moduleResolution: nodeNext ? "nodenext" : "node", sourceMap: "true", ...compilerOptions },
});
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: (a) => a.inputs }, "goguard", process.env.STARTUP_STACK, true);
const registered = performance.now();
let error = null;
try {
  require(process.cwd());
} catch (err) {
  error = String(err && err.message ? err.message : err).split("\n").slice(0, 3).join(" | ");
}
const loaded = performance.now();
process.stdout.write(JSON.stringify({ transpileOnly: transpileOnly === true, skipProject, programMs: Math.round(loaded - registered), totalMs: Math.round(loaded), error }) + "\n");
process.exit(0);
`;

interface Run {
  readonly transpileOnly: boolean;
  readonly skipProject: boolean;
  readonly programMs: number;
  readonly totalMs: number;
  readonly error: string | null;
}

function once(mode: "before" | "after", stack: string): Run {
  const { config, secretKeys } = readStackConfig(stackConfigPath(stack), "goguard");
  const env: NodeJS.ProcessEnv = { ...process.env, STARTUP_MODE: mode, STARTUP_STACK: stack, PULUMI_CONFIG: JSON.stringify(config), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys) };
  delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
  if (mode === "before") delete env.PULUMI_NODEJS_TSCONFIG_PATH;
  else env.PULUMI_NODEJS_TSCONFIG_PATH = "./tsconfig.json"; // Pulumi.yaml's runtime option `tsconfig`
  const r = spawnSync(process.execPath, ["-e", CHILD], { cwd: STACKS, env, encoding: "utf8", timeout: 600_000 });
  // The SDK may complain about promises left at exit (the program is cut short once loaded): only
  // a missing result line is a failure.
  const line = r.stdout.trim().split("\n").find((l) => l.startsWith("{")) ?? "";
  if (!line) throw new Error(`${mode} run failed (exit ${r.status}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  return JSON.parse(line) as Run;
}

function main(): void {
  const args = process.argv.slice(2);
  const runs = Math.min(Math.max(Number(args[args.indexOf("--runs") + 1] ?? 3) || 3, 1), 10);
  const stack = args.includes("--stack") ? args[args.indexOf("--stack") + 1] : "prod";
  const cpus = os.cpus();
  process.stdout.write(`machine: ${cpus.length} x ${cpus[0]?.model ?? "?"}, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; stack ${stack}; ${runs} run(s) per setting\n`);
  for (const mode of ["before", "after"] as const) {
    const results: Run[] = [];
    for (let i = 0; i < runs; i++) results.push(once(mode, stack));
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const r0 = results[0];
    process.stdout.write(
      `${mode}: transpileOnly=${r0.transpileOnly} skipProject=${r0.skipProject}; per run (program load / process start to loaded, ms): ${results.map((r) => `${r.programMs}/${r.totalMs}`).join(", ")}; median ${median(results.map((r) => r.programMs))}/${median(results.map((r) => r.totalMs))}${r0.error ? `; error: ${r0.error}` : ""}\n`,
    );
  }
}

main();
