// The stack's configuration, validated before anything is created (pure: the program passes in the
// raw values it read from pulumi.Config). Errors name the config key, the value and the fix.
import { checkEnvironmentName, EnvironmentName } from "../components/toolchain/lock";
import { checkProxyUrl } from "../components/toolchain/goenv";

export interface StackSettings {
  readonly environment: EnvironmentName;
  readonly proxyUrl: string;
  readonly privatePrefixes: readonly string[];
  /** A Go version other than the lock's default (must be allowed in the environment). @default - the lock's default */
  readonly goVersion?: string;
}

export class StackConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "StackConfigError";
  }
}

const PREFIX_RE = /^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}(\/[A-Za-z0-9._~-]+)*$/;

export function parseStackSettings(raw: { environment?: unknown; proxyUrl?: unknown; privatePrefixes?: unknown; goVersion?: unknown }): StackSettings {
  const problems: string[] = [];
  let environment: EnvironmentName = "dev";
  if (typeof raw.environment !== "string") {
    problems.push(`goguard:environment is required: set it to dev, staging or prod (pulumi config set goguard:environment prod)`);
  } else {
    try {
      environment = checkEnvironmentName(raw.environment);
    } catch {
      problems.push(`goguard:environment must be dev, staging or prod; got ${JSON.stringify(raw.environment)}`);
    }
  }
  let proxyUrl = "";
  if (typeof raw.proxyUrl !== "string") {
    problems.push(`goguard:proxyUrl is required: the module proxy URL build containers use (such as http://athens.goproxy.svc.cluster.local)`);
  } else {
    const p = checkProxyUrl(raw.proxyUrl);
    if (p) problems.push(`goguard:proxyUrl ${p}`);
    proxyUrl = raw.proxyUrl.replace(/\/+$/, "");
  }
  let privatePrefixes: string[] = [];
  if (raw.privatePrefixes !== undefined) {
    if (!Array.isArray(raw.privatePrefixes) || !raw.privatePrefixes.every((p) => typeof p === "string")) {
      problems.push(`goguard:privatePrefixes must be a list of module path prefixes (such as ["git.corp.example"]); got ${JSON.stringify(raw.privatePrefixes)}`);
    } else {
      for (const p of raw.privatePrefixes as string[]) {
        if (!PREFIX_RE.test(p)) problems.push(`goguard:privatePrefixes entry ${JSON.stringify(p)} must be a module path prefix without wildcards, such as git.corp.example or github.com/acme`);
        else if (/^(github\.com|gitlab\.com|bitbucket\.org|golang\.org|google\.golang\.org|gopkg\.in)$/.test(p)) problems.push(`goguard:privatePrefixes entry ${JSON.stringify(p)} is a whole public host; name your organisation's path under it, such as ${p}/acme`);
      }
      privatePrefixes = [...new Set(raw.privatePrefixes as string[])].sort();
    }
  }
  if (raw.goVersion !== undefined && typeof raw.goVersion !== "string") problems.push(`goguard:goVersion must be a string such as "1.26.7"; got ${JSON.stringify(raw.goVersion)}`);
  if (problems.length > 0) throw new StackConfigError(problems);
  return { environment, proxyUrl, privatePrefixes, ...(typeof raw.goVersion === "string" ? { goVersion: raw.goVersion } : {}) };
}
