// V1: a stack running a Go version that known vulnerabilities with a fix affect (Go's own
// vulnerability database, bundled and refreshed by `goguard vulndb update`); exceptions per report
// with a reason and an expiry date, expiring loudly. V2: a locked minor outside Go's support window
// or behind its newest patch. Versions come from the config's allowedVersions (the lock) and from
// every Go version the resources name (the shared version sources).
import { bundledCatalog } from "../../components/toolchain/bundled";
import { bundledVulns } from "../../components/toolchain/vulndb";
import { exceptionActive, findingsFor, parseVulnExceptions, upgradeTarget, utcDay, VulnException, VulnReport } from "../../components/toolchain/vulns";
import { GoCatalog } from "../../components/toolchain/catalog";
import { minorOf, parseGoVersion, versionShape } from "../../components/toolchain/version";
import { goVersionsOf } from "../lib/versions";
import { stackRule } from "./common";

// GoGuard builds for Linux only (the lock refuses other platforms), so GOOS-specific reports
// apply when they name linux.
const GOOS = ["linux"];

function allowedOf(config: Record<string, unknown>): string[] {
  return Array.isArray(config.allowedVersions) ? (config.allowedVersions as unknown[]).filter((v): v is string => typeof v === "string") : [];
}

function judgeable(version: string): boolean {
  const v = parseGoVersion(version);
  return v !== undefined && versionShape(v) !== "minor";
}

/**
 * The V1 findings of one version (pure): the reports with a fix that affect it, minus those under
 * an active exception; the message names them and the release to move to.
 */
export function vulnerableVersionMessage(
  version: string,
  where: string,
  reports: readonly VulnReport[],
  exceptions: readonly VulnException[],
  today: string,
  stableReleases: readonly string[],
): string | undefined {
  const text = vulnerableVersionText(version, reports, exceptions, today, stableReleases);
  return text === undefined ? undefined : `${where}: ${text}`;
}

/** vulnerableVersionMessage without the place: what depends on the version alone (pure). */
function vulnerableVersionText(version: string, reports: readonly VulnReport[], exceptions: readonly VulnException[], today: string, stableReleases: readonly string[]): string | undefined {
  const excepted = new Set(exceptions.filter((e) => exceptionActive(e, today)).map((e) => e.id));
  const findings = findingsFor(reports, version, GOOS).filter((f) => f.fixedBy !== undefined && !excepted.has(f.id));
  if (findings.length === 0) return undefined;
  const target = upgradeTarget(reports, version, stableReleases, GOOS);
  const named = findings.map((f) => (f.aliases.length > 0 ? `${f.id} (${f.aliases.join(", ")})` : f.id)).join(", ");
  const fix = target
    ? `move to Go ${target}, which no known report with a fix affects (\`goguard lock allow\`, then promote)`
    : `move to a release that fixes them (fixed in: ${[...new Set(findings.map((f) => f.fixedBy!))].join(", ")})`;
  return `Go ${version} is affected by ${findings.length} known vulnerabilit${findings.length === 1 ? "y" : "ies"} with a fix: ${named}. Fix: ${fix}; or record an exception per report (id, reason, expires) in the stack's vulnExceptions. See \`goguard vuln\`.`;
}

export const goVulnerabilities = stackRule(
  {
    name: "go-vulnerabilities",
    rows: ["V1"],
    severity: "high",
    description:
      "No Go version the stack runs is affected by a known vulnerability of Go's standard library or toolchain that a later release fixes (Go vulnerability database). Exceptions name one report each, with a reason and an expiry date; an expired exception is itself a finding.",
    remediation: "Move to the patch release the finding names (`goguard lock allow`, then promote), or record a time-limited exception with its reason in the stack config's vulnExceptions.",
  },
  (args, config) => {
    const out: Array<[string, string]> = [];
    const { exceptions, problems } = parseVulnExceptions(config.vulnExceptions);
    for (const p of problems) out.push(["", `${p}. Fix: correct the stack config's vulnExceptions and run \`goguard policy-config\`.`]);
    const today = utcDay(new Date());
    for (const e of exceptions) {
      if (!exceptionActive(e, today)) out.push(["", `vulnExceptions: the exception for ${e.id} expired on ${e.expires} (reason given: "${e.reason}"). Fix: move to a fixed release, or renew the exception with a new expiry date and a current reason.`]);
    }
    const reports = bundledVulns();
    const stable = bundledCatalog().releases().filter((r) => r.stable).map((r) => r.version);
    for (const v of allowedOf(config)) {
      if (!judgeable(v)) continue;
      const m = vulnerableVersionMessage(v, "allowedVersions (the toolchain lock)", reports, exceptions, today, stable);
      if (m) out.push(["", m]);
    }
    // A stack names few versions many times (a thousand workloads on one image): each version is
    // matched against the database once per evaluation (the reports, exceptions and day are fixed
    // within it).
    const byVersion = new Map<string, string | undefined>();
    for (const r of args.resources) {
      for (const u of goVersionsOf(r.type, r.props)) {
        if (!judgeable(u.version)) continue;
        if (!byVersion.has(u.version)) byVersion.set(u.version, vulnerableVersionText(u.version, reports, exceptions, today, stable));
        const text = byVersion.get(u.version);
        if (text !== undefined) out.push([r.urn, `${r.name} ${u.where}: ${text}`]);
      }
    }
    return out;
  },
);

/** The V2 findings of the allowed versions (pure): a minor outside the two newest, or a patch behind the newest of its minor. */
export function supportWindowMessages(allowed: readonly string[], catalog: GoCatalog): string[] {
  const window = catalog.newestPerMinor(2).map((v) => minorOf(parseGoVersion(v)!));
  const out: string[] = [];
  for (const v of allowed) {
    const parsed = parseGoVersion(v);
    if (!parsed || versionShape(parsed) === "minor") continue;
    const minor = minorOf(parsed);
    const newestOfMinor = catalog.newestOfMinor(minor);
    if (!window.includes(minor)) {
      const to = window.map((m) => catalog.newestOfMinor(m)!).join(" or ");
      out.push(`allowedVersions: Go ${minor} (${v}) is outside Go's support window (the two newest minors: ${window.join(", ")}), so it gets no more security fixes. Fix: move to ${to}.`);
    } else if (newestOfMinor !== undefined && newestOfMinor !== v && catalog.has(newestOfMinor)) {
      const newer = parseGoVersion(newestOfMinor)!;
      if (versionShape(parsed) === "prerelease" || (parsed.patch ?? 0) < (newer.patch ?? 0)) {
        out.push(`allowedVersions: Go ${v} trails ${newestOfMinor}, the newest ${minor} release. Fix: move to ${newestOfMinor} (\`goguard lock allow\`, then promote).`);
      }
    }
  }
  return out;
}

export const goSupportWindow = stackRule(
  {
    name: "go-support-window",
    rows: ["V2"],
    severity: "medium",
    description: "Every Go version the lock allows is in Go's support window (the two newest minor releases) and is the newest patch of its minor.",
    remediation: "Move to the newest patch of a supported minor (`goguard catalog update`, `goguard lock allow`, then promote).",
  },
  (_args, config) => supportWindowMessages(allowedOf(config), bundledCatalog()).map((m) => ["", m] as [string, string]),
);
