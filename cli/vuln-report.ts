// Output of `goguard vuln` (pure): which reports of Go's vulnerability database affect each locked
// Go version, as text, JSON, markdown (a pull-request comment) or SARIF 2.1.0 (code scanning).
import { ENVIRONMENTS, EnvironmentName, ToolchainLock } from "../components/toolchain/lock";
import { compareVersionStrings } from "../components/toolchain/version";
import { md, sarifLog } from "./report";
import { Finding, findingsFor, goosOf, upgradeTarget, VulnReport } from "../components/toolchain/vulns";

export interface VersionVulns {
  readonly version: string;
  readonly isDefault: boolean;
  readonly findings: readonly Finding[];
  /** The release to move to when some finding has a fix. */
  readonly moveTo?: string;
}

export interface EnvironmentVulns {
  readonly environment: EnvironmentName;
  readonly platforms: readonly string[];
  readonly goos: readonly string[];
  readonly versions: readonly VersionVulns[];
}

export interface VulnScan {
  readonly ok: boolean;
  readonly reports: number;
  readonly environments: readonly EnvironmentVulns[];
}

/** Every locked version of the chosen environments against the database (GOOS from each environment's platforms). */
export function scanLock(lock: ToolchainLock, envs: readonly EnvironmentName[], reports: readonly VulnReport[], stableReleases: readonly string[]): VulnScan {
  const environments = ENVIRONMENTS.filter((e) => envs.includes(e)).map((env) => {
    const e = lock.environments[env];
    const goos = goosOf(e.platforms);
    const versions = Object.keys(e.versions)
      .sort(compareVersionStrings)
      .map((version) => {
        const findings = findingsFor(reports, version, goos);
        const moveTo = findings.some((f) => f.fixedBy !== undefined) ? upgradeTarget(reports, version, stableReleases, goos) : undefined;
        return { version, isDefault: e.default === version, findings, ...(moveTo !== undefined ? { moveTo } : {}) };
      });
    return { environment: env, platforms: [...e.platforms], goos, versions };
  });
  return { ok: environments.every((e) => e.versions.every((v) => v.findings.length === 0)), reports: reports.length, environments };
}

const NOTE = "No report means none known to the database, not safe: refresh it with `goguard vulndb update`.";

function label(f: Finding): string {
  return f.aliases.length > 0 ? `${f.id} (${f.aliases.join(", ")})` : f.id;
}

function fixText(f: Finding): string {
  return f.fixedIn.length > 0 ? `fixed in ${f.fixedIn.join(", ")}` : "no fix known";
}

export function renderVulnText(scan: VulnScan): string {
  const lines: string[] = [];
  for (const e of scan.environments) {
    for (const v of e.versions) {
      const head = `${e.environment} ${v.version}${v.isDefault ? " (default)" : ""} on ${e.goos.join(", ")}`;
      if (v.findings.length === 0) {
        lines.push(`✓ ${head}: no known reports`);
        continue;
      }
      lines.push(`✗ ${head}: ${v.findings.length} report(s)${v.moveTo ? `; move to ${v.moveTo}` : ""}`);
      for (const f of v.findings) lines.push(`    ${label(f)} ${f.packages.join(", ")}: ${f.summary} (${fixText(f)})`);
    }
  }
  lines.push(scan.ok ? `no locked Go version is affected by the ${scan.reports} reports of the database. ${NOTE}` : "locked Go versions are affected by known vulnerabilities");
  return lines.join("\n") + "\n";
}

export function renderVulnJson(scan: VulnScan): string {
  return JSON.stringify(scan, null, 2) + "\n";
}

export function renderVulnMarkdown(scan: VulnScan): string {
  const out = [`## GoGuard: Go vulnerabilities ${scan.ok ? "✅ none known" : "❌ locked versions affected"}`, "", "| environment | version | reports | move to |", "|---|---|---:|---|"];
  for (const e of scan.environments) for (const v of e.versions) out.push(`| ${e.environment} | ${v.version}${v.isDefault ? " (default)" : ""} | ${v.findings.length} | ${v.moveTo ?? ""} |`);
  for (const e of scan.environments) {
    for (const v of e.versions) {
      if (v.findings.length === 0) continue;
      out.push("", `### ${e.environment} ${v.version}`, "", "| report | aliases | packages | summary | fixed in |", "|---|---|---|---|---|");
      for (const f of v.findings) out.push(`| [${f.id}](${f.url}) | ${f.aliases.join(", ")} | ${md(f.packages.join(", "))} | ${md(f.summary)} | ${f.fixedIn.join(", ")} |`);
    }
  }
  out.push("", NOTE);
  return out.join("\n") + "\n";
}

export function renderVulnSarif(scan: VulnScan, toolVersion: string, lockUri: string): string {
  const all = new Map<string, Finding>();
  for (const e of scan.environments) for (const v of e.versions) for (const f of v.findings) all.set(f.id, f);
  const rules = [...all.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const index = new Map(rules.map((f, i) => [f.id, i]));
  const results = scan.environments.flatMap((e) =>
    e.versions.flatMap((v) =>
      v.findings.map((f) => ({
        ruleId: f.id,
        ruleIndex: index.get(f.id)!,
        level: "error",
        message: { text: `${e.environment} locks Go ${v.version}, affected by ${label(f)}: ${f.summary} (${fixText(f)})${v.moveTo ? `; move to ${v.moveTo}` : ""}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: lockUri } }, logicalLocations: [{ name: `${e.environment} ${v.version}`, kind: "module" }] }],
        properties: { environment: e.environment, version: v.version, packages: f.packages },
      })),
    ),
  );
  return sarifLog(
    { name: "goguard-vuln", version: toolVersion, informationUri: "https://vuln.go.dev", rules: rules.map((f) => ({ id: f.id, shortDescription: { text: f.summary }, helpUri: f.url, properties: { aliases: f.aliases } })) },
    results,
  );
}
