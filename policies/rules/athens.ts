// P2–P6: the module proxy itself, judged on Athens' effective settings wherever they are given:
// its container environment as the kubelet resolves it (env, envFrom, valueFrom), a config.toml
// mounted from a ConfigMap or Secret (the environment overrides the file, as Athens does), and the
// values of a Helm release or chart of the gomods athens-proxy chart. An Athens container is one
// whose environment carries ATHENS_* settings, whose image is named athens, or that mounts a
// config.toml. Stack rules: the settings depend on the objects a workload takes them from.
import { broadPatternReason } from "../../components/toolchain/goenv";
import { imageName, parseImageRef } from "../../components/toolchain/image-ref";
import { AthensSetting, athensConfigFile, athensHelmReplicas, athensSettingsFromHelmValues, athensSettingsFromToml, isAthensChart, mergeAthensSettings, TomlError } from "../../components/toolchain/athens-config";
import { describeProvenance, EnvObject, findObject, UNKNOWN } from "../../components/toolchain/k8s-env";
import { at, fromSecret, parseSemicolonEnv, plain, ResolvedContainer, StackEnv, stackEnv, StackGoSource, StackResource, workloadPodSpec } from "../lib/sources";
import { environmentFromConfig, goEnvPolicyFromConfig } from "../lib/config";
import { stackRule } from "./common";

/** One running Athens and the settings it runs with. */
export interface AthensInstance {
  readonly urn: string;
  readonly name: string;
  /** `container "athens"` or `Helm values`. */
  readonly label: string;
  readonly settings: Readonly<Record<string, AthensSetting>>;
  /** Every variable name the container sets (literal or reference), for the credential rule. */
  readonly envNames: readonly string[];
  /** The variables whose value comes from a Secret (valueFrom.secretKeyRef or envFrom secretRef). */
  readonly secretEnvNames: readonly string[];
  readonly replicas?: number;
  /** Why part of the settings cannot be read offline (a config file outside the stack, bad TOML). */
  readonly unresolved: readonly string[];
  /** A container that runs with the image's baked config.toml (no config file of the stack mounted over it). */
  readonly bakedConfig?: boolean;
}

export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
export const HELM_CHART_V4 = "kubernetes:helm.sh/v4:Chart";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** The config.toml text a container mounts at `file`, or why it cannot be read. */
function mountedConfig(rc: ResolvedContainer, pod: Obj, file: string, ns: string | undefined, objects: readonly EnvObject[]): { text?: string; from?: string; unresolved?: string } {
  for (const m of Array.isArray(rc.container.spec.volumeMounts) ? rc.container.spec.volumeMounts : []) {
    const mount = obj(m);
    const mp = typeof mount.mountPath === "string" ? mount.mountPath.replace(/\/+$/, "") : undefined;
    if (mp === undefined) continue;
    const sub = typeof mount.subPath === "string" && mount.subPath !== "" ? mount.subPath : undefined;
    let rel: string | undefined;
    if (sub !== undefined && mp === file) rel = sub;
    else if (sub === undefined && file.startsWith(mp + "/")) rel = file.slice(mp.length + 1);
    if (rel === undefined) continue;
    const vol = (Array.isArray(pod.volumes) ? pod.volumes : []).map(obj).find((v) => v.name === mount.name);
    if (!vol) return { unresolved: `volume ${String(mount.name)} mounted at ${mp} is not declared` };
    const cm = vol.configMap !== undefined ? obj(vol.configMap) : undefined;
    const sec = vol.secret !== undefined ? obj(vol.secret) : undefined;
    if (!cm && !sec) return { unresolved: `${file} comes from volume ${String(mount.name)}, which is neither a ConfigMap nor a Secret` };
    const kind = cm ? "ConfigMap" : "Secret";
    const src = (cm ?? sec)!;
    const name = cm ? src.name : src.secretName;
    const items = Array.isArray(src.items) ? src.items.map(obj) : undefined;
    const key = items ? items.find((it) => it.path === rel)?.key : rel;
    if (typeof key !== "string") return { unresolved: `${kind} volume ${String(mount.name)} has no item for ${rel}` };
    const found = findObject(kind, name, ns, { objects });
    const label = `${kind} ${ns ?? "default"}/${name === UNKNOWN ? "(unknown)" : String(name)} key ${key}`;
    if ("missing" in found) return { unresolved: `${file} comes from ${label}, which is not part of this stack` };
    if ("unresolved" in found) return { unresolved: `${file}: ${found.unresolved}` };
    const text = found.obj.data[key];
    if (typeof text !== "string") return { unresolved: `${file}: ${label} is not known${found.obj.partial ? " (only partly known)" : ""}` };
    return { text, from: label };
  }
  return {};
}

/** Every Athens of the stack: containers (env over a mounted config.toml) and Helm releases/charts. */
export function athensInstances(resources: readonly StackResource[], pre: StackEnv = stackEnv(resources)): AthensInstance[] {
  const { objects, containers } = pre;
  const out: AthensInstance[] = [];
  for (const rc of containers) {
    const image = rc.container.spec.image;
    const ref = typeof image === "string" ? parseImageRef(image) : undefined;
    const envSettings: Record<string, AthensSetting> = {};
    for (const v of rc.env.vars) if (v.value !== undefined) envSettings[v.name] = { value: v.value, from: describeProvenance(v) || "env" };
    const pod = workloadPodSpec(rc.workload.type, rc.workloadProps) ?? {};
    const file = athensConfigFile(strings(rc.container.spec.command), strings(rc.container.spec.args));
    const nsv = at(rc.workloadProps, ["metadata", "namespace"]);
    const ns = typeof nsv === "string" && nsv !== "" ? nsv : undefined;
    const mounted = nsv === UNKNOWN ? { unresolved: "the workload's namespace is not known during preview" } : mountedConfig(rc, pod, file, ns, objects);
    const isAthens = rc.env.vars.some((v) => v.name.startsWith("ATHENS_")) || (ref !== undefined && imageName(ref) === "athens") || mounted.text !== undefined;
    if (!isAthens) continue;
    const unresolved: string[] = [];
    let fileSettings: Record<string, AthensSetting> = {};
    if (mounted.unresolved) unresolved.push(mounted.unresolved);
    if (mounted.text !== undefined) {
      try {
        fileSettings = Object.fromEntries(Object.entries(athensSettingsFromToml(mounted.text)).map(([k, s]) => [k, { ...s, from: `${s.from} in ${mounted.from}` }]));
      } catch (err) {
        if (!(err instanceof TomlError)) throw err;
        unresolved.push(`${err.message} (from ${mounted.from})`);
      }
    }
    // Only the checksum settings P2 judges; Athens' go settings list and whole envFrom sources are
    // reported by the Go-settings rules (G1), credentials from a Secret are what P5 asks for.
    for (const v of rc.env.vars) if (v.unresolved !== undefined && (v.name === "ATHENS_SUM_DBS" || v.name === "ATHENS_GONOSUM_PATTERNS")) unresolved.push(`${v.name}: ${v.unresolved}`);
    const replicas = at(rc.workloadProps, ["spec", "replicas"]);
    out.push({
      urn: rc.workload.urn,
      name: rc.workload.name,
      label: rc.container.label,
      settings: mergeAthensSettings(fileSettings, envSettings),
      envNames: [...rc.env.vars.map((v) => v.name), ...Object.keys(fileSettings)],
      secretEnvNames: rc.env.vars.filter((v) => v.from.kind === "Secret").map((v) => v.name),
      ...(typeof replicas === "number" ? { replicas } : {}),
      unresolved,
      ...(mounted.text === undefined && mounted.unresolved === undefined ? { bakedConfig: true } : {}),
    });
  }
  for (const r of resources) {
    if (r.type !== HELM_RELEASE && r.type !== HELM_CHART_V4) continue;
    const p = plain(r.props) as Obj;
    const repo = obj(p.repositoryOpts).repo;
    if (!isAthensChart(p.chart, repo)) continue;
    const unresolved: string[] = [];
    if (p.values === UNKNOWN) unresolved.push("the chart values are not known during preview");
    if (Array.isArray(p.valueYamlFiles) && p.valueYamlFiles.length > 0) unresolved.push("values files (valueYamlFiles) are not read offline");
    const settings = athensSettingsFromHelmValues(p.values);
    out.push({ urn: r.urn, name: r.name, label: "Helm values", settings, envNames: Object.keys(settings), secretEnvNames: [], replicas: athensHelmReplicas(p.values), unresolved });
  }
  return out;
}

/**
 * Athens' own `go` settings given in a config.toml GoBinaryEnvVars list or Helm configEnvVars:
 * Go-settings sources with role "upstream" (the container variable, literal or referenced, is
 * already a source of stackGoSources).
 */
export function athensGoSources(resources: readonly StackResource[], pre: StackEnv = stackEnv(resources)): StackGoSource[] {
  const out: StackGoSource[] = [];
  for (const a of athensInstances(resources, pre)) {
    const s = a.settings.ATHENS_GO_BINARY_ENV_VARS;
    // Unset or empty (Athens' EnvList decoder keeps the file's value for an empty variable), a
    // container on the image's baked config runs its go with that config's GoBinaryEnvVars,
    // GOPROXY=direct: every cache miss a VCS clone (NOTES-ATHENS; catalog row P1).
    if (a.bakedConfig && (!s || s.value.trim() === "")) {
      const why = !s ? "is not set" : `is empty${s.from !== "env" ? ` (${s.from})` : ""}`;
      out.push({ urn: a.urn, name: a.name, where: `${a.label} ATHENS_GO_BINARY_ENV_VARS ${why}, so Athens' go takes the image's baked config.toml GoBinaryEnvVars`, settings: { GOPROXY: "direct" }, role: "upstream" });
      continue;
    }
    if (!s || !(s.from.startsWith("config.toml") || s.from.startsWith("Helm value"))) continue;
    out.push({ urn: a.urn, name: a.name, where: `${a.label} ATHENS_GO_BINARY_ENV_VARS (from ${s.from})`, settings: parseSemicolonEnv(s.value), role: "upstream", ...(fromSecret(s.from) ? { secret: true as const } : {}) });
  }
  return out;
}

/** The setting's value, and ` (from …)` when it is not a literal in the container env. */
function setting(a: AthensInstance, k: string): string | undefined {
  return a.settings[k]?.value;
}
function origin(a: AthensInstance, k: string): string {
  const f = a.settings[k]?.from;
  if (f === undefined || f === "env") return "";
  return f.startsWith("from ") || f.startsWith("expanded ") ? ` (${f})` : ` (from ${f})`;
}

/** Runs `check` on every Athens instance, reporting `<name> <label> <problem>` on its resource. */
function perInstance(check: (a: AthensInstance, config: Record<string, unknown>) => string[]): (args: { resources: readonly StackResource[] }, config: Record<string, unknown>) => Array<[string, string]> {
  return (args, config) => athensInstances(args.resources).flatMap((a) => check(a, config).map((p) => [a.urn, `${a.name} ${a.label} ${p}`] as [string, string]));
}

export const athensChecksums = stackRule(
  {
    name: "athens-checksum-database",
    rows: ["P2"],
    severity: "critical",
    description: "Athens verifies modules against sum.golang.org (ATHENS_SUM_DBS includes it) and exempts only the organisation's private prefixes (ATHENS_GONOSUM_PATTERNS), wherever they are set (env, envFrom, a mounted config.toml, Helm values); settings that cannot be read offline are findings.",
    remediation: "Keep ATHENS_SUM_DBS=https://sum.golang.org and list only private prefixes in ATHENS_GONOSUM_PATTERNS.",
  },
  perInstance((a, config) => {
    const policy = goEnvPolicyFromConfig(config);
    const out: string[] = [];
    const dbs = setting(a, "ATHENS_SUM_DBS");
    if (dbs !== undefined && !dbs.split(",").map((s) => s.trim().replace(/\/+$/, "")).includes("https://sum.golang.org")) {
      out.push(`ATHENS_SUM_DBS=${dbs}${origin(a, "ATHENS_SUM_DBS")} leaves out https://sum.golang.org. Fix: include it.`);
    }
    for (const p of (setting(a, "ATHENS_GONOSUM_PATTERNS") ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
      const why = broadPatternReason(p, policy.privatePrefixes);
      if (why) out.push(`ATHENS_GONOSUM_PATTERNS${origin(a, "ATHENS_GONOSUM_PATTERNS")}: ${why}. Fix: list only ${policy.privatePrefixes.join(",") || "your organisation's prefixes"}.`);
    }
    for (const u of a.unresolved) out.push(`settings cannot be checked offline: ${u}. Fix: create the ConfigMap or Secret in this stack, or set Athens' settings as literal env values.`);
    return out;
  }),
);

const SHARED_STORAGE = new Set(["s3", "gcp", "minio", "azureblob", "mongo", "external"]);

export const athensStorage = stackRule(
  {
    name: "athens-storage-production",
    rows: ["P3"],
    severity: "high",
    description: "Outside dev Athens does not keep its cache in memory and runs with GO_ENV=production; S3 storage with the default credential chain sets AWS_USE_DEFAULT_CONFIGURATION=true; no static AWS keys appear in its env.",
    remediation: "Use S3 (or another shared store) with IRSA and AWS_USE_DEFAULT_CONFIGURATION=true, set GO_ENV=production, and remove AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.",
  },
  perInstance((a, config) => {
    const env = environmentFromConfig(config);
    const out: string[] = [];
    const type = setting(a, "ATHENS_STORAGE_TYPE");
    const storage = type ?? "memory";
    if (env !== "dev" && storage === "memory") out.push(`ATHENS_STORAGE_TYPE=${type ?? "(unset: memory)"}${origin(a, "ATHENS_STORAGE_TYPE")} keeps the cache in memory. Fix: use s3 storage.`);
    if (storage === "s3" && setting(a, "AWS_USE_DEFAULT_CONFIGURATION") !== "true") out.push(`S3 storage without AWS_USE_DEFAULT_CONFIGURATION=true replaces IRSA with static credentials. Fix: set AWS_USE_DEFAULT_CONFIGURATION=true.`);
    for (const k of a.envNames.filter((n) => n === "AWS_ACCESS_KEY_ID" || n === "AWS_SECRET_ACCESS_KEY" || n === "AWS_SESSION_TOKEN")) out.push(`sets ${k}${origin(a, k)}: static AWS keys. Fix: remove them and use IRSA.`);
    const goEnv = setting(a, "GO_ENV");
    if (env !== "dev" && goEnv !== "production") out.push(`GO_ENV=${goEnv ?? "(unset: the image's development config)"}${origin(a, "GO_ENV")}. Fix: set GO_ENV=production.`);
    return out;
  }),
);

export const athensReplicas = stackRule(
  {
    name: "athens-replicas-shared",
    rows: ["P4"],
    severity: "high",
    description: "More than one Athens replica only with shared storage and a single-flight backend.",
    remediation: "Use S3 storage and ATHENS_SINGLE_FLIGHT_TYPE=redis (or etcd), or run one replica.",
  },
  perInstance((a) => {
    const replicas = a.replicas;
    if (typeof replicas !== "number" || replicas <= 1) return [];
    const out: string[] = [];
    const storage = setting(a, "ATHENS_STORAGE_TYPE") ?? "memory";
    const sf = setting(a, "ATHENS_SINGLE_FLIGHT_TYPE");
    if (!SHARED_STORAGE.has(storage)) out.push(`runs ${replicas} replicas on ${storage} storage. Fix: use shared storage (s3) or 1 replica.`);
    if (!sf || sf === "memory") out.push(`runs ${replicas} replicas without a single-flight backend. Fix: set ATHENS_SINGLE_FLIGHT_TYPE=redis and ATHENS_REDIS_ENDPOINT.`);
    return out;
  }),
);

const CREDENTIAL_ENV = /^(ATHENS_GITHUB_TOKEN|BASIC_AUTH_PASS|GITHUB_TOKEN|GH_TOKEN|GITLAB_TOKEN|NETRC|GIT_PASSWORD|.*_PASSWORD|.*_TOKEN)$/;
/**
 * Athens reads its single-flight Redis credentials only from its environment (no file setting
 * exists): from a Secret they are what the rule asks for, as a literal (or from a ConfigMap) they
 * are not. The endpoint counts when it is a URL carrying a password.
 */
const REDIS_CREDENTIAL_ENV = new Set(["ATHENS_REDIS_PASSWORD", "ATHENS_REDIS_SENTINEL_PASSWORD", "ATHENS_REDIS_ENDPOINT"]);

export const athensCredentials = stackRule(
  {
    name: "athens-credentials-from-file",
    rows: ["P5"],
    severity: "high",
    description: "Private-repository credentials reach Athens only from a Secret mounted as a file (ATHENS_NETRC_PATH), never as environment variables.",
    remediation: "Put the credentials in a netrc file in a Secret, mount it read-only and set ATHENS_NETRC_PATH.",
  },
  perInstance((a) => {
    const names = [...new Set(a.envNames)];
    const redis = names.filter((n) => REDIS_CREDENTIAL_ENV.has(n) && !a.secretEnvNames.includes(n) && (n !== "ATHENS_REDIS_ENDPOINT" || /^[a-z]+:\/\/[^/@]*:[^/@]+@/.test(setting(a, n) ?? "")));
    return [
      ...names
        .filter((n) => CREDENTIAL_ENV.test(n) && n !== "AWS_SESSION_TOKEN" && !REDIS_CREDENTIAL_ENV.has(n))
        .map((n) => `passes ${n}${origin(a, n)} as an environment variable. Fix: mount the credentials from a Secret as a file and set ATHENS_NETRC_PATH.`),
      ...redis.map((n) => `passes the Redis ${n === "ATHENS_REDIS_ENDPOINT" ? "URL's password" : "password"} in ${n}${origin(a, n) || " as a literal value"}. Fix: take ${n} from a Secret (valueFrom.secretKeyRef); Athens reads the Redis credentials only from its environment.`),
    ];
  }),
);

export const athensOperations = stackRule(
  {
    name: "athens-operations",
    rows: ["P6"],
    severity: "low",
    description: "Athens runs with pprof off and, outside dev, JSON logs.",
    remediation: "Set ATHENS_ENABLE_PPROF=false and ATHENS_LOG_FORMAT=json.",
  },
  perInstance((a, config) => {
    const env = environmentFromConfig(config);
    const out: string[] = [];
    if (setting(a, "ATHENS_ENABLE_PPROF") === "true") out.push(`ATHENS_ENABLE_PPROF=true${origin(a, "ATHENS_ENABLE_PPROF")} exposes profiling. Fix: set it to false.`);
    const lf = setting(a, "ATHENS_LOG_FORMAT");
    if (env !== "dev" && lf !== "json") out.push(`ATHENS_LOG_FORMAT=${lf ?? "(unset: plain)"}${origin(a, "ATHENS_LOG_FORMAT")}. Fix: set ATHENS_LOG_FORMAT=json.`);
    return out;
  }),
);
