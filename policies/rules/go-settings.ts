// Stack policies for the Go settings rows of the catalog (T1–T3, T8, G1–G8). Each policy reports
// the findings of one row from the shared implementation in components/toolchain/goenv.ts, for every
// Go-settings source of the stack, on the resource that carries or consumes it.
import { StackValidationPolicy } from "@pulumi/policy";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { GoCatalog } from "../../components/toolchain/catalog";
import { checkArchiveChecksum, checkGoSettings, Finding, GoEnvPolicy, RuleId, SETTING_RULE, unresolvedFinding } from "../../components/toolchain/goenv";
import { goEnvPolicyFromConfig, GO_RULE_CONFIG_SCHEMA } from "../lib/config";
import { sameStackContent, stackEnv, StackGoSource, StackResource, stackGoSources } from "../lib/sources";
import { athensGoSources } from "./athens";
import { RuleDoc } from "../lib/meta";

export interface RuleMeta {
  readonly name: string;
  /** The shared rule (catalog row) whose findings this policy reports. */
  readonly rule: RuleId;
  readonly description: string;
  readonly remediation: string;
  readonly severity: "low" | "medium" | "high" | "critical";
}

export function goSettingsDoc(meta: RuleMeta): RuleDoc {
  // G1, G2 and G6 also cover the proxy's own upstream settings (row P1).
  const rows = ["G1", "G2", "G6"].includes(meta.rule) ? [meta.rule, "P1"] : [meta.rule];
  return { name: meta.name, rows, description: meta.description, remediation: meta.remediation, severity: meta.severity };
}

/** Build args carrying per-platform archive checksums: GO_SHA256_LINUX_AMD64 → linux/amd64. */
function checksumArgs(settings: Readonly<Record<string, string>>, platform?: string): Array<{ setting: string; platform: string; sha256: string }> {
  const out: Array<{ setting: string; platform: string; sha256: string }> = [];
  for (const [k, v] of Object.entries(settings)) {
    const m = /^GO_SHA256_([A-Z0-9]+)_([A-Z0-9]+)$/.exec(k);
    if (m) out.push({ setting: k, platform: `${m[1].toLowerCase()}/${m[2].toLowerCase()}`, sha256: v });
    else if (k === "GO_SHA256" && platform) out.push({ setting: k, platform, sha256: v });
  }
  return out.sort((a, b) => (a.setting < b.setting ? -1 : 1));
}

/**
 * The rule that judges a setting whose value cannot be read offline: goenv.ts's SETTING_RULE, plus
 * the two sources only a container has: Athens' own go settings list and a whole envFrom object
 * (either may carry GOSUMDB=off, so G1 judges them).
 */
const CONTAINER_SOURCE_RULE: Readonly<Record<string, RuleId>> = { ATHENS_GO_BINARY_ENV_VARS: "G1", envFrom: "G1", manifests: "G1" };
export function settingRule(setting: string): RuleId | undefined {
  return Object.prototype.hasOwnProperty.call(SETTING_RULE, setting) ? SETTING_RULE[setting] : CONTAINER_SOURCE_RULE[setting];
}

/** The finding for a Go setting (or a whole envFrom source) that cannot be read offline. */
export function unresolved(setting: string, where: string, reason: string): Finding | undefined {
  if (Object.prototype.hasOwnProperty.call(SETTING_RULE, setting)) return unresolvedFinding(setting, where, reason);
  const rule = CONTAINER_SOURCE_RULE[setting];
  if (!rule) return undefined;
  if (setting === "envFrom") {
    return { rule, setting, value: "", message: `${where.replace(/ env$/, "")} takes variables with envFrom that cannot be read offline (${reason}); they may carry Go settings (GOSUMDB, GOPROXY, GOFLAGS, …), so what Go will do cannot be verified`, fix: "Declare the ConfigMap or Secret in this stack, or set the Go settings literally in the container's env." };
  }
  if (setting === "manifests") {
    return { rule, setting, value: "", message: `${where}: its Kubernetes objects cannot be read offline (${reason}); their workloads may carry Go settings (GOSUMDB, GOPROXY, GOFLAGS, …), so what Go will do cannot be verified`, fix: "Render the directory in the program (`kustomize build` output through yaml/v2.ConfigGroup or ConfigFile, whose objects the check reads), or keep Go settings out of it and set them where the check sees them." };
  }
  return { rule, setting, value: "", message: `${setting} comes from ${where}, which cannot be read offline (${reason}), so what the proxy's go will do with it cannot be verified`, fix: `Declare the ConfigMap or Secret that holds ${setting} in this stack, or set ${setting} literally in the container's env.` };
}

// checkGoSettings is pure, and the twelve Go-settings policies each judge the same sources (a
// thousand workloads often carry one identical env): remember the last results, keyed by all
// that determines them (the catalog is the bundled one, fixed for the process).
const MEMO_LIMIT = 256;
const memo = new Map<string, readonly Finding[]>();
function checkMemo(settings: Readonly<Record<string, string>>, policy: GoEnvPolicy, catalog: GoCatalog, complete: boolean): readonly Finding[] {
  const key = JSON.stringify([Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), policy, complete]);
  const hit = memo.get(key);
  if (hit) return hit;
  const r = checkGoSettings(settings, policy, catalog, { complete });
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(key, r);
  return r;
}

type GoFinding = { rule: RuleId; urn: string; message: string };

// Every Go-settings row is a policy of its own (its own name and enforcement level), and
// @pulumi/policy hands each stack policy its own deserialized copy of the stack, so each of them
// would resolve every container's environment again: the same work a dozen times per stack. The
// last result is kept for the stack being judged now: used only for a stack of the same content
// (sameStackContent: every resource's type, URN, name and props equal) under the same policy and
// catalog, and dropped at the next turn of the event loop, so it never outlives the AnalyzeStack
// request (the policies run back to back within one turn; the next request, another stack's or the
// same stack's after a Dockerfile changed on disk, comes in a later turn and computes afresh).
let lastFindings: { resources: readonly StackResource[]; policy: string; catalog: GoCatalog; findings: readonly GoFinding[] } | undefined;
let dropScheduled = false;

/** Every Go-settings finding of the stack, with the URN that reports it. */
export function stackGoFindings(resources: readonly StackResource[], policy: GoEnvPolicy, catalog: GoCatalog): GoFinding[] {
  const policyKey = JSON.stringify(policy);
  const last = lastFindings;
  if (last && last.policy === policyKey && last.catalog === catalog && sameStackContent(last.resources, resources)) return last.findings.map((f) => ({ ...f }));
  const findings = computeStackGoFindings(resources, policy, catalog);
  lastFindings = { resources, policy: policyKey, catalog, findings: findings.map((f) => ({ ...f })) };
  if (!dropScheduled) {
    dropScheduled = true;
    setImmediate(() => {
      lastFindings = undefined;
      dropScheduled = false;
    });
  }
  return findings;
}

function computeStackGoFindings(resources: readonly StackResource[], policy: GoEnvPolicy, catalog: GoCatalog): GoFinding[] {
  const out: Array<{ rule: RuleId; urn: string; message: string; group?: string; what?: string }> = [];
  const pre = stackEnv(resources);
  for (const source of [...stackGoSources(resources, pre), ...athensGoSources(resources, pre)]) {
    // A proxy's upstream settings: any https upstream may come first, but never direct alone, a
    // direct fallback, or weakened checksums (catalog row P1).
    const p = source.role === "upstream" ? { ...policy, proxies: [], allowDirectFallback: false } : policy;
    for (const f of checkMemo(source.settings, p, catalog, source.complete === true)) {
      if (source.onlyComplete && f.rule !== "G8" && f.setting in source.settings) continue;
      const from = source.provenance?.[f.setting];
      const what = isSecret(source, f.setting) ? secretFinding(f) : `${f.message}. Fix: ${f.fix}`;
      out.push({ rule: f.rule, urn: source.urn, message: `${source.name} ${source.where}${from ? ` ${f.setting} (${from})` : ""}: ${what}`, group: source.samePlaceGroup, what });
    }
    for (const u of source.unresolved ?? []) {
      const f = unresolved(u.setting, source.where, u.reason);
      if (f) out.push({ rule: f.rule, urn: source.urn, message: `${source.name}: ${f.message}. Fix: ${f.fix}` });
    }
    const version = source.settings.GO_VERSION ?? source.settings.GOLANG_VERSION;
    if (version === undefined || !catalog.has(version)) continue;
    for (const c of checksumArgs(source.settings, source.platform)) {
      for (const f of checkArchiveChecksum(version, c.platform, c.sha256, catalog, c.setting)) {
        out.push({ rule: "T3", urn: source.urn, message: `${source.name} ${source.where}: ${c.setting}: ${f.message}. Fix: ${f.fix}` });
      }
    }
  }
  // One finding per resource and message: the same setting reaching several `go` runs of one
  // Dockerfile is reported at the first place it takes effect.
  const seen = new Set<string>();
  return out
    .filter((f) => {
      if (f.group === undefined) return true;
      const key = `${f.urn}\u0000${f.group}\u0000${f.rule}\u0000${f.what}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((f) => ({ rule: f.rule, urn: f.urn, message: f.message }));
}

function isSecret(source: StackGoSource, setting: string): boolean {
  return source.secret === true || (source.secret !== undefined && source.secret.has(setting));
}

/**
 * A finding on a value taken from a Secret: the rule and its remedy, never the value (Go's messages
 * quote it, and a report is read by people who may not read the Secret).
 */
function secretFinding(f: Finding): string {
  const meta = GO_SETTINGS_RULES.find((m) => m.rule === f.rule)!;
  return `${f.setting} takes its value from a Secret (not shown here), and that value breaks ${meta.name}: ${meta.description} Fix: ${meta.remediation}`;
}

/**
 * One stack policy per catalog row. Stack-level because a workload's settings depend on other
 * resources (the ConfigMaps and Secrets it takes them from); see stackGoSources for where each
 * finding is reported.
 */
export function goSettingsPolicy(meta: RuleMeta): StackValidationPolicy {
  return {
    name: meta.name,
    description: meta.description,
    enforcementLevel: "mandatory",
    severity: meta.severity,
    remediationSteps: meta.remediation,
    configSchema: GO_RULE_CONFIG_SCHEMA as unknown as StackValidationPolicy["configSchema"],
    validateStack: (args, reportViolation) => {
      const policy = goEnvPolicyFromConfig(args.getConfig<Record<string, unknown>>());
      for (const f of stackGoFindings(args.resources, policy, bundledCatalog())) if (f.rule === meta.rule) reportViolation(f.message, f.urn);
    },
  };
}

export const GO_SETTINGS_RULES: readonly RuleMeta[] = [
  { name: "go-version-exact-release", rule: "T1", severity: "high", description: "The Go version is an exact patch release (X.Y.Z); release candidates and betas only where the environment allows pre-releases.", remediation: "Pin an exact release such as 1.26.7 from `goguard catalog show`." },
  { name: "go-version-allowed", rule: "T2", severity: "high", description: "The Go version is one the environment's toolchain lock allows.", remediation: "Use the environment's locked version, or allow the new one with `goguard lock allow` and promote it." },
  { name: "go-archive-checksum-locked", rule: "T3", severity: "critical", description: "The Go version exists in the release catalog, and every archive checksum used equals the catalog's.", remediation: "Take versions and checksums from the toolchain lock; refresh the catalog with `goguard catalog update`." },
  { name: "go-toolchain-local", rule: "T8", severity: "high", description: "GOTOOLCHAIN is local (or the exact pinned goX.Y.Z), never auto or path, so code being built cannot choose its compiler.", remediation: "Set GOTOOLCHAIN=local." },
  { name: "go-sumdb-on", rule: "G1", severity: "critical", description: "GOSUMDB is not off; a database other than sum.golang.org only when allow-listed with its key.", remediation: "Remove GOSUMDB=off; use sum.golang.org, directly or through the environment's proxy." },
  { name: "go-private-patterns-narrow", rule: "G2", severity: "high", description: "GONOSUMDB, GOPRIVATE and GONOPROXY hold only the organisation's own module prefixes, never wildcards or public hosts.", remediation: "List only your organisation's prefixes, such as git.corp.example." },
  { name: "go-insecure-unset", rule: "G3", severity: "high", description: "GOINSECURE is unset (internal hosts only, outside prod).", remediation: "Unset GOINSECURE and serve modules over TLS." },
  { name: "go-flags-no-insecure", rule: "G4", severity: "high", description: "GOFLAGS has no -insecure (removed from Go; a sign of intent to skip verification).", remediation: "Remove -insecure from GOFLAGS." },
  { name: "go-flags-no-mod-mod", rule: "G5", severity: "medium", description: "GOFLAGS has no -mod=mod, so builds never rewrite go.mod or go.sum.", remediation: "Use -mod=readonly (the default) or -mod=vendor." },
  { name: "go-proxy-own-first", rule: "G6", severity: "high", description: "GOPROXY is set, not off (unless vendoring) and not direct alone; its first entry is the environment's own proxy; direct fallback only where allowed; plain http only to cluster-internal names.", remediation: "Set GOPROXY to the environment's proxy URL." },
  { name: "go-nosumcheck-absent", rule: "G7", severity: "medium", description: "GONOSUMCHECK (not a Go setting) is absent: scripts set it when they mean to skip verification.", remediation: "Remove GONOSUMCHECK." },
  { name: "go-release-flags", rule: "G8", severity: "medium", description: "Release builds are reproducible: -trimpath and -mod=readonly in GOFLAGS, CGO_ENABLED explicit.", remediation: 'Set GOFLAGS="-mod=readonly -trimpath" and CGO_ENABLED=0.' },
];
