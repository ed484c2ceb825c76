// What `goguard check-repo` judges with and what it reports (pure types and the one finding maker).
import { GoCatalog } from "../../components/toolchain/catalog";
import { GoEnvPolicy } from "../../components/toolchain/goenv";
import { EnvironmentName } from "../../components/toolchain/lock";

export type Level = "mandatory" | "advisory";

export interface RepoFinding {
  /** The pack's rule name (go-version-allowed, go-toolchain-local, …) or repo-file-readable. */
  readonly rule: string;
  readonly level: Level;
  /** Path relative to the repository root, with `/`. */
  readonly file: string;
  /** 1-based; 1 when the finding is about the whole file. */
  readonly line: number;
  /** 1-based, UTF-16 code units (SARIF's default column kind). */
  readonly column: number;
  /** Where, what, and `Fix: …`. */
  readonly message: string;
}

export interface RepoContext {
  readonly env: EnvironmentName;
  /** The lock's default version of the environment (what GOTOOLCHAIN=local builds run). */
  readonly defaultVersion: string;
  /** Every version the environment's lock allows. */
  readonly allowed: readonly string[];
  readonly allowPrereleases: boolean;
  /** The Go settings policy the pack judges this environment with (allowed versions from the lock). */
  readonly policy: GoEnvPolicy;
  /** The config object the pack's resource rules read (allowedVersions, allowPrereleases, …). */
  readonly ruleConfig: Readonly<Record<string, unknown>>;
  /** Rule name → level for this environment, from the pack's policy config; a missing or disabled rule reports nothing. */
  readonly levels: Readonly<Record<string, "mandatory" | "advisory" | "disabled">>;
  readonly catalog: GoCatalog;
}

/** The rule repository-reading problems are reported under (a judged file that cannot be read is not a pass). */
export const READABLE_RULE = "repo-file-readable";

/** Adds a finding at the level the environment gives its rule; nothing when the rule is disabled. */
export function findingFor(ctx: RepoContext, rule: string, file: string, line: number, column: number, message: string): RepoFinding[] {
  const level = ctx.levels[rule];
  if (level === undefined || level === "disabled") return [];
  return [{ rule, level, file, line: Math.max(1, line), column: Math.max(1, column), message }];
}
