// One stack, offline: run the program under mocks, load the real pack, configure it with the
// stack's policy config, analyze everything. Runs inside a worker process (see worker.ts), which
// runs stacks in turn.
import * as fs from "fs";
import { AnalyzeOptions, LoadedPack, loadPack, PackError } from "./pack";
import { errorText, runProgram } from "./program";
import { OFFLINE_SECRET_PLACEHOLDER, StackResult } from "./types";
import { makeRedactor, markedSecrets, redactDeep } from "./redact";
import { collectIfLarge } from "./collect";

export interface StackJob {
  readonly stack: string;
  readonly project: string;
  readonly programFile: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  readonly packDir: string;
  /** Policy config JSON file; absent: the pack's strict defaults. */
  readonly policyConfigFile?: string;
  /** Policy config JSON text, in place of a file (generated from a --config stack file). */
  readonly policyConfigText?: string;
  readonly keepCaptured?: boolean;
  readonly computedOutputs?: Readonly<Record<string, readonly string[]>>;
  /**
   * How props reach the pack's handlers (see AnalyzeOptions). "both": the default path decides, and
   * the result also carries what the protobuf path found (the equivalence tests compare them).
   */
  readonly props?: AnalyzeOptions["props"] | "both";
}

/**
 * The pack this process loaded. @pulumi/policy serves one pack per process (a second `new
 * PolicyPack` exits), so it is loaded once and configured afresh for each stack: Configure replaces
 * the whole policy config, as the engine's Configure call does for each `pulumi preview`.
 */
let loaded: { dir: string; pack: Promise<LoadedPack> } | undefined;

function packFor(dir: string): Promise<LoadedPack> {
  if (loaded && loaded.dir !== dir) throw new PackError(`this process already serves the pack in ${loaded.dir}; ${dir} needs a process of its own`);
  loaded ??= { dir, pack: loadPack(dir) };
  return loaded.pack;
}

/** Loads the SDK and a pack ahead of the first stack (a worker started before its job is known). */
export async function preloadPack(dir: string): Promise<void> {
  await import("@pulumi/pulumi");
  (await packFor(dir)).precompile();
}

export async function runStack(job: StackJob): Promise<StackResult> {
  const pack = await packFor(job.packDir);
  const policyConfig = job.policyConfigText !== undefined ? JSON.parse(job.policyConfigText) : job.policyConfigFile ? JSON.parse(fs.readFileSync(job.policyConfigFile, "utf8")) : {};
  await pack.configure(policyConfig);
  let program;
  const t0 = performance.now();
  try {
    program = await runProgram({ programFile: job.programFile, project: job.project, stack: job.stack, config: job.config, secretKeys: job.secretKeys, computedOutputs: job.computedOutputs });
  } catch (err) {
    const redact = makeRedactor(configSecrets(job));
    return { stack: job.stack, resources: 0, error: redact(errorText(err)), violations: [], policies: pack.policies };
  }
  collectIfLarge();
  const t1 = performance.now();
  // The pack judges the real values; only what leaves the run is redacted.
  const violations = await pack.analyze(program.resources, { props: job.props === "protobuf" ? "protobuf" : "json" });
  const t2 = performance.now();
  const reference = job.props === "both" ? await pack.analyze(program.resources, { props: "protobuf" }) : undefined;
  const secrets = [...configSecrets(job), ...markedSecrets(program.resources.map((r) => [r.inputs, r.outputs])), ...markedSecrets(program.stackOutputs)];
  const redact = makeRedactor(secrets);
  return {
    stack: job.stack,
    resources: program.resources.length,
    error: null,
    violations: redactDeep(violations, redact),
    ...(reference ? { protobufViolations: redactDeep(reference, redact) } : {}),
    policies: pack.policies,
    // The worker's own peak so far (it runs stacks in turn, so the last stack's figure is the worker's).
    timings: { programMs: Math.round(t1 - t0), analyzeMs: Math.round(t2 - t1), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) },
    // secretValues: for files render reads outside the run, and for errors the worker sees late;
    // the worker drops them unless render asked for the captured resources.
    secretValues: [...new Set(secrets)],
    ...(job.keepCaptured ? { captured: redactDeep(program.resources, redact), stackOutputs: redactDeep(program.stackOutputs, redact) } : {}),
  };
}

/** Secret config values the program was given (offline placeholders are not secrets). */
function configSecrets(job: StackJob): string[] {
  return job.secretKeys.map((k) => job.config[k]).filter((v): v is string => typeof v === "string" && v !== OFFLINE_SECRET_PLACEHOLDER);
}
