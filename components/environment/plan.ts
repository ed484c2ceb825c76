// One environment resolved once (pure): from the toolchain lock, the stack's validated settings and
// the release catalog to every value that differs between environments. The stack program, the
// policy config generator, the docs and render all read this plan; the components below it take
// explicit knobs and never an environment name, so "protect this in staging" is a setting, not a
// code change, and the proxy has exactly one URL (builder GOPROXY, published go-env ConfigMaps, the
// `proxyUrl` output and the policy config all read `plan.proxy.url`).
import type { ClusterSettings, ElastiCacheSettings, IngressSettings, StackSettings } from "../../stacks/config";
import { GoCatalog } from "../toolchain/catalog";
import { checkProxyUrl, GoEnvPolicy, resolveGoEnvBaseline } from "../toolchain/goenv";
import { EnvironmentName, lockedImageRef, ToolchainLock } from "../toolchain/lock";
import { environmentPolicy, resolveToolchain, ResolvedToolchain } from "../toolchain/toolchain";
import type { ProxyStorage } from "../module-proxy/settings";

/** The proxy's Service name and namespace (its in-cluster URL is derived from them). */
export const PROXY_NAME = "athens";
export const PROXY_NAMESPACE = "goproxy";
/** The upstream Athens release; mirrored into ECR outside dev, by digest once the lock resolves it. */
export const ATHENS_SOURCE = "docker.io/gomods/athens:v0.18.1";
/** The base of the builder's stages, pinned in the lock. */
export const BUILDER_BASE = "debian:bookworm-slim";
/** ElastiCache's (and Redis') port. */
export const REDIS_PORT = 6379;

export type ProxyExposure =
  /** Consumers reach the Service inside the cluster. */
  | { readonly kind: "service" }
  /** An Ingress GoGuard creates serves the URL over TLS (host from the URL). */
  | ({ readonly kind: "ingress"; readonly host: string } & IngressSettings)
  /** The stack declares a URL something else serves (a load balancer or ingress the user runs). */
  | { readonly kind: "external"; readonly host: string };

export interface ProxyPlan {
  readonly name: string;
  readonly namespace: string;
  /** THE URL of the proxy: first in every published GOPROXY, in the builder, the output and the policy. */
  readonly url: string;
  /** The Service's in-cluster URL (what an Ingress or load balancer forwards to). */
  readonly serviceUrl: string;
  readonly exposure: ProxyExposure;
}

export type SingleFlightPlan =
  | { readonly kind: "none" }
  /** A Redis the user runs; its password (if any) is goguard:redisPassword. */
  | { readonly kind: "redis"; readonly source: "declared"; readonly address: string; readonly tls: boolean; readonly password: "config" | "none" }
  /** An ElastiCache replication group GoGuard creates: TLS, encrypted at rest, auth token from config or generated once. */
  | ({ readonly kind: "redis"; readonly source: "elasticache"; readonly port: number; readonly tls: true; readonly authToken: "config" | "generated" } & ElastiCacheSettings);

export type KubernetesProviderPlan =
  /** Objects are written as YAML files under `directory` (relative to the project root); no cluster. */
  | { readonly kind: "render"; readonly directory: string }
  | ClusterSettings;

export interface EnvironmentPlan {
  readonly environment: EnvironmentName;
  readonly toolchain: ResolvedToolchain;
  /** The Go settings the builder image and the go-env ConfigMaps carry. */
  readonly goEnv: Readonly<Record<string, string>>;
  readonly policy: GoEnvPolicy;
  readonly privatePrefixes: readonly string[];
  readonly proxy: ProxyPlan;
  readonly images: {
    /** `debian:bookworm-slim` as the lock pins it. */
    readonly builderBase: string;
    readonly requirePinnedBases: boolean;
    /** The Athens image the proxy runs (dev) or that is copied into ECR (by digest once resolved). */
    readonly proxySource: string;
    /** Copy the Athens image into the environment's registry and deploy the pushed digest. */
    readonly mirrorProxy: boolean;
    /** The proxy workload refuses an image without a digest. */
    readonly requireProxyDigest: boolean;
  };
  readonly registry: { readonly kind: "local"; readonly builderRepository: string } | { readonly kind: "ecr"; readonly builderRepository: string; readonly proxyRepository: string };
  readonly storage: ProxyStorage;
  readonly singleFlight: SingleFlightPlan;
  readonly replicas: number;
  /** Stateful resources (bucket, registries, Redis, volumes). */
  readonly protection: { readonly protect: boolean; readonly retainOnDelete: boolean };
  /** Namespaces that get the go-env ConfigMap and the label the proxy's NetworkPolicy admits. */
  readonly consumerNamespaces: { readonly names: readonly string[]; readonly mode: "create" | "adopt" };
  readonly athens: {
    /** GO_ENV=production (the image ships its development config). */
    readonly productionMode: boolean;
    /** Replicas must land on different nodes (DoNotSchedule), not merely prefer to. */
    readonly strictSpread: boolean;
  };
  /** The cluster's OIDC provider the proxy's IAM role trusts (S3 storage). */
  readonly oidc?: { readonly providerArn: string; readonly issuerHost: string };
  readonly providers: { readonly kubernetes: KubernetesProviderPlan; readonly aws?: { readonly region: string } };
  /** Which credentials the stack holds (values stay Pulumi secrets in the program). */
  readonly secrets: StackSettings["secrets"];
}

export class PlanError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "PlanError";
  }
}

/** `http://<name>.<namespace>.svc.cluster.local`, the Service's URL inside the cluster. */
export function serviceUrlOf(name: string, namespace: string): string {
  return `http://${name}.${namespace}.svc.cluster.local`;
}

function proxyPlan(settings: StackSettings, problems: string[]): ProxyPlan {
  const serviceUrl = serviceUrlOf(PROXY_NAME, PROXY_NAMESPACE);
  const url = settings.proxyUrl;
  const base = { name: PROXY_NAME, namespace: PROXY_NAMESPACE, url, serviceUrl };
  const bad = checkProxyUrl(url);
  if (bad) problems.push(`goguard:proxyUrl ${bad}`);
  const host = /^[a-z]+:\/\/([^/:]+)/.exec(url)?.[1] ?? "";
  if (settings.proxy.ingress) return { ...base, exposure: { kind: "ingress", host, ...settings.proxy.ingress } };
  if (url === serviceUrl) return { ...base, exposure: { kind: "service" } };
  // An in-cluster name that is not the proxy's Service would send every build to another service.
  if (host.endsWith(".svc.cluster.local") || host.endsWith(".svc")) {
    problems.push(`goguard:proxyUrl "${url}" names an in-cluster service that is not the proxy's; the proxy's Service is ${serviceUrl}: set goguard:proxyUrl to it (or remove the key), or to the external https:// URL that serves the proxy`);
  }
  return { ...base, exposure: { kind: "external", host } };
}

function singleFlightPlan(settings: StackSettings, replicas: number, problems: string[]): SingleFlightPlan {
  const p = settings.proxy;
  if (p.elasticache) return { kind: "redis", source: "elasticache", port: REDIS_PORT, tls: true, authToken: settings.secrets.redisPassword ? "config" : "generated", ...p.elasticache };
  if (p.redisEndpoint) {
    const m = /^(rediss?):\/\/(.+)$/.exec(p.redisEndpoint);
    return { kind: "redis", source: "declared", address: m ? m[2] : p.redisEndpoint, tls: m?.[1] === "rediss", password: settings.secrets.redisPassword ? "config" : "none" };
  }
  if (replicas > 1) problems.push(`the proxy runs ${replicas} replicas without a single-flight backend; set goguard:elasticache or goguard:redisEndpoint`);
  return { kind: "none" };
}

/**
 * Everything environment-dependent, decided once. Throws PlanError (every problem, each naming the
 * setting and the fix) or the lock's LockError (a version or archive the lock does not allow).
 */
export function resolvePlan(lock: ToolchainLock, settings: StackSettings, catalog: GoCatalog): EnvironmentPlan {
  const env = settings.environment;
  const cloud = env !== "dev";
  const problems: string[] = [];
  const toolchain = resolveToolchain(lock, env, catalog, settings.goVersion !== undefined ? { version: settings.goVersion } : {});
  const proxy = proxyPlan(settings, problems);
  const replicas = env === "prod" ? 2 : 1;
  const singleFlight = singleFlightPlan(settings, replicas, problems);
  const p = settings.proxy;
  if (cloud && (!p.bucket || !p.region || !p.oidcProviderArn || !p.oidcIssuerHost)) {
    problems.push(`${env} keeps the proxy's cache in S3: goguard:proxyBucket, goguard:awsRegion, goguard:oidcProviderArn and goguard:oidcIssuerHost are required`);
  }
  if (cloud && !settings.cluster) problems.push(`${env} deploys to a cluster: set goguard:kubeconfig (secret) or goguard:clusterStack`);
  if (problems.length > 0) throw new PlanError(problems);
  const athensResolved = lock.images[ATHENS_SOURCE]?.state === "resolved";
  return {
    environment: env,
    toolchain,
    goEnv: resolveGoEnvBaseline({ proxyUrl: proxy.url, privatePrefixes: settings.privatePrefixes }),
    policy: environmentPolicy(lock, env, { proxies: [proxy.url], privatePrefixes: settings.privatePrefixes }),
    privatePrefixes: settings.privatePrefixes,
    proxy,
    images: {
      builderBase: lockedImageRef(lock, BUILDER_BASE, env),
      requirePinnedBases: cloud,
      // dev runs the upstream tag; elsewhere the copy is made from the digest once the lock has one.
      proxySource: athensResolved || !cloud ? lockedImageRef(lock, ATHENS_SOURCE, env) : ATHENS_SOURCE,
      mirrorProxy: cloud,
      requireProxyDigest: cloud,
    },
    registry: cloud ? { kind: "ecr", builderRepository: `goguard/go-builder-${env}`, proxyRepository: `goguard/athens-${env}` } : { kind: "local", builderRepository: "goguard/go-builder" },
    storage: cloud ? { kind: "s3", bucketName: p.bucket!, region: p.region! } : { kind: "disk", size: "20Gi" },
    singleFlight,
    replicas,
    protection: { protect: settings.protect ?? env === "prod", retainOnDelete: cloud },
    consumerNamespaces: { names: p.consumerNamespaces, mode: p.adoptConsumerNamespaces ? "adopt" : "create" },
    athens: { productionMode: cloud, strictSpread: env === "prod" },
    ...(cloud ? { oidc: { providerArn: p.oidcProviderArn!, issuerHost: p.oidcIssuerHost! } } : {}),
    providers: cloud ? { kubernetes: settings.cluster!, aws: { region: p.region! } } : { kubernetes: { kind: "render", directory: ".goguard-build/dev/k8s" } },
    secrets: settings.secrets,
  };
}
