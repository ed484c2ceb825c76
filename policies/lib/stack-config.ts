// The policy config of a stack (`policies/config/<stack>.json`), derived from the toolchain lock and
// the stack's settings: never maintained by hand beside them. `goguard policy-config` regenerates
// the files; `--check` (and a test) fails when the committed ones drift.
//
// Regenerating must never quietly weaken a stack's policy: compared with the committed file (or,
// without one, the environment's strict catalog levels), fewer mandatory rules, broader private
// patterns (judged by the shared Go-settings rule) and pre-releases in prod are refused unless the
// stack file records an override naming the rule, the reason and an expiry, which is then written
// into the generated config for reviewers and auditors to see.
import { broadPatternReason } from "../../components/toolchain/goenv";
import { EnvironmentName, ToolchainLock } from "../../components/toolchain/lock";
import { environmentPolicy } from "../../components/toolchain/toolchain";
import { parseGoVersion, versionShape } from "../../components/toolchain/version";
import { RULE_DOCS } from "../rules/registry";
import { Level, levelForRows } from "./levels";
import { VulnException } from "../../components/toolchain/vulns";

export interface PolicyOverrideRecord {
  readonly rule: string;
  readonly reason: string;
  readonly expires: string;
}

/** Override names that are not a rule's: the shared settings a weakening can touch. */
export const SETTING_OVERRIDES = ["privatePrefixes", "allowPrereleases"] as const;

export type RuleConfig = Record<string, unknown> & { enforcementLevel: Level };

export function policyConfigFor(
  lock: ToolchainLock,
  env: EnvironmentName,
  settings: { proxies: readonly string[]; privatePrefixes: readonly string[]; vulnExceptions?: readonly VulnException[] },
  overrides: readonly PolicyOverrideRecord[] = [],
): Record<string, RuleConfig> {
  const p = environmentPolicy(lock, env, settings);
  const shared = {
    allowedVersions: [...p.allowedVersions],
    allowPrereleases: p.allowPrereleases,
    proxies: [...p.proxies],
    privatePrefixes: [...p.privatePrefixes],
    sumdbAllowlist: [...p.sumdbAllowlist],
    allowDirectFallback: p.allowDirectFallback,
    allowInsecureInternal: p.allowInsecureInternal,
    release: p.release,
    environment: env,
    singleVersion: env === "prod",
    // Written only when the stack records overrides, so a stack without any keeps the same bytes.
    // Accepted Go vulnerabilities (go-vulnerabilities), from the stack config's vulnExceptions; only when there are some.
    ...(settings.vulnExceptions && settings.vulnExceptions.length > 0 ? { vulnExceptions: settings.vulnExceptions.map((e) => ({ id: e.id, reason: e.reason, expires: e.expires })) } : {}),
    ...(overrides.length > 0 ? { policyOverrides: [...overrides].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)).map((o) => ({ rule: o.rule, reason: o.reason, expires: o.expires })) } : {}),
  };
  const out: Record<string, RuleConfig> = {};
  for (const r of [...RULE_DOCS].sort((a, b) => (a.name < b.name ? -1 : 1))) out[r.name] = { enforcementLevel: levelForRows(r.rows, env), ...shared };
  return out;
}

/** The environment's strict defaults: the catalog's level for every rule. */
export function strictLevels(env: EnvironmentName): Record<string, Level> {
  return Object.fromEntries(RULE_DOCS.map((r) => [r.name, levelForRows(r.rows, env)]));
}

export interface Weakening {
  /** What an override must name to allow it: a rule name, `privatePrefixes` or `allowPrereleases`. */
  readonly rule: string;
  readonly what: string;
}

const RANK: Record<Level, number> = { disabled: 0, advisory: 1, mandatory: 2 };

function levelOf(v: unknown): Level | undefined {
  const l = v !== null && typeof v === "object" ? (v as Record<string, unknown>).enforcementLevel : v;
  return l === "mandatory" || l === "advisory" || l === "disabled" ? l : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/**
 * How `next` weakens the policy compared with `committed` (the file in the repository; undefined
 * when there is none) and the environment's strict levels. Pure; sorted by rule.
 */
export function weakenings(env: EnvironmentName, next: Record<string, RuleConfig>, committed: Record<string, unknown> | undefined): Weakening[] {
  const out: Weakening[] = [];
  const strict = strictLevels(env);
  const ruleNames = new Set([...Object.keys(strict), ...Object.keys(committed ?? {})]);
  for (const rule of [...ruleNames].sort()) {
    const now = levelOf(next[rule]);
    for (const [than, was] of [["the committed config", levelOf(committed?.[rule])], [`${env}'s catalog level`, strict[rule]]] as const) {
      if (was === undefined) continue;
      if (now === undefined) {
        out.push({ rule, what: `${rule} is ${was} in ${than} and missing from the new one` });
        break;
      }
      if (RANK[now] < RANK[was]) {
        out.push({ rule, what: `${rule} would be ${now}; it is ${was} in ${than}` });
        break;
      }
    }
  }
  const first = Object.values(next)[0] ?? {};
  const before = committed ? Object.values(committed).find((v) => v !== null && typeof v === "object") : undefined;
  if (before !== undefined) {
    const was = strings((before as Record<string, unknown>).privatePrefixes);
    for (const p of strings(first.privatePrefixes)) {
      // The shared GOPRIVATE rule: a pattern is broad unless the committed prefixes cover it.
      const reason = broadPatternReason(p, was);
      if (reason) out.push({ rule: "privatePrefixes", what: `private prefix ${JSON.stringify(p)} widens what skips the checksum database: ${reason}` });
    }
  }
  if (env === "prod") {
    if (first.allowPrereleases === true) out.push({ rule: "allowPrereleases", what: "prod would allow pre-releases (the lock's environments.prod.allowPrereleases is true)" });
    for (const v of strings(first.allowedVersions)) {
      const parsed = parseGoVersion(v);
      if (parsed && versionShape(parsed) === "prerelease") out.push({ rule: "allowPrereleases", what: `prod would run the pre-release ${v}` });
    }
  }
  return out;
}

/** The names an override may carry: every rule of the pack and the shared settings. */
export function overrideNames(): string[] {
  return [...RULE_DOCS.map((r) => r.name), ...SETTING_OVERRIDES].sort();
}
