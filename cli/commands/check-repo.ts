// goguard check-repo DIR --env E: a Go service repository judged against an environment's lock and
// Go settings policy, with the pack's own rule implementations and levels. Exit 0: no mandatory
// finding; 1: mandatory findings; 2: usage or setup (no DIR, unknown env, unreadable lock/config).
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { Io } from "../io";
import { DEFAULT_LOCK_PATH, PROJECT_ROOT, readJsonFile, UsageError, unknownValue } from "../files";
import { readLockFile } from "../lock-store";
import { policyConfigPath } from "../stack-files";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { ENVIRONMENTS, EnvironmentName, LockError, ToolchainLock } from "../../components/toolchain/lock";
import { goEnvPolicyFromConfig } from "../../policies/lib/config";
import { RULE_DOCS } from "../../policies/rules/registry";
import { checkRepo, RepoResult } from "../repo/check";
import { renderRepoJson, renderRepoMarkdown, renderRepoSarif, renderRepoText, repoOk } from "../repo/report";
import { READABLE_RULE, RepoContext } from "../repo/types";
import { DEFAULT_LIMITS, WalkLimits } from "../repo/walk";

const FORMATS = ["text", "json", "markdown", "sarif"] as const;

export interface CheckRepoOptions {
  env: string;
  format: string;
  lock?: string;
  policyConfig?: string;
  prefix?: string;
  maxEntries?: string;
  maxFileBytes?: string;
}

type LevelName = "mandatory" | "advisory" | "disabled";

/** The context a repository is judged in: the lock's versions, the pack's policy config (levels and Go settings policy). */
export function repoContext(env: EnvironmentName, lock: ToolchainLock, config: Record<string, unknown>): RepoContext {
  const e = lock.environments[env];
  const levels: Record<string, LevelName> = {};
  const ruleConfigs: Record<string, Record<string, unknown>> = {};
  for (const [rule, c] of Object.entries(config)) {
    if (c === null || typeof c !== "object" || Array.isArray(c)) continue;
    const cfg = c as Record<string, unknown>;
    ruleConfigs[rule] = cfg;
    const level = cfg.enforcementLevel;
    levels[rule] = level === "advisory" || level === "disabled" ? level : "mandatory";
  }
  // A judged file that cannot be read fails closed at the level the pack gives an unreadable Dockerfile.
  levels[READABLE_RULE] = levels["dockerfile-readable"] ?? "mandatory";
  const allowed = Object.keys(e.versions);
  const versions = { allowedVersions: allowed, allowPrereleases: e.allowPrereleases };
  return {
    env,
    defaultVersion: e.default,
    allowed,
    allowPrereleases: e.allowPrereleases,
    // The lock decides the versions; the policy config the rest of the Go settings policy.
    policy: { ...goEnvPolicyFromConfig(ruleConfigs["go-toolchain-local"] ?? {}), ...versions },
    ruleConfig: { ...(ruleConfigs["golang-image-full-patch"] ?? {}), ...versions },
    levels,
    catalog: bundledCatalog(),
  };
}

function positiveInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[1-9][0-9]{0,9}$/.test(text)) throw new UsageError(`${flag} must be a positive whole number; got ${JSON.stringify(text)}`);
  return Number(text);
}

function withPrefix(r: RepoResult, prefix: string | undefined): RepoResult {
  if (prefix === undefined || prefix === "" || prefix === ".") return r;
  const p = prefix.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
  const join = (f: string): string => (f === "." ? p : `${p}/${f}`);
  return { ...r, files: r.files.map(join), findings: r.findings.map((f) => ({ ...f, file: join(f.file) })) };
}

export function runCheckRepo(dir: string, opts: CheckRepoOptions): { text: string; code: number } {
  if (!(FORMATS as readonly string[]).includes(opts.format)) throw unknownValue("--format", "format", opts.format, FORMATS);
  if (!(ENVIRONMENTS as readonly string[]).includes(opts.env)) throw unknownValue("--env", "environment", opts.env, ENVIRONMENTS);
  const env = opts.env as EnvironmentName;
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new UsageError(`${dir} does not exist; give the service repository's directory`);
  }
  if (!st.isDirectory()) throw new UsageError(`${dir} is not a directory; give the service repository's directory`);
  const limits: WalkLimits = {
    ...DEFAULT_LIMITS,
    maxEntries: positiveInt("--max-entries", opts.maxEntries, DEFAULT_LIMITS.maxEntries),
    maxFileBytes: positiveInt("--max-file-bytes", opts.maxFileBytes, DEFAULT_LIMITS.maxFileBytes),
  };
  let lock: ToolchainLock;
  try {
    lock = readLockFile(path.resolve(opts.lock ?? DEFAULT_LOCK_PATH));
  } catch (err) {
    // A lock that does not read is a setup problem here (exit 2), not a finding about the repository.
    if (err instanceof LockError) throw new UsageError(`the toolchain lock is invalid: ${err.message}`);
    throw err;
  }
  const configFile = path.resolve(opts.policyConfig ?? policyConfigPath(env));
  const config = readJsonFile(configFile, "policy config");
  if (config === null || typeof config !== "object" || Array.isArray(config)) throw new UsageError(`policy config ${configFile} is not a JSON object of rule settings; regenerate it with goguard policy-config`);
  const ctx = repoContext(env, lock, config as Record<string, unknown>);
  const result = withPrefix(checkRepo(dir, ctx, limits), opts.prefix);
  const text =
    opts.format === "json" ? renderRepoJson(result) : opts.format === "markdown" ? renderRepoMarkdown(result) : opts.format === "sarif" ? renderRepoSarif(result, RULE_DOCS, String(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version)) : renderRepoText(result);
  return { text, code: repoOk(result) ? 0 : 1 };
}

export function registerCheckRepo(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command("check-repo")
    .description("Judge a Go service repository (go.mod/go.work, .go-version, .tool-versions, mise.toml, Dockerfiles, GitHub workflows) against an environment's lock and Go settings policy.")
    .argument("<dir>", "the repository's directory")
    .requiredOption("--env <env>", ENVIRONMENTS.join(", "))
    .option("--format <format>", FORMATS.join(", "), "text")
    .option("--lock <file>", "the toolchain lock (default: stacks/toolchain.lock.json of this checkout)")
    .option("--policy-config <file>", "the pack's policy config for the environment (default: policies/config/<env>.json)")
    .option("--prefix <path>", "prepended to every file path in the output, when <dir> is a subdirectory of the repository (SARIF paths are relative to the repository root)")
    .option("--max-entries <n>", `directory entries walked before stopping (default ${DEFAULT_LIMITS.maxEntries})`)
    .option("--max-file-bytes <n>", `size cap of a judged file (default ${DEFAULT_LIMITS.maxFileBytes})`)
    .action((dir: string, opts: CheckRepoOptions) => {
      const { text, code } = runCheckRepo(dir, opts);
      io.out(text);
      setCode(code);
    });
}
