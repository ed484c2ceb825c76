// The configuration every Go rule reads (the same for all of them, so one stack policy config file
// can set it once under each rule). Defaults are strict: no proxy allow-list, no private prefixes,
// no pre-releases, no direct fallback, no GOINSECURE.
import { GoEnvPolicy } from "../../components/toolchain/goenv";

export const GO_RULE_CONFIG_SCHEMA = {
  properties: {
    allowedVersions: { type: "array", items: { type: "string" }, default: [], description: "Go versions the environment allows (its lock entry). Empty: any stable catalog release." },
    allowPrereleases: { type: "boolean", default: false },
    proxies: { type: "array", items: { type: "string" }, default: [], description: "The environment's own module proxy URLs." },
    privatePrefixes: { type: "array", items: { type: "string" }, default: [] },
    sumdbAllowlist: { type: "array", items: { type: "string" }, default: [] },
    allowDirectFallback: { type: "boolean", default: false },
    allowInsecureInternal: { type: "boolean", default: false },
    release: { type: "boolean", default: true },
    environment: { type: "string", enum: ["dev", "staging", "prod"], default: "prod", description: "Rows whose meaning differs outside dev (memory storage, GO_ENV, log format) read it. Strict default: prod." },
    singleVersion: { type: "boolean", default: true, description: "The stack runs exactly one Go version (prod)." },
    vulnExceptions: {
      type: "array",
      default: [],
      description: "Known Go vulnerabilities accepted for a while (go-vulnerabilities): one {id, reason, expires: YYYY-MM-DD} per report; an expired one is a finding.",
      items: { type: "object" },
    },
  },
} as const;

export function environmentFromConfig(c: Record<string, unknown>): "dev" | "staging" | "prod" {
  return c.environment === "dev" || c.environment === "staging" ? c.environment : "prod";
}

export function goEnvPolicyFromConfig(c: Record<string, unknown>): GoEnvPolicy {
  const arr = (k: string): string[] => (Array.isArray(c[k]) ? (c[k] as string[]) : []);
  return {
    allowedVersions: arr("allowedVersions"),
    allowPrereleases: c.allowPrereleases === true,
    proxies: arr("proxies"),
    privatePrefixes: arr("privatePrefixes"),
    sumdbAllowlist: arr("sumdbAllowlist"),
    allowDirectFallback: c.allowDirectFallback === true,
    allowInsecureInternal: c.allowInsecureInternal === true,
    release: c.release !== false,
  };
}
