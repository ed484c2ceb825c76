// What every GoGuard rule declares: its catalog row (for levels and the README table), severity
// and remediation, alongside the CrossGuard policy object.
export type Severity = "low" | "medium" | "high" | "critical";

export interface RuleDoc {
  readonly name: string;
  /** The policy catalog row(s) this rule covers. */
  readonly rows: readonly string[];
  readonly description: string;
  readonly remediation: string;
  readonly severity: Severity;
}
