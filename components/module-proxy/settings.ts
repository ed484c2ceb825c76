// Athens settings (pure): a proxy spec → the environment variables Athens really reads, and the
// validation that refuses unsafe specs. The `go` command Athens runs only sees
// ATHENS_GO_BINARY_ENV_VARS (plain pod GOPROXY/GONOSUMDB are ignored by it), so that list is built
// here and judged by the shared Go-settings rules.

import { GoCatalog } from "../toolchain/catalog";
import { checkGoSettings, checkProxyUrl, GoEnvPolicy } from "../toolchain/goenv";
import { parseImageRef } from "../toolchain/image-ref";

export type ProxyStorage =
  /** A ReadWriteOnce PersistentVolumeClaim: one replica only. */
  | { readonly kind: "disk"; readonly size: string; readonly storageClassName?: string }
  /** An S3 bucket (must exist; Athens never creates it), credentials from IRSA. */
  | { readonly kind: "s3"; readonly bucketName: string; readonly region: string }
  /** In-memory: lost on restart; dev only. */
  | { readonly kind: "memory" };

/**
 * Athens' single-flight backend. Redis: the address and password reach Athens only from a Secret
 * (ATHENS_REDIS_ENDPOINT as a `redis[s]://` URL), so the spec carries only what the manifests show:
 * the port (for the NetworkPolicy) and whether the connection is TLS.
 */
export type SingleFlight = { readonly kind: "redis"; readonly port: number; readonly tls: boolean } | { readonly kind: "etcd"; readonly endpoints: readonly string[] };

/** An Ingress serving the proxy's URL over TLS (certificate from a Secret, or issued by cert-manager). */
export interface ProxyIngress {
  readonly host: string;
  readonly className: string;
  readonly tls: { readonly secretName: string } | { readonly clusterIssuer: string };
  /** The ingress controller's namespace, admitted by the NetworkPolicy. */
  readonly controllerNamespace: string;
}

export interface ProxySpec {
  /** @default "goproxy" */
  readonly namespace: string;
  /** @default "athens" */
  readonly name: string;
  readonly storage: ProxyStorage;
  readonly replicas: number;
  readonly singleFlight?: SingleFlight;
  /** The one URL consumers use (published in the go-env ConfigMaps). */
  readonly url: string;
  readonly ingress?: ProxyIngress;
  /** GO_ENV=production: the image's baked config is a development one. */
  readonly productionMode: boolean;
  /** Replicas must run on different nodes (DoNotSchedule) rather than prefer to. */
  readonly strictSpread: boolean;
  /** Memory storage (lost on restart) is accepted. */
  readonly allowEphemeralStorage: boolean;
  /** The image must be given by digest. */
  readonly requireImageDigest: boolean;
  /** Where cache misses come from. @default "https://proxy.golang.org" */
  readonly upstream: string;
  /** The organisation's private module prefixes: fetched directly (with the netrc), never sent to the checksum database. */
  readonly privatePrefixes: readonly string[];
  /** Extra settings for Athens' own `go` command (judged by the same rules). @default {} */
  readonly goBinarySettings: Readonly<Record<string, string>>;
  /** @default "sync" */
  readonly downloadMode: "sync" | "async" | "redirect" | "async_redirect" | "none";
  /** @default 300 */
  readonly timeoutSeconds: number;
  /** @default 60 */
  readonly shutdownTimeoutSeconds: number;
  /** Private-repository credentials are mounted as a netrc file from a Secret. */
  readonly hasNetrc: boolean;
}

/** Secret names and keys the proxy's credentials live under (the Deployment refers to them). */
export const NETRC_SECRET_KEY = ".netrc";
/** The Secret key holding the Redis URL (`redis[s]://[:password@]host:port`) Athens reads as ATHENS_REDIS_ENDPOINT. */
export const REDIS_ENDPOINT_SECRET_KEY = "endpoint";
export const REDIS_ENDPOINT_ENV = "ATHENS_REDIS_ENDPOINT";

export const ATHENS_PORT = 3000;
export const ATHENS_UID = 1000;
export const DISK_ROOT = "/var/lib/athens";
export const NETRC_DIR = "/etc/athens/netrc";
export const HOME_DIR = "/home/athens";

function sorted(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(env).sort().map((k) => [k, env[k]]));
}

/** The settings of Athens' own `go` command, as a map (joined with ";" into ATHENS_GO_BINARY_ENV_VARS). */
export function goBinarySettings(spec: ProxySpec): Record<string, string> {
  const prefixes = [...spec.privatePrefixes].sort().join(",");
  const env: Record<string, string> = {
    // Upstream first; `direct` only for the private prefixes (through GOPRIVATE → GONOPROXY).
    GOPROXY: spec.upstream,
    GOSUMDB: "sum.golang.org",
    GOTOOLCHAIN: "local",
    ...(prefixes ? { GOPRIVATE: prefixes, GONOSUMDB: prefixes } : {}),
    ...spec.goBinarySettings,
  };
  return sorted(env);
}

export function athensEnv(spec: ProxySpec): Record<string, string> {
  const prefixes = [...spec.privatePrefixes].sort();
  const bin = goBinarySettings(spec);
  const env: Record<string, string> = {
    ATHENS_GO_BINARY_ENV_VARS: Object.entries(bin).map(([k, v]) => `${k}=${v}`).join(";"),
    ATHENS_SUM_DBS: "https://sum.golang.org",
    ATHENS_DOWNLOAD_MODE: spec.downloadMode,
    ATHENS_NETWORK_MODE: "strict",
    ATHENS_LOG_FORMAT: "json",
    ATHENS_LOG_LEVEL: "info",
    ATHENS_ENABLE_PPROF: "false",
    ATHENS_TIMEOUT: String(spec.timeoutSeconds),
    ATHENS_SHUTDOWN_TIMEOUT: String(spec.shutdownTimeoutSeconds),
    ATHENS_GOGET_DIR: "/tmp",
    // The image ships its dev config; production mode also checks config file permissions.
    GO_ENV: spec.productionMode ? "production" : "development",
    HOME: HOME_DIR,
  };
  if (prefixes.length > 0) env.ATHENS_GONOSUM_PATTERNS = prefixes.join(",");
  if (spec.hasNetrc) env.ATHENS_NETRC_PATH = `${NETRC_DIR}/.netrc`;
  switch (spec.storage.kind) {
    case "disk":
      env.ATHENS_STORAGE_TYPE = "disk";
      env.ATHENS_DISK_STORAGE_ROOT = DISK_ROOT;
      break;
    case "s3":
      env.ATHENS_STORAGE_TYPE = "s3";
      env.ATHENS_S3_BUCKET_NAME = spec.storage.bucketName;
      env.AWS_REGION = spec.storage.region;
      // Without this flag Athens replaces the default credential chain (IRSA) with static keys.
      env.AWS_USE_DEFAULT_CONFIGURATION = "true";
      break;
    case "memory":
      env.ATHENS_STORAGE_TYPE = "memory";
      break;
    default: {
      const never: never = spec.storage;
      throw new Error(`unknown storage ${JSON.stringify(never)}`);
    }
  }
  if (spec.singleFlight?.kind === "redis") {
    // ATHENS_REDIS_ENDPOINT itself comes from the Secret (it carries the password): see deploymentManifest.
    env.ATHENS_SINGLE_FLIGHT_TYPE = "redis";
  } else if (spec.singleFlight?.kind === "etcd") {
    env.ATHENS_SINGLE_FLIGHT_TYPE = "etcd";
    env.ATHENS_ETCD_ENDPOINTS = spec.singleFlight.endpoints.join(",");
  }
  return sorted(env);
}

/** Every reason the spec is unsafe; empty when it is not. */
export function validateProxySpec(spec: ProxySpec, image: string | undefined, catalog: GoCatalog): string[] {
  const problems: string[] = [];
  if (spec.storage.kind === "memory" && !spec.allowEphemeralStorage) {
    problems.push(`storage.kind: "memory" loses the cache on every restart; use { kind: "s3", bucketName, region } (or set allowEphemeralStorage: true for a throwaway proxy)`);
  }
  if (spec.storage.kind === "s3" && !spec.storage.bucketName) problems.push(`storage.bucketName: S3 storage needs a bucket name (Athens never creates the bucket)`);
  if (spec.storage.kind === "s3" && !spec.storage.region) problems.push(`storage.region: S3 storage needs the bucket's region`);
  if (!Number.isInteger(spec.replicas) || spec.replicas < 1) problems.push(`replicas: must be a whole number ≥ 1; got ${spec.replicas}`);
  if (spec.replicas > 1 && spec.storage.kind !== "s3") {
    problems.push(`replicas: ${spec.replicas} replicas need shared storage; ${spec.storage.kind} storage ${spec.storage.kind === "disk" ? "is a ReadWriteOnce volume" : "is per pod"}: use S3 storage or 1 replica`);
  }
  if (spec.replicas > 1 && !spec.singleFlight) problems.push(`redis: ${spec.replicas} replicas need a single-flight backend so they do not fetch the same module at once; set redis { address, tls, password }`);
  if (spec.singleFlight?.kind === "redis" && (!Number.isInteger(spec.singleFlight.port) || spec.singleFlight.port < 1 || spec.singleFlight.port > 65535)) problems.push(`redis.address: port ${spec.singleFlight.port} is outside 1-65535`);
  const bad = checkProxyUrl(spec.url);
  if (bad) problems.push(`url: ${bad}`);
  if (spec.ingress && spec.url.replace(/\/+$/, "") !== `https://${spec.ingress.host}`) {
    problems.push(`ingress.host: the Ingress serves https://${spec.ingress.host}, but the proxy's url is "${spec.url}"; consumers would be sent elsewhere: give the ingress the url's host`);
  }
  const up = checkProxyUrl(spec.upstream);
  if (up || !spec.upstream.startsWith("https://")) problems.push(`upstream: "${spec.upstream}" must be an https:// module proxy, such as https://proxy.golang.org`);
  const policy: GoEnvPolicy = {
    proxies: [spec.upstream],
    allowDirectFallback: false,
    privatePrefixes: spec.privatePrefixes,
    sumdbAllowlist: [],
    allowInsecureInternal: false,
    allowedVersions: [],
    allowPrereleases: false,
    release: false,
  };
  for (const f of checkGoSettings(goBinarySettings(spec), policy, catalog, { complete: true })) {
    problems.push(`goBinarySettings.${f.setting}: ${f.message}. ${f.fix}`);
  }
  if (image !== undefined) {
    const ref = parseImageRef(image);
    if (!ref) problems.push(`image: "${image}" is not an image reference`);
    else if (ref.digest === undefined && spec.requireImageDigest) problems.push(`image: "${image}" has no digest; the proxy image is deployed by digest (mirror it, or resolve it with \`goguard lock resolve-images\`), or set requireImageDigest: false for a local proxy`);
  }
  return problems;
}
