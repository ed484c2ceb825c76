// Output formats of `goguard check` (pure): text for people, JSON (the documented shape), markdown
// for a pull-request comment, SARIF 2.1.0 for code scanning.
import * as path from "path";
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

/**
 * Control, line-separator and bidirectional-formatting characters as \uXXXX escapes: a report read
 * in a terminal or a CI log cannot recolour, move the cursor or reorder what follows (a resource
 * name, a Dockerfile word or a directory in a message may hold them).
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function renderText(results: readonly StackResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const m = r.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const a = r.violations.length - m;
    if (r.error !== null) {
      lines.push(`✗ ${r.stack}: the program refused its input`, `    ${r.error.split("\n").map(visible).join("\n    ")}`);
      continue;
    }
    lines.push(`${m > 0 ? "✗" : "✓"} ${r.stack}: ${r.resources} resources, ${m} mandatory, ${a} advisory`);
    const groups = new Map<string, Violation[]>();
    for (const v of [...r.violations].sort(byLevel)) groups.set(v.urn, [...(groups.get(v.urn) ?? []), v]);
    for (const [urn, vs] of groups) {
      lines.push(`  ${visible(resourceLabel(urn))}`);
      for (const v of vs) lines.push(`    [${v.enforcementLevel}] ${visible(v.policyName)}: ${visible(v.message)}`);
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
  return visible(text.replace(/\|/g, "\\|").replace(/\n/g, " "));
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

/** A file and line a finding points at, for SARIF's `physicalLocation.region` (the uri relative to the project root). */
export interface SourceRegion {
  readonly uri: string;
  readonly startLine: number;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const field = (o: unknown, k: string): unknown => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined);
const escapeRe = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Where a Dockerfile finding points (pure path arithmetic): the Dockerfile the image resource builds
 * (docker.Image `build.dockerfile`/`build.context`, docker-build `dockerfile.location`/
 * `context.location`; relative paths from the program's working directory, as the providers read
 * them), and the line the message names as `<file as shown> line N` (the pack shows the file
 * relative to the build context when it is inside it). Undefined when the message names no line of
 * that file or the file lies outside the project (code scanning could not show it).
 */
export function dockerfileRegion(message: string, resource: { readonly type: string; readonly inputs: unknown } | undefined, programDir: string, projectRoot: string): SourceRegion | undefined {
  if (resource === undefined) return undefined;
  let context: string | undefined;
  let written: string | undefined;
  if (resource.type === "docker:index/image:Image") {
    const build = field(resource.inputs, "build");
    context = str(field(build, "context")) ?? ".";
    written = str(field(build, "dockerfile")) ?? path.posix.join(context, "Dockerfile");
  } else if (resource.type === "docker-build:index:Image") {
    context = str(field(field(resource.inputs, "context"), "location")) ?? ".";
    // An inline Dockerfile has no file to point at.
    if (str(field(field(resource.inputs, "dockerfile"), "inline")) !== undefined) return undefined;
    written = str(field(field(resource.inputs, "dockerfile"), "location")) ?? path.posix.join(context, "Dockerfile");
  } else return undefined;
  const file = path.resolve(programDir, written);
  const rel = path.relative(path.resolve(programDir, context), file);
  const shown = rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : written;
  const m = new RegExp(`(?:^|\\s)${escapeRe(shown)} line (\\d+)\\b`).exec(message);
  if (!m) return undefined;
  const uri = path.relative(projectRoot, file).split(path.sep).join("/");
  if (uri === "" || uri.startsWith("../") || path.isAbsolute(uri)) return undefined;
  return { uri, startLine: Number(m[1]) };
}

export function renderSarif(
  results: readonly StackResult[],
  policies: readonly PolicyInfo[],
  version: string,
  // The file and line of a finding when it has one (Dockerfile findings); otherwise the stack's config file.
  regionOf: (stack: string, v: Violation) => SourceRegion | undefined = () => undefined,
): string {
  const rules = [...policies].sort((a, b) => (a.name < b.name ? -1 : 1));
  const index = new Map(rules.map((p, i) => [p.name, i]));
  const sarifResults = results.flatMap((r) => [
    ...(r.error !== null
      ? [{ ruleId: "goguard-program-error", level: "error", message: { text: `stack ${r.stack}: the program refused its input: ${r.error}` }, locations: [{ physicalLocation: { artifactLocation: { uri: `stacks/Pulumi.${r.stack}.yaml` } } }] }]
      : []),
    ...[...r.violations].sort(byLevel).map((v) => {
      const region = regionOf(r.stack, v);
      return {
        ruleId: v.policyName,
        ...(index.has(v.policyName) ? { ruleIndex: index.get(v.policyName) } : {}),
        level: v.enforcementLevel === "mandatory" ? "error" : "warning",
        message: { text: v.message },
        locations: [
          {
            physicalLocation: region ? { artifactLocation: { uri: region.uri }, region: { startLine: region.startLine } } : { artifactLocation: { uri: `stacks/Pulumi.${r.stack}.yaml` } },
            logicalLocations: [{ name: resourceLabel(v.urn), fullyQualifiedName: v.urn || `stack ${r.stack}`, kind: "resource" }],
          },
        ],
        properties: { stack: r.stack, enforcementLevel: v.enforcementLevel },
      };
    }),
  ]);
  const driverRules = rules.map((p) => ({
    id: p.name,
    shortDescription: { text: p.description },
    fullDescription: { text: p.description },
    help: { text: p.description },
    defaultConfiguration: { level: p.enforcementLevel === "mandatory" ? "error" : "warning" },
    properties: { severity: p.severity, type: p.type },
  }));
  return sarifLog({ name: "goguard", version, informationUri: "https://github.com/goguard/goguard", rules: driverRules }, sarifResults);
}

/**
 * One SARIF 2.1.0 log with a single run: the envelope every GoGuard report shares (check, check-repo,
 * vuln), so code scanning reads them alike. `run` adds run-level fields (originalUriBaseIds).
 */
export function sarifLog(driver: Record<string, unknown>, results: readonly unknown[], run: Record<string, unknown> = {}): string {
  const doc = { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [{ tool: { driver }, ...run, results }] };
  return JSON.stringify(doc, null, 2) + "\n";
}
