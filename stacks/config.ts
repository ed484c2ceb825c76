// The stack's configuration, validated before anything is created (pure: the program passes in the
// config map and the secret keys it got from Pulumi; the CLI passes what it read from the stack
// file). Errors name the config key, the value and the fix.
//
// The stack file is an input a pull request can change, so nothing in it is taken on trust:
// - every `goguard:*` key is known (a misspelt key is refused with the nearest known one), and every
//   value matches the grammar of the manifest or Dockerfile field it ends up in;
// - the stack is what it says: stack `prod` runs the prod environment, and a stack whose name is
//   not an environment's must be declared below, in code a reviewer sees;
// - credentials come only encrypted (`secure:`), and never into dev, whose Kubernetes objects are
//   rendered to YAML files on disk (renderYamlToDirectory writes secrets there in clear);
// - a weakening of the policy needs an override with a reason and an expiry, written down here and
//   copied into the generated policy config (policies/lib/stack-config.ts judges what weakens).
import { ENVIRONMENTS, EnvironmentName, LOCK_VERSION_PATTERN, showValue } from "../components/toolchain/lock";
import { parseVulnExceptions, VulnException } from "../components/toolchain/vulns";
import { broadPatternReason, checkProxyUrl } from "../components/toolchain/goenv";

/**
 * Stacks whose name is not an environment's name, and the environment each runs. A stack named
 * dev, staging or prod always runs that environment. Adding a row here is a reviewed code change,
 * unlike a line in a stack file.
 */
export const DECLARED_STACKS: Readonly<Record<string, EnvironmentName>> = {};

export interface ProxySettings {
  /** S3 bucket for the module cache (staging, prod). */
  readonly bucket?: string;
  readonly region?: string;
  readonly oidcProviderArn?: string;
  readonly oidcIssuerHost?: string;
  /** An existing Redis for Athens' single-flight, `host:port` or `redis[s]://host:port` (declared; GoGuard does not create it). */
  readonly redisEndpoint?: string;
  /** A Redis GoGuard provisions for Athens' single-flight (ElastiCache, encrypted in transit and at rest, auth token). */
  readonly elasticache?: ElastiCacheSettings;
  /** An Ingress (with TLS) GoGuard creates for an external `proxyUrl`. */
  readonly ingress?: IngressSettings;
  /** Namespaces that receive the go-env ConfigMap (and are admitted by the proxy's NetworkPolicy). */
  readonly consumerNamespaces: readonly string[];
  /** The consumer namespaces exist already: label them (server-side apply) instead of creating them. @default false */
  readonly adoptConsumerNamespaces: boolean;
}

export interface ElastiCacheSettings {
  readonly vpcId: string;
  /** At least two, in different availability zones (the replica fails over across them). */
  readonly subnetIds: readonly string[];
  /** Security groups of the cluster's nodes (the pods' traffic): the only sources admitted on the Redis port. */
  readonly clientSecurityGroupIds: readonly string[];
  /** @default "cache.t4g.small" */
  readonly nodeType: string;
}

export interface IngressSettings {
  /** @default "nginx" */
  readonly className: string;
  /** TLS: an existing Secret of type kubernetes.io/tls in the proxy's namespace, or a cert-manager ClusterIssuer that issues one. */
  readonly tls: { readonly secretName: string } | { readonly clusterIssuer: string };
  /** The ingress controller's namespace, admitted by the proxy's NetworkPolicy. @default "ingress-nginx" */
  readonly controllerNamespace: string;
}

/** Where the Kubernetes provider gets its credentials (staging, prod; dev renders YAML files). */
export type ClusterSettings =
  /** `goguard:kubeconfig`, a secret. */
  | { readonly kind: "kubeconfig" }
  /** An output of the cluster's own stack (`goguard:clusterStack`, `goguard:clusterStackOutput`). */
  | { readonly kind: "stack"; readonly stack: string; readonly output: string };

/** The module proxy's in-cluster URL when the stack names none (the Service athens in namespace goproxy). */
export const DEFAULT_PROXY_URL = "http://athens.goproxy.svc.cluster.local";

/** A recorded exception to the environment's strict policy: what, why, until when. */
export interface PolicyOverride {
  /** A policy rule name (its enforcement level may drop), `privatePrefixes` or `allowPrereleases`. */
  readonly rule: string;
  readonly reason: string;
  /** `YYYY-MM-DD`; after this day the override no longer counts. */
  readonly expires: string;
}

export interface StackSettings {
  readonly environment: EnvironmentName;
  /** The one URL consumers, the builder and the policy use for the module proxy. @default DEFAULT_PROXY_URL */
  readonly proxyUrl: string;
  readonly privatePrefixes: readonly string[];
  readonly proxy: ProxySettings;
  /** A Go version other than the lock's default (must be allowed in the environment). @default - the lock's default */
  readonly goVersion?: string;
  /** Which credentials the stack file holds (always encrypted; their values never pass through here). */
  readonly secrets: { readonly netrc: boolean; readonly redisPassword: boolean; readonly kubeconfig: boolean };
  /** Where the Kubernetes provider's credentials come from; absent in dev (rendered to files). */
  readonly cluster?: ClusterSettings;
  /** Protect stateful resources (bucket, registries, Redis, volumes) from deletion. @default - true in prod, false elsewhere */
  readonly protect?: boolean;
  /** @default [] */
  readonly policyOverrides: readonly PolicyOverride[];
  /** Accepted Go vulnerabilities (policy go-vulnerabilities): {id, reason, expires} per report. @default - none */
  readonly vulnExceptions?: readonly VulnException[];
}

export class StackConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "StackConfigError";
  }
}

/** Every key GoGuard reads, without the `goguard:` namespace. */
export const KNOWN_KEYS = [
  "adoptConsumerNamespaces",
  "awsRegion",
  "clusterStack",
  "clusterStackOutput",
  "consumerNamespaces",
  "elasticache",
  "environment",
  "goVersion",
  "kubeconfig",
  "netrc",
  "oidcIssuerHost",
  "oidcProviderArn",
  "policyOverrides",
  "privatePrefixes",
  "protect",
  "proxyBucket",
  "proxyIngress",
  "proxyUrl",
  "redisEndpoint",
  "redisPassword",
  "vulnExceptions",
] as const;
export type KnownKey = (typeof KNOWN_KEYS)[number];

/** Credentials: accepted only as `secure:` values. The value is the fix's stdin (`< netrc`) or a prompt. */
export const SECRET_KEYS: Readonly<Partial<Record<KnownKey, string>>> = { kubeconfig: " < kubeconfig.yaml", netrc: " < netrc", redisPassword: "" };

export interface StackConfigInput {
  /** The stack name (`pulumi stack`), such as prod. */
  readonly stack: string;
  /** The config namespace GoGuard reads. @default "goguard" */
  readonly namespace?: string;
  /** Every config key of the stack (`namespace:key` → value; objects as JSON text), as Pulumi hands them to a program. */
  readonly config: Readonly<Record<string, string>>;
  /** The keys whose values were encrypted (`secure:`) in the stack file. */
  readonly secretKeys: readonly string[];
}

/** Levenshtein distance, case-insensitive (a misspelling often differs only in case). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}

/** The known key nearest to `key`, when it is near enough to be a misspelling of it. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

// Grammars of the fields these values reach (Kubernetes manifests, Athens' env, the IAM trust policy).
const PREFIX_RE = /^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}(\/[A-Za-z0-9._~-]+)*$/;
/** Stricter than checkProxyUrl: the URL lands in ENV lines, ConfigMaps and a sh test, so only URL-safe characters. */
const PROXY_URL_RE = /^https?:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(\/[A-Za-z0-9._~-]+)*\/?$/;
/** S3 bucket naming rules: 3–63 lowercase letters, digits, dots, hyphens; starts and ends alphanumeric; no `..`; not an IP address. */
const BUCKET_RE = /^(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)(?!xn--)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9]$/;
const ISSUER_RE = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(\/[A-Za-z0-9._-]+)*$/;
const ARN_RE = /^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:oidc-provider\/([a-z0-9]([a-z0-9.-]*[a-z0-9])?(\/[A-Za-z0-9._-]+)*)$/;
/** `host:port`, or a redis URL without credentials (`rediss://` is TLS); the password comes only from goguard:redisPassword. */
const REDIS_RE = /^(rediss?:\/\/)?([a-z0-9]([a-z0-9.-]*[a-z0-9])?):([0-9]{1,5})$/;
const VPC_RE = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_RE = /^subnet-[0-9a-f]{8,17}$/;
const SG_RE = /^sg-[0-9a-f]{8,17}$/;
const NODE_TYPE_RE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;
/** `organization/project/stack`, as `pulumi stack ls --all` names a stack of another project. */
const STACK_REF_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const OUTPUT_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
/** A Kubernetes object name (DNS subdomain), for Secrets, IngressClasses and ClusterIssuers. */
const OBJECT_NAME_RE = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const NAMESPACE_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PRINTABLE_RE = /^[\x20-\x7e]+$/;

function stackFile(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/** Validates a stack's whole `goguard:*` configuration; throws StackConfigError listing every problem. */
export function parseStackConfig(input: StackConfigInput): StackSettings {
  const ns = input.namespace ?? "goguard";
  const problems: string[] = [];
  const raw: Partial<Record<KnownKey, string>> = {};
  for (const [full, value] of Object.entries(input.config)) {
    if (!full.startsWith(`${ns}:`)) continue;
    const key = full.slice(ns.length + 1);
    if ((KNOWN_KEYS as readonly string[]).includes(key)) raw[key as KnownKey] = value;
    else {
      const near = didYouMean(key, KNOWN_KEYS);
      problems.push(
        near
          ? `${ns}:${showValue(key).slice(1, -1)} is not a GoGuard setting; did you mean ${ns}:${near}? Rename it in ${stackFile(input.stack)}`
          : `${ns}:${showValue(key).slice(1, -1)} is not a GoGuard setting (known: ${KNOWN_KEYS.join(", ")}); remove it from ${stackFile(input.stack)}`,
      );
    }
  }
  const json = (key: KnownKey): unknown => {
    const v = raw[key];
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  for (const [key, stdin] of Object.entries(SECRET_KEYS) as [KnownKey, string][]) {
    if (raw[key] !== undefined && !input.secretKeys.includes(`${ns}:${key}`)) {
      problems.push(`${ns}:${key} is plain text in ${stackFile(input.stack)}; a credential must be encrypted: delete that line and run \`pulumi config set --secret ${ns}:${key} --stack ${input.stack}${stdin}\``);
    }
  }
  const settings = settingsFrom(
    {
      environment: raw.environment,
      proxyUrl: raw.proxyUrl,
      privatePrefixes: json("privatePrefixes"),
      goVersion: raw.goVersion,
      proxyBucket: raw.proxyBucket,
      awsRegion: raw.awsRegion,
      oidcProviderArn: raw.oidcProviderArn,
      oidcIssuerHost: raw.oidcIssuerHost,
      redisEndpoint: raw.redisEndpoint,
      elasticache: json("elasticache"),
      proxyIngress: json("proxyIngress"),
      consumerNamespaces: json("consumerNamespaces"),
      adoptConsumerNamespaces: json("adoptConsumerNamespaces"),
      protect: json("protect"),
      clusterStack: raw.clusterStack,
      clusterStackOutput: raw.clusterStackOutput,
      policyOverrides: json("policyOverrides"),
      vulnExceptions: json("vulnExceptions"),
      netrc: raw.netrc !== undefined,
      redisPassword: raw.redisPassword !== undefined,
      kubeconfig: raw.kubeconfig !== undefined,
    },
    problems,
    ns,
  );
  const env = (ENVIRONMENTS as readonly string[]).includes(raw.environment ?? "") ? (raw.environment as EnvironmentName) : undefined;
  if (env !== undefined) {
    const declared = (ENVIRONMENTS as readonly string[]).includes(input.stack) ? (input.stack as EnvironmentName) : DECLARED_STACKS[input.stack];
    if (declared === undefined) {
      problems.push(
        `stack ${showValue(input.stack)} is not an environment's name (${ENVIRONMENTS.join(", ")}) and is not declared in stacks/config.ts DECLARED_STACKS; name the stack after its environment, or declare it there with the environment it runs`,
      );
    } else if (declared !== env) {
      problems.push(`${ns}:environment is ${env} in ${stackFile(input.stack)}, but stack ${input.stack} runs the ${declared} environment; set ${ns}:environment: ${declared} (a stack cannot take another environment's policy)`);
    }
    // renderYamlToDirectory (dev's provider) writes every object, Secrets included, as plain YAML on
    // disk: a credential in dev would land there in clear. dev needs none (no private modules
    // through credentials there), so it is refused rather than written.
    // The environment's own rules, once the stack is known to run it (a false claim is refused above).
    if (declared !== env) {
      /* nothing more to judge against a claimed environment */
    } else if (env === "dev") {
      for (const key of Object.keys(SECRET_KEYS) as KnownKey[]) {
        if (key === "kubeconfig") continue;
        if (raw[key] !== undefined) problems.push(`${ns}:${key}: dev renders its Kubernetes objects to YAML files on disk, where a Secret would be in clear; remove ${ns}:${key} from ${stackFile(input.stack)} (fetch private modules through staging's proxy)`);
      }
      // dev's provider renders YAML files and talks to no cluster (renderYamlToDirectory cannot be
      // combined with a kubeconfig), and dev has no AWS resources.
      for (const key of ["kubeconfig", "clusterStack", "clusterStackOutput", "elasticache"] as const) {
        if (raw[key] !== undefined) problems.push(`${ns}:${key}: dev renders its Kubernetes objects to YAML files and creates nothing in a cluster or in AWS; remove ${ns}:${key} from ${stackFile(input.stack)}`);
      }
    } else if (raw.kubeconfig === undefined && raw.clusterStack === undefined) {
      // Without an explicit provider the ambient kube context would decide which cluster this is.
      problems.push(
        `${ns}:kubeconfig or ${ns}:clusterStack is required in ${env}: the Kubernetes provider takes its credentials from the stack, never from the ambient kube context; run \`pulumi config set --secret ${ns}:kubeconfig --stack ${input.stack} < kubeconfig.yaml\`, or set ${ns}:clusterStack to the cluster's stack (such as acme/eks-cluster/${env})`,
      );
    }
  }
  if (problems.length > 0 || !settings) throw new StackConfigError(problems);
  return settings;
}

interface RawValues {
  environment?: unknown;
  proxyUrl?: unknown;
  privatePrefixes?: unknown;
  goVersion?: unknown;
  proxyBucket?: unknown;
  awsRegion?: unknown;
  oidcProviderArn?: unknown;
  oidcIssuerHost?: unknown;
  redisEndpoint?: unknown;
  elasticache?: unknown;
  proxyIngress?: unknown;
  consumerNamespaces?: unknown;
  adoptConsumerNamespaces?: unknown;
  protect?: unknown;
  clusterStack?: unknown;
  clusterStackOutput?: unknown;
  policyOverrides?: unknown;
  vulnExceptions?: unknown;
  netrc?: boolean;
  redisPassword?: boolean;
  kubeconfig?: boolean;
}

/** The raw settings of earlier versions of this module (kept for callers that pass named values). */
export type RawStackSettings = Omit<RawValues, "netrc" | "redisPassword" | "kubeconfig" | "policyOverrides">;

/** Validates named values (no stack-name, unknown-key or secret checks: parseStackConfig adds those). */
export function parseStackSettings(raw: RawStackSettings): StackSettings {
  const problems: string[] = [];
  const s = settingsFrom(raw, problems, "goguard");
  if (problems.length > 0 || !s) throw new StackConfigError(problems);
  return s;
}

function settingsFrom(raw: RawValues, problems: string[], ns: string): StackSettings | undefined {
  const start = problems.length;
  let environment: EnvironmentName = "dev";
  if (raw.environment === undefined) {
    problems.push(`${ns}:environment is required: set it to dev, staging or prod (pulumi config set ${ns}:environment prod)`);
  } else if (typeof raw.environment !== "string" || !(ENVIRONMENTS as readonly string[]).includes(raw.environment)) {
    problems.push(`${ns}:environment must be dev, staging or prod; got ${showValue(raw.environment)}`);
  } else environment = raw.environment as EnvironmentName;

  // Absent: the proxy's own in-cluster Service. Whatever it is, it is the one URL of the proxy.
  let proxyUrl = DEFAULT_PROXY_URL;
  if (raw.proxyUrl === undefined) {
    /* the default */
  } else if (typeof raw.proxyUrl !== "string") {
    problems.push(`${ns}:proxyUrl must be a URL such as http://athens.goproxy.svc.cluster.local; got ${showValue(raw.proxyUrl)}`);
  } else {
    const p = checkProxyUrl(raw.proxyUrl);
    if (!PROXY_URL_RE.test(raw.proxyUrl)) {
      problems.push(`${ns}:proxyUrl ${showValue(raw.proxyUrl)} is not a plain URL (scheme, lowercase host, optional port, path of letters, digits and . _ ~ -); set it such as http://athens.goproxy.svc.cluster.local`);
    } else if (p) problems.push(`${ns}:proxyUrl ${p}`);
    proxyUrl = raw.proxyUrl.replace(/\/+$/, "");
  }

  let privatePrefixes: string[] = [];
  if (raw.privatePrefixes !== undefined) {
    if (!Array.isArray(raw.privatePrefixes) || !raw.privatePrefixes.every((p) => typeof p === "string")) {
      problems.push(`${ns}:privatePrefixes must be a list of module path prefixes (such as ["git.corp.example"]); got ${showValue(raw.privatePrefixes)}`);
    } else {
      for (const p of raw.privatePrefixes as string[]) {
        if (!PREFIX_RE.test(p)) {
          problems.push(`${ns}:privatePrefixes entry ${showValue(p)} must be a module path prefix without wildcards, such as git.corp.example or github.com/acme`);
          continue;
        }
        // The shared Go-settings rule judges the prefix as a GOPRIVATE pattern would be judged:
        // one that covers public modules exempts them from the checksum database.
        const broad = broadPatternReason(p, [p]);
        if (broad) problems.push(`${ns}:privatePrefixes entry ${showValue(p)}: ${broad}; public modules must stay checked against the checksum database: name your organisation's own path, such as git.corp.example or github.com/acme`);
      }
      privatePrefixes = [...new Set(raw.privatePrefixes as string[])].sort();
    }
  }

  if (raw.goVersion !== undefined && (typeof raw.goVersion !== "string" || !new RegExp(LOCK_VERSION_PATTERN).test(raw.goVersion))) {
    problems.push(`${ns}:goVersion must be an exact Go release such as "1.26.7" (one the lock allows); got ${showValue(raw.goVersion)}`);
  }

  const str = (key: string, v: unknown, re: RegExp, what: string, example: string, required: boolean): string | undefined => {
    if (v === undefined) {
      if (required) problems.push(`${ns}:${key} is required in ${environment}: set it, for example to ${example}`);
      return undefined;
    }
    if (typeof v !== "string" || !re.test(v)) {
      problems.push(`${ns}:${key} ${showValue(v)} is not ${what}; set it such as ${example}`);
      return undefined;
    }
    return v;
  };
  const cloud = environment !== "dev";
  const bucket = str("proxyBucket", raw.proxyBucket, BUCKET_RE, "an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)", "acme-goproxy-prod", cloud);
  const region = str("awsRegion", raw.awsRegion, REGION_RE, "an AWS region", "eu-west-1", cloud);
  const oidcProviderArn = str("oidcProviderArn", raw.oidcProviderArn, ARN_RE, "an IAM OIDC provider ARN", "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", cloud);
  const oidcIssuerHost = str("oidcIssuerHost", raw.oidcIssuerHost, ISSUER_RE, "an OIDC issuer host and path", "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", cloud);
  if (oidcProviderArn && oidcIssuerHost && ARN_RE.exec(oidcProviderArn)![2] !== oidcIssuerHost) {
    problems.push(`${ns}:oidcIssuerHost ${showValue(oidcIssuerHost)} is not the issuer of ${ns}:oidcProviderArn (${showValue(ARN_RE.exec(oidcProviderArn)![2], 200)}); the IAM role would trust one provider and check claims of another: set both from the same cluster`);
  }
  let redisEndpoint = str("redisEndpoint", raw.redisEndpoint, REDIS_RE, "a host:port or a redis[s]://host:port URL without credentials", "rediss://redis.corp.example:6379", false);
  if (redisEndpoint) {
    const port = Number(REDIS_RE.exec(redisEndpoint)![4]);
    if (port < 1 || port > 65535) {
      problems.push(`${ns}:redisEndpoint ${showValue(redisEndpoint)} has port ${port}, outside 1-65535; set it such as rediss://redis.corp.example:6379`);
      redisEndpoint = undefined;
    }
  }
  const elasticache = parseElastiCache(raw.elasticache, problems, ns);
  if (raw.redisEndpoint !== undefined && raw.elasticache !== undefined) {
    problems.push(`${ns}:redisEndpoint and ${ns}:elasticache are both set; Athens takes one single-flight backend: keep ${ns}:elasticache to have GoGuard create it, or ${ns}:redisEndpoint to use one you run`);
  }
  // Prod runs two replicas: without a single-flight backend they fetch the same module at once,
  // and a backend named here must exist (Athens pings it at start and exits when it cannot).
  if (environment === "prod" && raw.redisEndpoint === undefined && raw.elasticache === undefined) {
    problems.push(`${ns}:elasticache (or ${ns}:redisEndpoint) is required in prod: its two proxy replicas need a single-flight backend; set ${ns}:elasticache {vpcId, subnetIds, clientSecurityGroupIds} to have GoGuard create one, or ${ns}:redisEndpoint to a Redis you run`);
  }
  if (raw.redisPassword && raw.redisEndpoint === undefined && raw.elasticache === undefined) {
    problems.push(`${ns}:redisPassword is set but neither ${ns}:redisEndpoint nor ${ns}:elasticache is; the password is for Athens' Redis: set the backend too, or remove the password`);
  }

  const ingress = parseIngress(raw.proxyIngress, proxyUrl, problems, ns);

  let consumerNamespaces: string[] = [];
  if (raw.consumerNamespaces !== undefined) {
    if (!Array.isArray(raw.consumerNamespaces) || !raw.consumerNamespaces.every((n) => typeof n === "string" && NAMESPACE_RE.test(n))) {
      problems.push(`${ns}:consumerNamespaces must be a list of Kubernetes namespace names (lowercase letters, digits, -; at most 63); got ${showValue(raw.consumerNamespaces)}`);
    } else consumerNamespaces = [...new Set(raw.consumerNamespaces as string[])].sort();
  }

  const adopt = bool("adoptConsumerNamespaces", raw.adoptConsumerNamespaces, problems, ns);
  const protect = bool("protect", raw.protect, problems, ns);
  if (protect === false && environment === "prod") {
    problems.push(`${ns}:protect is false in prod; prod's stateful resources (cache bucket, registries, Redis) are always protected from deletion: remove ${ns}:protect`);
  }

  let cluster: ClusterSettings | undefined;
  if (raw.clusterStack !== undefined) {
    if (typeof raw.clusterStack !== "string" || !STACK_REF_RE.test(raw.clusterStack)) {
      problems.push(`${ns}:clusterStack ${showValue(raw.clusterStack)} is not a stack name organization/project/stack; set it such as acme/eks-cluster/prod`);
    } else {
      const output = raw.clusterStackOutput ?? "kubeconfig";
      if (typeof output !== "string" || !OUTPUT_NAME_RE.test(output)) problems.push(`${ns}:clusterStackOutput ${showValue(output)} is not a stack output name; set it to the cluster stack's kubeconfig output, such as kubeconfig`);
      else cluster = { kind: "stack", stack: raw.clusterStack, output };
    }
  } else if (raw.clusterStackOutput !== undefined) {
    problems.push(`${ns}:clusterStackOutput is set but ${ns}:clusterStack is not; set the stack that exports it (such as acme/eks-cluster/prod), or remove ${ns}:clusterStackOutput`);
  }
  if (raw.kubeconfig) {
    if (raw.clusterStack !== undefined) problems.push(`${ns}:kubeconfig and ${ns}:clusterStack are both set; the Kubernetes provider takes its credentials from one: remove one of them`);
    else cluster = { kind: "kubeconfig" };
  }

  const policyOverrides = parseOverrides(raw.policyOverrides, problems, ns);
  const vulns = parseVulnExceptions(raw.vulnExceptions, `${ns}:vulnExceptions`);
  problems.push(...vulns.problems);
  if (problems.length > start) return undefined;
  const proxy: ProxySettings = {
    ...(bucket ? { bucket } : {}),
    ...(region ? { region } : {}),
    ...(oidcProviderArn ? { oidcProviderArn } : {}),
    ...(oidcIssuerHost ? { oidcIssuerHost } : {}),
    ...(redisEndpoint ? { redisEndpoint } : {}),
    ...(elasticache ? { elasticache } : {}),
    ...(ingress ? { ingress } : {}),
    consumerNamespaces,
    adoptConsumerNamespaces: adopt ?? false,
  };
  return {
    environment,
    proxyUrl,
    privatePrefixes,
    proxy,
    ...(typeof raw.goVersion === "string" ? { goVersion: raw.goVersion } : {}),
    secrets: { netrc: raw.netrc === true, redisPassword: raw.redisPassword === true, kubeconfig: raw.kubeconfig === true },
    ...(cluster ? { cluster } : {}),
    ...(protect !== undefined ? { protect } : {}),
    policyOverrides,
    ...(vulns.exceptions.length > 0 ? { vulnExceptions: vulns.exceptions } : {}),
  };
}

/** A boolean setting: YAML true/false (Pulumi hands them to the program as the strings "true"/"false"). */
function bool(key: string, v: unknown, problems: string[], ns: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  problems.push(`${ns}:${key} must be true or false; got ${showValue(v)}`);
  return undefined;
}

/** Only these keys, each a string or a list of strings matching its grammar. */
function objectOf(v: unknown, at: string, keys: readonly string[], shape: string, problems: string[]): Record<string, unknown> | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    problems.push(`${at} must be an object ${shape}; got ${showValue(v)}`);
    return undefined;
  }
  const extra = Object.keys(v).filter((k) => !keys.includes(k));
  for (const k of extra) {
    const near = didYouMean(k, keys);
    problems.push(`${at}: unknown key ${showValue(k)}${near ? `; did you mean ${near}?` : `; it takes ${keys.join(", ")}`}`);
  }
  return v as Record<string, unknown>;
}

function parseElastiCache(v: unknown, problems: string[], ns: string): ElastiCacheSettings | undefined {
  if (v === undefined) return undefined;
  const at = `${ns}:elasticache`;
  const o = objectOf(v, at, ["vpcId", "subnetIds", "clientSecurityGroupIds", "nodeType"], `{vpcId, subnetIds, clientSecurityGroupIds, nodeType?}`, problems);
  if (!o) return undefined;
  const before = problems.length;
  if (typeof o.vpcId !== "string" || !VPC_RE.test(o.vpcId)) problems.push(`${at}.vpcId ${showValue(o.vpcId)} is not a VPC id; set the cluster's VPC, such as vpc-0123456789abcdef0`);
  const ids = (key: string, re: RegExp, min: number, what: string, example: string): string[] => {
    const list = o[key];
    if (!Array.isArray(list) || list.length < min || !list.every((x) => typeof x === "string" && re.test(x))) {
      problems.push(`${at}.${key} must be a list of at least ${min} ${what}; got ${showValue(list)}; set it such as ${example}`);
      return [];
    }
    return [...new Set(list as string[])].sort();
  };
  const subnetIds = ids("subnetIds", SUBNET_RE, 2, "private subnet ids in different availability zones (the replica fails over across them)", '["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]');
  const clientSecurityGroupIds = ids("clientSecurityGroupIds", SG_RE, 1, "security group ids of the cluster's nodes (the only sources admitted)", '["sg-0123456789abcdef0"]');
  const nodeType = o.nodeType ?? "cache.t4g.small";
  if (typeof nodeType !== "string" || !NODE_TYPE_RE.test(nodeType)) problems.push(`${at}.nodeType ${showValue(nodeType)} is not an ElastiCache node type; set it such as cache.t4g.small`);
  if (problems.length > before) return undefined;
  return { vpcId: o.vpcId as string, subnetIds, clientSecurityGroupIds, nodeType: nodeType as string };
}

function parseIngress(v: unknown, proxyUrl: string, problems: string[], ns: string): IngressSettings | undefined {
  if (v === undefined) return undefined;
  const at = `${ns}:proxyIngress`;
  const o = objectOf(v, at, ["className", "tlsSecretName", "clusterIssuer", "controllerNamespace"], `{className?, tlsSecretName | clusterIssuer, controllerNamespace?}`, problems);
  if (!o) return undefined;
  const before = problems.length;
  // The Ingress serves the proxy's one URL: its host comes from goguard:proxyUrl, never a second setting.
  const m = /^https:\/\/([^/:]+)\/?$/.exec(proxyUrl);
  if (!m || m[1].endsWith(".svc.cluster.local") || !m[1].includes(".")) {
    problems.push(`${at} is set but ${ns}:proxyUrl ${showValue(proxyUrl)} is not an external https:// URL without a port or path; the Ingress serves that URL: set ${ns}:proxyUrl such as https://goproxy.corp.example`);
  }
  const className = o.className ?? "nginx";
  if (typeof className !== "string" || !OBJECT_NAME_RE.test(className)) problems.push(`${at}.className ${showValue(className)} is not an IngressClass name; set it such as nginx`);
  const controllerNamespace = o.controllerNamespace ?? "ingress-nginx";
  if (typeof controllerNamespace !== "string" || !NAMESPACE_RE.test(controllerNamespace)) problems.push(`${at}.controllerNamespace ${showValue(controllerNamespace)} is not a namespace name; set the ingress controller's namespace, such as ingress-nginx`);
  let tls: IngressSettings["tls"] | undefined;
  if ((o.tlsSecretName === undefined) === (o.clusterIssuer === undefined)) {
    problems.push(`${at} needs exactly one of tlsSecretName (an existing kubernetes.io/tls Secret in the proxy's namespace) or clusterIssuer (a cert-manager ClusterIssuer); the proxy is served over TLS only`);
  } else if (o.tlsSecretName !== undefined) {
    if (typeof o.tlsSecretName !== "string" || !OBJECT_NAME_RE.test(o.tlsSecretName)) problems.push(`${at}.tlsSecretName ${showValue(o.tlsSecretName)} is not a Secret name; set it such as goproxy-tls`);
    else tls = { secretName: o.tlsSecretName };
  } else if (typeof o.clusterIssuer !== "string" || !OBJECT_NAME_RE.test(o.clusterIssuer)) {
    problems.push(`${at}.clusterIssuer ${showValue(o.clusterIssuer)} is not a ClusterIssuer name; set it such as letsencrypt`);
  } else tls = { clusterIssuer: o.clusterIssuer };
  if (problems.length > before || !tls) return undefined;
  return { className: className as string, tls, controllerNamespace: controllerNamespace as string };
}

function parseOverrides(v: unknown, problems: string[], ns: string): PolicyOverride[] {
  if (v === undefined) return [];
  const shape = `a list of {rule, reason, expires} (such as [{"rule": "privatePrefixes", "reason": "vendor modules mirrored at git.vendor.example", "expires": "2027-01-31"}])`;
  if (!Array.isArray(v)) {
    problems.push(`${ns}:policyOverrides must be ${shape}; got ${showValue(v)}`);
    return [];
  }
  const out: PolicyOverride[] = [];
  v.forEach((o, i) => {
    const at = `${ns}:policyOverrides[${i}]`;
    if (o === null || typeof o !== "object" || Array.isArray(o)) {
      problems.push(`${at} must be an object {rule, reason, expires}; got ${showValue(o)}`);
      return;
    }
    const extra = Object.keys(o).filter((k) => !["rule", "reason", "expires"].includes(k));
    if (extra.length > 0) problems.push(`${at}: unknown key ${showValue(extra[0])}; an override has exactly rule, reason and expires`);
    const { rule, reason, expires } = o as Record<string, unknown>;
    if (typeof rule !== "string" || !/^[A-Za-z][A-Za-z0-9-]{0,99}$/.test(rule)) problems.push(`${at}.rule ${showValue(rule)} must name a policy rule (such as go-version-allowed), privatePrefixes or allowPrereleases`);
    if (typeof reason !== "string" || !PRINTABLE_RE.test(reason) || reason.trim().length < 10 || reason.length > 300) {
      problems.push(`${at}.reason ${showValue(reason)} must say why, in 10 to 300 printable characters on one line`);
    }
    const m = typeof expires === "string" ? DATE_RE.exec(expires) : null;
    const valid = m !== null && (() => {
      const d = new Date(`${expires as string}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === expires;
    })();
    if (!valid) problems.push(`${at}.expires ${showValue(expires)} must be a date YYYY-MM-DD (an override never lasts forever)`);
    if (extra.length === 0 && typeof rule === "string" && typeof reason === "string" && valid) out.push({ rule, reason, expires: expires as string });
  });
  return out;
}
