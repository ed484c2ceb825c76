// The stack's configuration, validated before anything is created (pure: the program passes in the
// raw values it read from pulumi.Config). Errors name the config key, the value and the fix.
import { checkEnvironmentName, EnvironmentName } from "../components/toolchain/lock";
import { checkProxyUrl } from "../components/toolchain/goenv";

export interface ProxySettings {
  /** S3 bucket for the module cache (staging, prod). */
  readonly bucket?: string;
  readonly region?: string;
  readonly oidcProviderArn?: string;
  readonly oidcIssuerHost?: string;
  /** Redis for Athens' single-flight (prod, more than one replica). */
  readonly redisEndpoint?: string;
  /** Namespaces that receive the go-env ConfigMap. */
  readonly consumerNamespaces: readonly string[];
}

export interface StackSettings {
  readonly environment: EnvironmentName;
  readonly proxyUrl: string;
  readonly privatePrefixes: readonly string[];
  readonly proxy: ProxySettings;
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

export interface RawStackSettings {
  environment?: unknown;
  proxyUrl?: unknown;
  privatePrefixes?: unknown;
  goVersion?: unknown;
  proxyBucket?: unknown;
  awsRegion?: unknown;
  oidcProviderArn?: unknown;
  oidcIssuerHost?: unknown;
  redisEndpoint?: unknown;
  consumerNamespaces?: unknown;
}

export function parseStackSettings(raw: RawStackSettings): StackSettings {
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
  const str = (key: string, v: unknown, re: RegExp, example: string, required: boolean): string | undefined => {
    if (v === undefined) {
      if (required) problems.push(`goguard:${key} is required in ${environment}: set it, for example to ${example}`);
      return undefined;
    }
    if (typeof v !== "string" || !re.test(v)) {
      problems.push(`goguard:${key} must look like ${example}; got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  };
  const cloud = environment !== "dev";
  const bucket = str("proxyBucket", raw.proxyBucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "acme-goproxy-prod", cloud);
  const region = str("awsRegion", raw.awsRegion, /^[a-z]{2}(-[a-z]+)+-\d$/, "eu-west-1", cloud);
  const oidcProviderArn = str("oidcProviderArn", raw.oidcProviderArn, /^arn:aws:iam::\d{12}:oidc-provider\/\S+$/, "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", cloud);
  const oidcIssuerHost = str("oidcIssuerHost", raw.oidcIssuerHost, /^[a-z0-9.-]+(\/\S+)?$/, "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", cloud);
  const redisEndpoint = str("redisEndpoint", raw.redisEndpoint, /^[a-z0-9.-]+:\d+$/, "redis.goproxy.svc.cluster.local:6379", environment === "prod");
  let consumerNamespaces: string[] = [];
  if (raw.consumerNamespaces !== undefined) {
    if (!Array.isArray(raw.consumerNamespaces) || !raw.consumerNamespaces.every((n) => typeof n === "string" && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n))) {
      problems.push(`goguard:consumerNamespaces must be a list of Kubernetes namespace names; got ${JSON.stringify(raw.consumerNamespaces)}`);
    } else consumerNamespaces = [...(raw.consumerNamespaces as string[])].sort();
  }
  if (problems.length > 0) throw new StackConfigError(problems);
  const proxy: ProxySettings = {
    ...(bucket ? { bucket } : {}),
    ...(region ? { region } : {}),
    ...(oidcProviderArn ? { oidcProviderArn } : {}),
    ...(oidcIssuerHost ? { oidcIssuerHost } : {}),
    ...(redisEndpoint ? { redisEndpoint } : {}),
    consumerNamespaces,
  };
  return { environment, proxyUrl, privatePrefixes, proxy, ...(typeof raw.goVersion === "string" ? { goVersion: raw.goVersion } : {}) };
}
