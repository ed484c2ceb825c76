// P2–P6: the module proxy itself. An Athens container is one whose env carries ATHENS_* settings or
// whose image is named athens.
import { broadPatternReason } from "../../components/toolchain/goenv";
import { imageName, parseImageRef } from "../../components/toolchain/image-ref";
import { ContainerRef, containerEnv, containerImage, containers } from "../lib/sources";
import { environmentFromConfig, goEnvPolicyFromConfig } from "../lib/config";
import { resourceRule } from "./common";

function athensContainers(type: string, props: unknown): ContainerRef[] {
  return containers(type, props).filter((c) => {
    const env = containerEnv(c);
    const image = containerImage(c);
    const ref = image !== undefined ? parseImageRef(image) : undefined;
    return Object.keys(env).some((k) => k.startsWith("ATHENS_")) || (ref !== undefined && imageName(ref) === "athens");
  });
}

/** Every env var name a container sets, literal or from a reference. */
function envNames(c: ContainerRef): string[] {
  return Array.isArray(c.spec.env) ? (c.spec.env as Array<{ name?: unknown }>).map((e) => String(e.name)) : [];
}

const label = (c: ContainerRef): string => `container "${c.name}"`;

export const athensChecksums = resourceRule(
  {
    name: "athens-checksum-database",
    rows: ["P2"],
    severity: "critical",
    description: "Athens verifies modules against sum.golang.org (ATHENS_SUM_DBS includes it) and exempts only the organisation's private prefixes (ATHENS_GONOSUM_PATTERNS).",
    remediation: "Keep ATHENS_SUM_DBS=https://sum.golang.org and list only private prefixes in ATHENS_GONOSUM_PATTERNS.",
  },
  (args, config) => {
    const policy = goEnvPolicyFromConfig(config);
    return athensContainers(args.type, args.props).flatMap((c) => {
      const env = containerEnv(c);
      const out: string[] = [];
      const dbs = env.ATHENS_SUM_DBS;
      if (dbs !== undefined && !dbs.split(",").map((s) => s.trim().replace(/\/+$/, "")).includes("https://sum.golang.org")) {
        out.push(`${label(c)} ATHENS_SUM_DBS=${dbs} leaves out https://sum.golang.org. Fix: include it.`);
      }
      for (const p of (env.ATHENS_GONOSUM_PATTERNS ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
        const why = broadPatternReason(p, policy.privatePrefixes);
        if (why) out.push(`${label(c)} ATHENS_GONOSUM_PATTERNS: ${why}. Fix: list only ${policy.privatePrefixes.join(",") || "your organisation's prefixes"}.`);
      }
      return out;
    });
  },
);

const SHARED_STORAGE = new Set(["s3", "gcp", "minio", "azureblob", "mongo", "external"]);

export const athensStorage = resourceRule(
  {
    name: "athens-storage-production",
    rows: ["P3"],
    severity: "high",
    description: "Outside dev Athens does not keep its cache in memory and runs with GO_ENV=production; S3 storage with the default credential chain sets AWS_USE_DEFAULT_CONFIGURATION=true; no static AWS keys appear in its env.",
    remediation: "Use S3 (or another shared store) with IRSA and AWS_USE_DEFAULT_CONFIGURATION=true, set GO_ENV=production, and remove AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.",
  },
  (args, config) => {
    const env = environmentFromConfig(config);
    return athensContainers(args.type, args.props).flatMap((c) => {
      const e = containerEnv(c);
      const out: string[] = [];
      const storage = e.ATHENS_STORAGE_TYPE ?? "memory";
      if (env !== "dev" && storage === "memory") out.push(`${label(c)} ATHENS_STORAGE_TYPE=${e.ATHENS_STORAGE_TYPE ?? "(unset: memory)"} keeps the cache in memory. Fix: use s3 storage.`);
      if (storage === "s3" && e.AWS_USE_DEFAULT_CONFIGURATION !== "true") out.push(`${label(c)} S3 storage without AWS_USE_DEFAULT_CONFIGURATION=true replaces IRSA with static credentials. Fix: set AWS_USE_DEFAULT_CONFIGURATION=true.`);
      for (const k of envNames(c).filter((n) => n === "AWS_ACCESS_KEY_ID" || n === "AWS_SECRET_ACCESS_KEY" || n === "AWS_SESSION_TOKEN")) out.push(`${label(c)} sets ${k}: static AWS keys. Fix: remove them and use IRSA.`);
      if (env !== "dev" && e.GO_ENV !== "production") out.push(`${label(c)} GO_ENV=${e.GO_ENV ?? "(unset: the image's development config)"}. Fix: set GO_ENV=production.`);
      return out;
    });
  },
);

export const athensReplicas = resourceRule(
  {
    name: "athens-replicas-shared",
    rows: ["P4"],
    severity: "high",
    description: "More than one Athens replica only with shared storage and a single-flight backend.",
    remediation: "Use S3 storage and ATHENS_SINGLE_FLIGHT_TYPE=redis (or etcd), or run one replica.",
  },
  (args) => {
    const replicas = (args.props as { spec?: { replicas?: unknown } }).spec?.replicas;
    if (typeof replicas !== "number" || replicas <= 1) return [];
    return athensContainers(args.type, args.props).flatMap((c) => {
      const e = containerEnv(c);
      const out: string[] = [];
      if (!SHARED_STORAGE.has(e.ATHENS_STORAGE_TYPE ?? "memory")) out.push(`${label(c)} runs ${replicas} replicas on ${e.ATHENS_STORAGE_TYPE ?? "memory"} storage. Fix: use shared storage (s3) or 1 replica.`);
      if (!e.ATHENS_SINGLE_FLIGHT_TYPE || e.ATHENS_SINGLE_FLIGHT_TYPE === "memory") out.push(`${label(c)} runs ${replicas} replicas without a single-flight backend. Fix: set ATHENS_SINGLE_FLIGHT_TYPE=redis and ATHENS_REDIS_ENDPOINT.`);
      return out;
    });
  },
);

const CREDENTIAL_ENV = /^(ATHENS_GITHUB_TOKEN|BASIC_AUTH_PASS|GITHUB_TOKEN|GH_TOKEN|GITLAB_TOKEN|NETRC|GIT_PASSWORD|.*_PASSWORD|.*_TOKEN)$/;

export const athensCredentials = resourceRule(
  {
    name: "athens-credentials-from-file",
    rows: ["P5"],
    severity: "high",
    description: "Private-repository credentials reach Athens only from a Secret mounted as a file (ATHENS_NETRC_PATH), never as environment variables.",
    remediation: "Put the credentials in a netrc file in a Secret, mount it read-only and set ATHENS_NETRC_PATH.",
  },
  (args) =>
    athensContainers(args.type, args.props).flatMap((c) =>
      envNames(c)
        .filter((n) => CREDENTIAL_ENV.test(n) && n !== "AWS_SESSION_TOKEN")
        .map((n) => `${label(c)} passes ${n} as an environment variable. Fix: mount the credentials from a Secret as a file and set ATHENS_NETRC_PATH.`),
    ),
);

export const athensOperations = resourceRule(
  {
    name: "athens-operations",
    rows: ["P6"],
    severity: "low",
    description: "Athens runs with pprof off and, outside dev, JSON logs.",
    remediation: "Set ATHENS_ENABLE_PPROF=false and ATHENS_LOG_FORMAT=json.",
  },
  (args, config) => {
    const env = environmentFromConfig(config);
    return athensContainers(args.type, args.props).flatMap((c) => {
      const e = containerEnv(c);
      const out: string[] = [];
      if (e.ATHENS_ENABLE_PPROF === "true") out.push(`${label(c)} ATHENS_ENABLE_PPROF=true exposes profiling. Fix: set it to false.`);
      if (env !== "dev" && e.ATHENS_LOG_FORMAT !== "json") out.push(`${label(c)} ATHENS_LOG_FORMAT=${e.ATHENS_LOG_FORMAT ?? "(unset: plain)"}. Fix: set ATHENS_LOG_FORMAT=json.`);
      return out;
    });
  },
);
