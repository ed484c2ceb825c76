// goguard policy-config: writes policies/config/<stack>.json from the toolchain lock and each stack's
// settings, refusing any unrecorded weakening; --check explains every drift and where it came from.
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { Io, CommandFailure } from "../io";
import { DEFAULT_LOCK_PATH, PROJECT_ROOT, writeFileAtomic } from "../files";
import { readLockFile } from "../lock-store";
import { PACK_DIR, projectName, readStackConfig, STACKS } from "../stack-files";
import { overrideNames, policyConfigFor, RuleConfig, Weakening, weakenings } from "../../policies/lib/stack-config";
import { didYouMean, parseStackConfig, StackConfigError, StackSettings } from "../../stacks/config";
import { EnvironmentName, LockError, showValue, ToolchainLock } from "../../components/toolchain/lock";
import { EnvironmentPlan, PlanError, resolvePlan } from "../../components/environment/plan";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { archiveSignatureStatus } from "../../policies/rules/signatures";

export interface PolicyConfigPaths {
  /** @default stacks/toolchain.lock.json */
  readonly lock?: string;
  /** Where Pulumi.<stack>.yaml live. @default stacks/ */
  readonly stacksDir?: string;
  /** Where <stack>.json are written. @default policies/config/ */
  readonly policyDir?: string;
  /** `YYYY-MM-DD` overrides are judged against. @default - today (UTC) */
  readonly today?: string;
}

export interface GeneratedPolicyConfig {
  readonly stack: string;
  readonly environment: EnvironmentName;
  readonly stackFile: string;
  readonly policyFile: string;
  readonly text: string;
  readonly config: Record<string, RuleConfig>;
  /** The committed file as JSON; undefined when missing; "unreadable" when it is not a JSON object. */
  readonly committed: Record<string, unknown> | undefined | "unreadable";
  readonly settings: StackSettings;
  /** Weakenings no valid override allows. */
  readonly refused: readonly Weakening[];
  /** Problems with the recorded overrides themselves (unknown rule, expired). */
  readonly overrideProblems: readonly string[];
}

/** A path as messages show it: relative to the project when inside it. */
function label(file: string): string {
  const rel = path.relative(PROJECT_ROOT, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

function readCommitted(file: string): GeneratedPolicyConfig["committed"] {
  if (!fs.existsSync(file)) return undefined;
  try {
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    return doc !== null && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>) : "unreadable";
  } catch {
    return "unreadable";
  }
}

/** What each stack's policy config should be, with the weakenings it would bring. */
export function generatePolicyConfigs(paths: PolicyConfigPaths = {}): GeneratedPolicyConfig[] {
  const lockFile = paths.lock ?? DEFAULT_LOCK_PATH;
  const stacksDir = paths.stacksDir ?? path.join(PROJECT_ROOT, "stacks");
  const policyDir = paths.policyDir ?? path.join(PACK_DIR, "config");
  const lock = readLockFile(lockFile);
  return STACKS.map((stack) => {
    const stackFile = path.join(stacksDir, `Pulumi.${stack}.yaml`);
    return generatePolicyConfig(stack, stackFile, path.join(policyDir, `${stack}.json`), lock, paths.today);
  });
}

/**
 * One stack's policy config from its stack file, through the environment's plan (the proxy URL the
 * policy accepts is the plan's one URL, the same the builder and the go-env ConfigMaps carry).
 * `policyFile` is the committed config weakenings are judged against.
 */
export function generatePolicyConfig(stack: string, stackFile: string, policyFile: string, lock: ToolchainLock, today = new Date().toISOString().slice(0, 10)): GeneratedPolicyConfig {
  const project = projectName();
  const names = overrideNames();
  const raw = readStackConfig(stackFile, project);
  let settings: StackSettings;
  let plan: EnvironmentPlan;
  try {
    settings = parseStackConfig({ stack, namespace: project, config: raw.config, secretKeys: raw.secretKeys });
    plan = resolvePlan(lock, settings, bundledCatalog());
  } catch (err) {
    if (err instanceof StackConfigError || err instanceof PlanError || err instanceof LockError) throw new CommandFailure(`${label(stackFile)}: ${err.problems.join("; ")}`);
    throw err;
  }
  const env = settings.environment;
  const overrideProblems: string[] = [];
  const valid = settings.policyOverrides.filter((o) => {
    if (!names.includes(o.rule)) {
      const near = didYouMean(o.rule, names);
      overrideProblems.push(`${label(stackFile)}: goguard:policyOverrides names ${showValue(o.rule)}, which is not a rule of the pack nor ${names.filter((n) => !n.includes("-")).join("/")}${near ? `; did you mean ${near}?` : ""}`);
      return false;
    }
    if (o.expires < today) {
      overrideProblems.push(`${label(stackFile)}: the override of ${o.rule} expired on ${o.expires}; remove it, or renew it with a new date and a reason that still holds`);
      return false;
    }
    return true;
  });
  const base = policyConfigFor(lock, env, { proxies: [plan.proxy.url], privatePrefixes: plan.privatePrefixes, vulnExceptions: settings.vulnExceptions ?? [] }, valid);
  // go-archive-signature reads which locked archives have a verified signature record.
  const config = { ...base, "go-archive-signature": { ...base["go-archive-signature"], archiveSignatures: archiveSignatureStatus(lock, env) } };
  const committed = readCommitted(policyFile);
  const allowed = new Set(valid.map((o) => o.rule));
  const refused = weakenings(env, config, committed === "unreadable" ? undefined : committed).filter((w) => !allowed.has(w.rule));
  return { stack, environment: env, stackFile, policyFile, text: JSON.stringify(config, null, 2) + "\n", config, committed, settings, refused, overrideProblems };
}

/** The policy config text each stack should have, from the lock and its stack settings. */
export function expectedPolicyConfigs(lockFile = DEFAULT_LOCK_PATH): Record<string, string> {
  return Object.fromEntries(generatePolicyConfigs({ lock: lockFile }).map((g) => [g.stack, g.text]));
}

/** Where a setting of the generated config comes from, for the drift report. */
function sourceOf(key: string, g: GeneratedPolicyConfig, lockFile: string): string {
  const sf = label(g.stackFile);
  switch (key) {
    case "allowedVersions":
    case "allowPrereleases":
    case "archiveSignatures":
      return `the lock (${label(lockFile)}, environments.${g.environment})`;
    case "proxies":
      return `the stack config (${sf}, goguard:proxyUrl)`;
    case "privatePrefixes":
      return `the stack config (${sf}, goguard:privatePrefixes)`;
    case "policyOverrides":
      return `the stack config (${sf}, goguard:policyOverrides)`;
    case "environment":
    case "singleVersion":
    case "allowDirectFallback":
    case "allowInsecureInternal":
      return `the stack config (${sf}, goguard:environment)`;
    case "enforcementLevel":
      return `the catalog levels (policies/lib/levels.ts) for ${g.environment}`;
    default:
      return "GoGuard's defaults for every environment (components/toolchain/toolchain.ts)";
  }
}

function show(v: unknown): string {
  if (v === undefined) return "absent";
  // showValue quotes and escapes; the quotes go, a truncation note stays whole.
  const m = /^"(.*)"(… \(\d+ characters\))?$/s.exec(showValue(JSON.stringify(v), 100));
  return m ? m[1].replace(/\\"/g, '"') + (m[2] ?? "") : showValue(JSON.stringify(v), 100);
}

/** One line per drifted setting: which file, what it holds, what the generator gives, and from where. */
export function explainDrift(g: GeneratedPolicyConfig, lockFile: string): string[] {
  const pf = label(g.policyFile);
  if (g.committed === undefined) return [`${pf} is missing`];
  if (g.committed === "unreadable") return [`${pf} is not a JSON object`];
  const committed = g.committed;
  const lines: string[] = [];
  const rules = [...new Set([...Object.keys(committed), ...Object.keys(g.config)])].sort();
  for (const r of rules) {
    if (!(r in g.config)) lines.push(`${pf}: rule ${r} is in the file, but the pack has no such rule (from the policy pack, policies/rules)`);
    else if (!(r in committed)) lines.push(`${pf}: rule ${r} is missing (a rule of the policy pack, policies/rules)`);
  }
  // Per setting: how many rules differ, and the first differing pair.
  const diffs = new Map<string, { was: unknown; now: unknown; rules: string[] }>();
  for (const r of rules) {
    const was = committed[r];
    const now = g.config[r];
    if (!now || was === null || typeof was !== "object") continue;
    const keys = new Set([...Object.keys(was as object), ...Object.keys(now)]);
    for (const k of keys) {
      const a = (was as Record<string, unknown>)[k];
      const b = (now as Record<string, unknown>)[k];
      if (JSON.stringify(a) === JSON.stringify(b)) continue;
      const key = k === "enforcementLevel" ? `enforcementLevel of ${r}` : k;
      const d = diffs.get(key) ?? { was: a, now: b, rules: [] };
      d.rules.push(r);
      diffs.set(key, d);
    }
  }
  for (const [key, d] of [...diffs.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const setting = key.startsWith("enforcementLevel") ? "enforcementLevel" : key;
    const where = key.startsWith("enforcementLevel") ? "" : ` in ${d.rules.length} rule(s)`;
    lines.push(`${pf}: ${key} is ${show(d.was)}${where}, the lock and stack settings give ${show(d.now)}; it comes from ${sourceOf(setting, g, lockFile)}`);
  }
  return lines;
}

export function registerPolicyConfig(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command("policy-config")
    .description("Generate policies/config/<stack>.json from the toolchain lock and the stack settings (--check: fail on drift, saying what drifted and from where).")
    .option("--check", "exit 1 if a committed file differs from what the lock and stack settings give")
    .option("--lock <file>", "the toolchain lock", DEFAULT_LOCK_PATH)
    .option("--stacks-dir <dir>", "where Pulumi.<stack>.yaml are", path.join(PROJECT_ROOT, "stacks"))
    .option("--policy-dir <dir>", "where <stack>.json are written", path.join(PACK_DIR, "config"))
    .action((opts: { check?: boolean; lock: string; stacksDir: string; policyDir: string }) => {
      const generated = generatePolicyConfigs({ lock: opts.lock, stacksDir: opts.stacksDir, policyDir: opts.policyDir });
      const overrideProblems = generated.flatMap((g) => g.overrideProblems);
      if (overrideProblems.length > 0) {
        for (const p of overrideProblems) io.err(`  - ${p}\n`);
        throw new CommandFailure(`${overrideProblems.length} policy override(s) cannot be used (listed above); fix them in the stack file`);
      }
      const refused = generated.flatMap((g) => g.refused.map((w) => `${label(g.stackFile)} (${g.stack}): ${w.what}; to accept it, record goguard:policyOverrides: [{rule: ${w.rule}, reason: <why>, expires: <YYYY-MM-DD>}]`));
      if (opts.check) {
        const drift = generated.filter((g) => g.committed === undefined || g.committed === "unreadable" || fs.readFileSync(g.policyFile, "utf8") !== g.text);
        if (drift.length > 0 || refused.length > 0) {
          for (const g of drift) for (const l of explainDrift(g, opts.lock)) io.err(`  - ${l}\n`);
          for (const r of refused) io.err(`  - ${r}\n`);
          throw new CommandFailure(
            drift.length > 0
              ? `policy config drifted in ${drift.map((g) => label(g.policyFile)).join(", ")} (listed above); run \`goguard policy-config\``
              : `${refused.length} unrecorded weakening(s) of the policy (listed above)`,
          );
        }
        io.out("policy config matches the lock\n");
        return;
      }
      if (refused.length > 0) {
        for (const r of refused) io.err(`  - ${r}\n`);
        throw new CommandFailure(`refusing to weaken the policy without a recorded override: ${refused.length} weakening(s) (listed above); nothing was written`);
      }
      for (const g of generated) writeFileAtomic(g.policyFile, g.text);
      io.out(`wrote ${generated.map((g) => label(g.policyFile)).join(", ")}\n`);
      setCode(0);
    });
}
