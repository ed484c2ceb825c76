// Output formats of `goguard check-repo` (pure): text, JSON, markdown for a pull-request comment,
// SARIF 2.1.0 with a physical location (file, line, column) per finding for code scanning.
import { RuleDoc } from "../../policies/lib/meta";
import { md, sarifLog } from "../report";
import { RepoResult } from "./check";
import { READABLE_RULE, RepoFinding } from "./types";

export function repoOk(r: RepoResult): boolean {
  return !r.findings.some((f) => f.level === "mandatory");
}

/** The rule behind repository-reading findings, documented like the pack's rules. */
export const READABLE_DOC: RuleDoc = {
  name: READABLE_RULE,
  rows: ["T4", "T5"],
  severity: "high",
  description: "Every file check-repo judges (go.mod, go.work, .go-version, .tool-versions, mise.toml, Dockerfiles, GitHub workflows) can be read and parsed as its own tool reads it, inside the repository and within the size and count caps, so none is skipped unjudged.",
  remediation: "Fix the syntax the finding names; keep judged files small text files committed inside the repository.",
};

function counts(r: RepoResult): { m: number; a: number } {
  const m = r.findings.filter((f) => f.level === "mandatory").length;
  return { m, a: r.findings.length - m };
}

function judged(n: number): string {
  return `${n} ${n === 1 ? "file" : "files"} judged`;
}

function loc(f: RepoFinding): string {
  return `${f.file}:${f.line}:${f.column}`;
}

export function renderRepoText(r: RepoResult): string {
  const { m, a } = counts(r);
  const lines = [`${m > 0 ? "✗" : "✓"} ${r.env}: ${judged(r.files.length)}, ${m} mandatory, ${a} advisory`];
  for (const f of r.findings) lines.push(`  ${loc(f)} [${f.level}] ${f.rule}: ${f.message}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  lines.push(repoOk(r) ? "no mandatory findings" : "mandatory findings found");
  return lines.join("\n") + "\n";
}

export function renderRepoJson(r: RepoResult): string {
  return JSON.stringify({ ok: repoOk(r), env: r.env, files: r.files, findings: r.findings.map((f) => ({ rule: f.rule, level: f.level, file: f.file, line: f.line, column: f.column, message: f.message })), notes: r.notes }, null, 2) + "\n";
}

export function renderRepoMarkdown(r: RepoResult): string {
  const { m, a } = counts(r);
  const out = [`## GoGuard repository check (${r.env}): ${repoOk(r) ? "✅ passed" : "❌ mandatory findings"}`, "", `${judged(r.files.length)}, ${m} mandatory, ${a} advisory.`];
  if (r.findings.length > 0) {
    out.push("", "| level | rule | where | message |", "|---|---|---|---|");
    for (const f of r.findings) out.push(`| ${f.level} | \`${f.rule}\` | \`${md(loc(f))}\` | ${md(f.message)} |`);
  }
  if (r.notes.length > 0) out.push("", ...r.notes.map((n) => `- note: ${md(n)}`));
  return out.join("\n") + "\n";
}

export function renderRepoSarif(r: RepoResult, docs: readonly RuleDoc[], version: string): string {
  const used = [...new Set(r.findings.map((f) => f.rule))].sort();
  const byName = new Map([...docs, READABLE_DOC].map((d) => [d.name, d]));
  const rules = used.map((name) => byName.get(name) ?? { name, rows: [], severity: "high" as const, description: name, remediation: "" });
  const index = new Map(rules.map((d, i) => [d.name, i]));
  return sarifLog(
    {
      name: "goguard",
      version,
      informationUri: "https://github.com/goguard/goguard",
      rules: rules.map((d) => ({ id: d.name, shortDescription: { text: d.description }, fullDescription: { text: d.description }, help: { text: d.remediation || d.description }, properties: { severity: d.severity, rows: d.rows } })),
    },
    r.findings.map((f) => ({
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: f.level === "mandatory" ? "error" : "warning",
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(f.file), uriBaseId: "SRCROOT" }, region: { startLine: f.line, startColumn: f.column } } }],
      properties: { environment: r.env, enforcementLevel: f.level },
    })),
    // Paths are relative to the repository root (SRCROOT): code scanning places them on its files.
    { originalUriBaseIds: { SRCROOT: { description: { text: "The root of the checked repository." } } } },
  );
}
