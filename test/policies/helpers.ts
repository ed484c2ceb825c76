import * as path from "path";
import { runCli } from "../helpers/cli";

export type Expected = Record<string, Array<[string, string, string]>>;

/**
 * Runs a program through `goguard check` (in-process CLI, the shared harness worker, the real
 * handlers) and groups violations by resource name.
 */
export async function violationsByResource(program: string, stack = "prod"): Promise<{ code: number; by: Expected }> {
  const r = await runCli("check", "--stack", stack, "--program", path.join(__dirname, "../programs/rules", program), "--format", "json");
  const doc = JSON.parse(r.stdout);
  const s = doc.stacks[0];
  if (s.error) throw new Error(s.error);
  const by: Expected = {};
  for (const v of s.violations) {
    // go-archive-signature judges the lock, not the program: the shipped lock has no signature record
    // (none can be made offline), so it is on every stack; its own tests are in archive-signature.test.ts.
    if (v.policyName === "go-archive-signature") continue;
    const name = v.urn ? v.urn.split("::").pop() : "(stack)";
    (by[name] ??= []).push([v.policyName, v.enforcementLevel, v.message]);
  }
  for (const k of Object.keys(by)) by[k].sort((a, b) => (a[0] + a[2] < b[0] + b[2] ? -1 : 1));
  return { code: r.code, by };
}
