// The vulnerability gate of `lock allow`, `lock promote` and `lock rollback`: a version affected by
// a report of the bundled Go vulnerability database that has a fix is announced (every
// environment) and refused for prod unless prod's stack config excepts every such report. The
// exceptions are read with the V1 rule's own reader (parseVulnExceptions) and judged with its exceptionActive, so the CLI and the policy never disagree.
import * as path from "path";
import { EnvironmentName } from "../components/toolchain/lock";
import { bundledCatalog } from "../components/toolchain/bundled";
import { bundledVulns } from "../components/toolchain/vulndb";
import { exceptionActive, findingsFor, Finding, goosOf, parseVulnExceptions, upgradeTarget, VulnException, VulnReport } from "../components/toolchain/vulns";
import { CommandFailure } from "./io";
import { label } from "./lock-history";
import { projectName, readStackConfig } from "./stack-files";

export interface VulnVerdict {
  /** Reports with a fix that affect the version and no active exception covers. */
  readonly open: readonly Finding[];
  /** Reports with a fix that an active exception covers. */
  readonly excepted: readonly Finding[];
  /** Exceptions for affecting reports that have expired. */
  readonly expired: readonly VulnException[];
  /** The release to move to, when one exists. */
  readonly target?: string;
}

/** Pure: which fixable reports affect `version` on `platforms`, and which of them `exceptions` cover on `today`. */
export function vulnVerdict(reports: readonly VulnReport[], version: string, platforms: readonly string[], exceptions: readonly VulnException[], today: string, stableReleases: readonly string[]): VulnVerdict {
  const goos = goosOf(platforms);
  const fixable = findingsFor(reports, version, goos).filter((f) => f.fixedBy !== undefined);
  const active = new Set(exceptions.filter((e) => exceptionActive(e, today)).map((e) => e.id));
  const ids = new Set(fixable.map((f) => f.id));
  const target = fixable.length > 0 ? upgradeTarget(reports, version, stableReleases, goos) : undefined;
  return {
    open: fixable.filter((f) => !active.has(f.id)),
    excepted: fixable.filter((f) => active.has(f.id)),
    expired: exceptions.filter((e) => ids.has(e.id) && !exceptionActive(e, today)),
    ...(target !== undefined ? { target } : {}),
  };
}

function reportLine(f: Finding): string {
  return `${f.id}${f.aliases.length > 0 ? ` (${f.aliases.join(", ")})` : ""}: fixed in ${f.fixedBy}`;
}

/** The warning and (for prod) the refusal, as text; pure. */
export function vulnMessages(version: string, env: EnvironmentName, v: VulnVerdict, stackFile: string): { warning?: string; refusal?: string } {
  const all = [...v.open, ...v.excepted];
  if (all.length === 0) return {};
  const move = v.target !== undefined ? `move to Go ${v.target}, which no known report with a fix affects` : `move to a release that fixes them`;
  const lines = all.map((f) => `  ${reportLine(f)}${v.excepted.includes(f) ? " (excepted in the stack config)" : ""}`);
  const warning = `warning: Go ${version} is affected by ${all.length} known vulnerabilit${all.length === 1 ? "y" : "ies"} with a fix (bundled Go vulnerability database; see \`goguard vuln\`); ${move}:\n${lines.join("\n")}\n`;
  if (env !== "prod" || v.open.length === 0) return { warning };
  const expired = v.expired.length > 0 ? `\n  expired exceptions: ${v.expired.map((e) => `${e.id} (expired ${e.expires})`).join(", ")}` : "";
  const refusal =
    `refusing Go ${version} for prod: ${v.open.length} known vulnerabilit${v.open.length === 1 ? "y" : "ies"} with a fix and no exception in ${stackFile}:\n` +
    v.open.map((f) => `  ${reportLine(f)}`).join("\n") +
    expired +
    `\nFix: ${move}, or record an exception per report (id, reason, expires) under goguard:vulnExceptions in ${stackFile}; nothing was changed`;
  return { warning, refusal };
}

/**
 * The vulnExceptions of an environment's stack config (stacksDir/Pulumi.<env>.yaml), read with the
 * V1 rule's reader (parseVulnExceptions, as the stack config parser calls it). Only this key is
 * judged: the gate must not depend on unrelated stack settings.
 */
export function stackExceptions(stacksDir: string, env: EnvironmentName): { exceptions: readonly VulnException[]; file: string } {
  const file = path.join(stacksDir, `Pulumi.${env}.yaml`);
  const project = projectName();
  const key = `${project}:vulnExceptions`;
  const raw = readStackConfig(file, project).config[key];
  let value: unknown = raw;
  if (raw !== undefined) {
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
  }
  const { exceptions, problems } = parseVulnExceptions(value, key);
  if (problems.length > 0) throw new CommandFailure(`${label(file)}: ${problems.join("; ")}`);
  return { exceptions, file };
}

/**
 * Checks a version about to enter `env`: prints the warning on `warn`, throws CommandFailure with
 * the refusal for prod. The stack config is read only when there is something to except.
 */
export function gateVulnerabilities(version: string, env: EnvironmentName, platforms: readonly string[], stacksDir: string, warn: (text: string) => void, today = new Date().toISOString().slice(0, 10)): void {
  const reports = bundledVulns();
  const stable = bundledCatalog().releases().filter((r) => r.stable).map((r) => r.version);
  const first = vulnVerdict(reports, version, platforms, [], today, stable);
  if (first.open.length === 0) return;
  const { exceptions, file } = env === "prod" ? stackExceptions(stacksDir, env) : { exceptions: [], file: "" };
  const verdict = env === "prod" ? vulnVerdict(reports, version, platforms, exceptions, today, stable) : first;
  const m = vulnMessages(version, env, verdict, label(file));
  if (m.warning) warn(m.warning);
  if (m.refusal) throw new CommandFailure(m.refusal);
}
