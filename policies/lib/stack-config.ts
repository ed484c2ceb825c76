// The policy config of a stack (`policies/config/<stack>.json`), derived from the toolchain lock and
// the stack's settings: never maintained by hand beside them. `goguard policy-config --write`
// regenerates the files; a test fails when the committed ones drift.
import { EnvironmentName, ToolchainLock } from "../../components/toolchain/lock";
import { environmentPolicy } from "../../components/toolchain/toolchain";
import { RULE_DOCS } from "../rules/registry";
import { levelForRows } from "./levels";
import { VulnException } from "../../components/toolchain/vulns";

export function policyConfigFor(
  lock: ToolchainLock,
  env: EnvironmentName,
  settings: { proxies: readonly string[]; privatePrefixes: readonly string[]; vulnExceptions?: readonly VulnException[] },
): Record<string, unknown> {
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
    // Accepted Go vulnerabilities (go-vulnerabilities), from the stack config's vulnExceptions; only when there are some.
    ...(settings.vulnExceptions && settings.vulnExceptions.length > 0 ? { vulnExceptions: settings.vulnExceptions.map((e) => ({ id: e.id, reason: e.reason, expires: e.expires })) } : {}),
  };
  const out: Record<string, unknown> = {};
  for (const r of [...RULE_DOCS].sort((a, b) => (a.name < b.name ? -1 : 1))) out[r.name] = { enforcementLevel: levelForRows(r.rows, env), ...shared };
  return out;
}
