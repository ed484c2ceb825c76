// Output formats of `goguard check` (pure): text for people, JSON (the documented shape), markdown
// for a pull-request comment, SARIF 2.1.0 for code scanning.
import { PolicyInfo, StackResult, Violation } from "./harness/types";

export type Format = "text" | "json" | "markdown" | "sarif";
export const FORMATS: readonly Format[] = ["text", "json", "markdown", "sarif"];

const byLevel = (a: Violation, b: Violation): number =>
  a.enforcementLevel !== b.enforcementLevel ? (a.enforcementLevel === "mandatory" ? -1 : 1) : a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : a.message < b.message ? -1 : 1;

export function isOk(results: readonly StackResult[]): boolean {
  return results.every((r) => r.error === null && !r.violations.some((v) => v.enforcementLevel === "mandatory"));
}

function resourceLabel(urn: string): string {
  if (!urn) return "(stack)";
  const parts = urn.split("::");
  return `${parts[2]?.split("$").pop()} ${parts[3] ?? ""}`.trim();
}

export function renderJson(results: readonly StackResult[]): string {
  return (
    JSON.stringify(
      {
        ok: isOk(results),
        stacks: results.map((r) => ({
          stack: r.stack,
          resources: r.resources,
          error: r.error,
          ...(r.timings ? { timings: r.timings } : {}),
          violations: [...r.violations].sort(byLevel).map((v) => ({ policyName: v.policyName, policyPackName: v.policyPackName, enforcementLevel: v.enforcementLevel, urn: v.urn, message: v.message, severity: v.severity })),
        })),
      },
      null,
      2,
    ) + "\n"
  );
}

export function renderText(results: readonly StackResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const m = r.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const a = r.violations.length - m;
    if (r.error !== null) {
      lines.push(`✗ ${r.stack}: the program refused its input`, `    ${r.error.split("\n").join("\n    ")}`);
      continue;
    }
    lines.push(`${m > 0 ? "✗" : "✓"} ${r.stack}: ${r.resources} resources, ${m} mandatory, ${a} advisory`);
    const groups = new Map<string, Violation[]>();
    for (const v of [...r.violations].sort(byLevel)) groups.set(v.urn, [...(groups.get(v.urn) ?? []), v]);
    for (const [urn, vs] of groups) {
      lines.push(`  ${resourceLabel(urn)}`);
      for (const v of vs) lines.push(`    [${v.enforcementLevel}] ${v.policyName}: ${v.message}`);
    }
  }
  // A stack whose program failed has no policy result: say so rather than "violations found".
  const failed = results.filter((r) => r.error !== null).map((r) => r.stack);
  const violating = results.some((r) => r.error === null && r.violations.some((v) => v.enforcementLevel === "mandatory"));
  if (isOk(results)) lines.push("no mandatory violations");
  else lines.push([...(violating ? ["mandatory violations found"] : []), ...(failed.length > 0 ? [`no policy result for ${failed.join(", ")}: the program failed`] : [])].join("; "));
  return lines.join("\n") + "\n";
}

/** Escapes text for one markdown table cell. */
export function md(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function renderMarkdown(results: readonly StackResult[]): string {
  const out: string[] = [`## GoGuard policy check: ${isOk(results) ? "✅ passed" : "❌ mandatory violations"}`, "", "| stack | resources | mandatory | advisory | status |", "|---|---:|---:|---:|---|"];
  for (const r of results) {
    const m = r.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    out.push(`| ${r.stack} | ${r.resources} | ${m} | ${r.violations.length - m} | ${r.error !== null ? "program error" : m > 0 ? "❌" : "✅"} |`);
  }
  for (const r of results) {
    if (r.error === null && r.violations.length === 0) continue;
    out.push("", `### ${r.stack}`, "");
    if (r.error !== null) {
      out.push("The program refused its input:", "", "```", r.error, "```");
      continue;
    }
    out.push("| level | policy | resource | message |", "|---|---|---|---|");
    for (const v of [...r.violations].sort(byLevel)) out.push(`| ${v.enforcementLevel} | \`${v.policyName}\` | \`${md(resourceLabel(v.urn))}\` | ${md(v.message)} |`);
  }
  return out.join("\n") + "\n";
}

export function renderSarif(results: readonly StackResult[], policies: readonly PolicyInfo[], version: string): string {
  const rules = [...policies].sort((a, b) => (a.name < b.name ? -1 : 1));
  const index = new Map(rules.map((p, i) => [p.name, i]));
  const sarifResults = results.flatMap((r) => [
    ...(r.error !== null
      ? [{ ruleId: "goguard-program-error", level: "error", message: { text: `stack ${r.stack}: the program refused its input: ${r.error}` }, locations: [{ physicalLocation: { artifactLocation: { uri: `stacks/Pulumi.${r.stack}.yaml` } } }] }]
      : []),
    ...[...r.violations].sort(byLevel).map((v) => ({
      ruleId: v.policyName,
      ...(index.has(v.policyName) ? { ruleIndex: index.get(v.policyName) } : {}),
      level: v.enforcementLevel === "mandatory" ? "error" : "warning",
      message: { text: v.message },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: `stacks/Pulumi.${r.stack}.yaml` } },
          logicalLocations: [{ name: resourceLabel(v.urn), fullyQualifiedName: v.urn || `stack ${r.stack}`, kind: "resource" }],
        },
      ],
      properties: { stack: r.stack, enforcementLevel: v.enforcementLevel },
    })),
  ]);
  const doc = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "goguard",
            version,
            informationUri: "https://github.com/goguard/goguard",
            rules: rules.map((p) => ({
              id: p.name,
              shortDescription: { text: p.description },
              fullDescription: { text: p.description },
              help: { text: p.description },
              defaultConfiguration: { level: p.enforcementLevel === "mandatory" ? "error" : "warning" },
              properties: { severity: p.severity, type: p.type },
            })),
          },
        },
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
