import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { Io } from "../io";
import { DEFAULT_LOCK_PATH, PROJECT_ROOT, UsageError, unknownValue } from "../files";
import { readLockFile } from "../lock-store";
import { generatePolicyConfig } from "./policy-config";
import { DEFAULT_PROGRAM, PACK_DIR, policyConfigPath, projectName, readStackConfig, stackConfigPath, STACKS } from "../stack-files";
import { runStackIsolated } from "../harness/fork";
import { StackJob } from "../harness/run-stack";
import { StackResult, Violation } from "../harness/types";
import { parse } from "yaml";
import { dockerfileRegion, Format, FORMATS, isOk, renderJson, renderMarkdown, renderSarif, renderText, SourceRegion } from "../report";

export interface CheckOptions {
  stack: string;
  program?: string;
  config?: string;
  format: string;
  pack?: string;
}

/** The policy pack directory `--pack` names (the in-tree pack by default): it must hold a PulumiPolicy.yaml, as for `pulumi preview --policy-pack`. */
export function resolvePackDir(dir: string | undefined): string {
  if (dir === undefined) return PACK_DIR;
  const abs = path.resolve(dir);
  if (!fs.existsSync(path.join(abs, "PulumiPolicy.yaml"))) throw new UsageError(`--pack ${dir}: no PulumiPolicy.yaml there; give a policy pack directory (policies/, or node_modules/goguard-policies where its tarball is installed)`);
  return abs;
}

export function resolveProgram(file: string | undefined): string {
  if (file === undefined) return DEFAULT_PROGRAM;
  const abs = path.resolve(file);
  if (!/\.(ts|js)$/.test(abs)) throw new UsageError(`--program ${file}: must be a .ts or .js file; give the stack program to check`);
  if (!fs.existsSync(abs)) throw new UsageError(`--program ${file} does not exist; check the path (relative to ${process.cwd()})`);
  const rel = path.relative(PROJECT_ROOT, abs);
  if (rel.startsWith("..") || path.isAbsolute(rel)) throw new UsageError(`--program ${file}: must be inside the project (${PROJECT_ROOT}), where its imports resolve`);
  return abs;
}

export function stacksFor(name: string): string[] {
  if (name === "all") return [...STACKS];
  if ((STACKS as readonly string[]).includes(name)) return [name];
  throw unknownValue("--stack", "stack", name, STACKS, "all");
}

/**
 * The policy config text a stack config file gives (through the environment's plan, as `goguard
 * policy-config` writes it), so `--config` judges the stack by its own settings (its proxy URL,
 * say). Undefined, and the committed config used instead, when the file's cannot be generated (the
 * program then reports why) or would weaken the committed policy without a recorded override.
 */
function ownPolicyConfig(stack: string, cfgFile: string): string | undefined {
  try {
    const g = generatePolicyConfig(stack, cfgFile, policyConfigPath(stack), readLockFile(DEFAULT_LOCK_PATH));
    return g.refused.length > 0 || g.overrideProblems.length > 0 ? undefined : g.text;
  } catch {
    // A broken stack file or lock: the program run names the problem itself.
    return undefined;
  }
}

export function jobFor(stack: string, opts: { program?: string; config?: string; pack?: string }, keepCaptured = false): StackJob {
  const project = projectName();
  const cfgFile = opts.config !== undefined ? path.resolve(opts.config) : stackConfigPath(stack);
  const { config, secretKeys } = readStackConfig(cfgFile, project);
  // The stack file's engine setting that refuses default providers belongs to the stack's own
  // program; another program (--program, judged by the stack's policies) gets it only when a
  // --config file is given explicitly.
  if (opts.program !== undefined && opts.config === undefined) delete config["pulumi:disable-default-providers"];
  const policyConfigFile = policyConfigPath(stack);
  const policyConfigText = opts.config !== undefined ? ownPolicyConfig(stack, cfgFile) : undefined;
  return {
    stack,
    project,
    programFile: resolveProgram(opts.program),
    config,
    secretKeys,
    packDir: resolvePackDir(opts.pack),
    ...(fs.existsSync(policyConfigFile) ? { policyConfigFile } : {}),
    ...(policyConfigText !== undefined ? { policyConfigText } : {}),
    keepCaptured,
  };
}

/**
 * The program validates its config without knowing which file it came from, so its fixes name the
 * stack's own file (stacks/Pulumi.<stack>.yaml); with --config the fix must name the file given.
 */
export function namingConfigFile(r: StackResult, configFile: string): StackResult {
  if (r.error === null) return r;
  return { ...r, error: r.error.split(`stacks/Pulumi.${r.stack}.yaml`).join(configFile) };
}

export async function runStacks(jobs: StackJob[]): Promise<StackResult[]> {
  // One worker runs the stacks in turn (each with SDK state of its own): loading the SDK, the
  // providers and the pack once costs less than loading them in parallel, once per stack, on a
  // small machine.
  return Promise.all(jobs.map((j) => runStackIsolated(j)));
}

/** The program's working directory as Pulumi sets it from Pulumi.yaml's `main` (a directory, or a file's directory), where providers resolve relative paths. */
export function programDir(): string {
  const main = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"))?.main;
  if (typeof main !== "string" || main === "") return PROJECT_ROOT;
  const target = path.resolve(PROJECT_ROOT, main);
  return fs.existsSync(target) && fs.statSync(target).isDirectory() ? target : path.dirname(target);
}

/** SARIF regions from the captured resources: a Dockerfile finding points at its Dockerfile's line. */
export function regionsFrom(results: readonly StackResult[]): (stack: string, v: Violation) => SourceRegion | undefined {
  const dir = programDir();
  const byUrn = new Map(results.map((r) => [r.stack, new Map((r.captured ?? []).map((c) => [c.urn, c]))]));
  return (stack, v) => dockerfileRegion(v.message, byUrn.get(stack)?.get(v.urn), dir, PROJECT_ROOT);
}

export function registerCheck(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command("check")
    .description("Run stacks offline (Pulumi mocks, preview semantics) and judge every resource with the real policy pack.")
    .requiredOption("--stack <name|all>", "dev, staging, prod or all")
    .option("--program <file>", "another program file (.ts or .js) inside the project")
    .option("--config <file>", "another stack config file (Pulumi.<stack>.yaml shape)")
    .option("--format <format>", `${FORMATS.join(", ")}`, "text")
    .option("--pack <dir>", "another policy pack directory (an installed or published pack), judged with this project's policy configs")
    .action(async (opts: CheckOptions) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw unknownValue("--format", "format", opts.format, FORMATS);
      const stacks = stacksFor(opts.stack);
      if (opts.config !== undefined && stacks.length > 1) throw new UsageError("--config applies to one stack; pick it with --stack");
      // SARIF points Dockerfile findings at their file and line: it needs the registered resources.
      const jobs = stacks.map((s) => jobFor(s, opts, opts.format === "sarif"));
      // A pack from elsewhere cannot find this project above itself: tell it, as a workflow running
      // a published pack would (the stack workers inherit the environment).
      if (opts.pack !== undefined) process.env.GOGUARD_PROJECT_DIR = PROJECT_ROOT;
      const results = (await runStacks(jobs)).map((r) => (opts.config !== undefined ? namingConfigFile(r, opts.config) : r));
      const format = opts.format as Format;
      const version = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version;
      const text =
        format === "json" ? renderJson(results) : format === "markdown" ? renderMarkdown(results) : format === "sarif" ? renderSarif(results, results[0]?.policies ?? [], version, regionsFrom(results)) : renderText(results);
      io.out(text);
      setCode(isOk(results) ? 0 : 1);
    });
}
