// Go settings written in a repository (workflow env, mise [env]) judged by the pack's one
// implementation (components/toolchain/goenv.ts checkGoSettings), each finding under the pack's
// rule for its catalog row and at the line of the variable it is about.
import { checkGoSettings, Finding, hasGoSettings, RuleId, unresolvedFinding, SETTING_RULE } from "../../components/toolchain/goenv";
import { GO_SETTINGS_RULES } from "../../policies/rules/go-settings";
import { findingFor, RepoContext, RepoFinding } from "./types";

/** Catalog row (T8, G1, …) → the pack's rule name (go-toolchain-local, go-sumdb-on, …). */
export const RULE_NAME: Readonly<Record<RuleId, string>> = Object.fromEntries(GO_SETTINGS_RULES.map((r) => [r.rule, r.name])) as Record<RuleId, string>;

export interface EnvVar {
  readonly name: string;
  readonly value: string;
  readonly line: number;
  readonly column: number;
  /** Why the value cannot be read offline (a `${{ … }}` expression), if so. */
  readonly unresolved?: string;
}

/**
 * Judges the variables `own` set at one level (a step's env) in the context of what is already in
 * effect from outer levels (`inherited`: the workflow's and the job's env): Go sees the merged map,
 * and each finding is reported once, at the level that sets its variable.
 */
export function judgeEnv(file: string, where: string, own: readonly EnvVar[], inherited: Readonly<Record<string, string>>, ctx: RepoContext): RepoFinding[] {
  const resolved = own.filter((v) => v.unresolved === undefined);
  const merged: Record<string, string> = { ...inherited };
  for (const v of resolved) merged[v.name] = v.value;
  const out: RepoFinding[] = [];
  const byName = new Map(own.map((v) => [v.name, v]));
  if (hasGoSettings(Object.fromEntries(resolved.map((v) => [v.name, v.value])))) {
    for (const f of checkGoSettings(merged, ctx.policy, ctx.catalog, { complete: false })) {
      const v = byName.get(f.setting);
      if (v === undefined || v.unresolved !== undefined) continue;
      out.push(...report(file, where, v, f, ctx));
    }
  }
  for (const v of own) {
    if (v.unresolved === undefined || !Object.prototype.hasOwnProperty.call(SETTING_RULE, v.name)) continue;
    const f = unresolvedFinding(v.name, `${where} (${v.unresolved})`, v.unresolved.includes("${{") ? "an expression evaluated only when the workflow runs" : v.unresolved.includes("{{") ? "a template rendered only when the tool runs" : "a value the step computes only when it runs");
    out.push(...report(file, where, v, { ...f, fix: `Set ${v.name} literally (its value is then judged), or leave it to the environment's published Go settings.` }, ctx));
  }
  return out;
}

function report(file: string, where: string, v: EnvVar, f: Finding, ctx: RepoContext): RepoFinding[] {
  return findingFor(ctx, RULE_NAME[f.rule], file, v.line, v.column, `${file} line ${v.line} ${where} ${v.name}: ${f.message}. Fix: ${f.fix}`);
}
