// Where Go settings live in deployed resources (pure): Docker build args, Kubernetes container env
// (containers and init containers of every workload kind), ConfigMap data, and Athens'
// ATHENS_GO_BINARY_ENV_VARS (a ";"-separated list the proxy hands to its own `go` command).
import { hasGoSettings } from "../../components/toolchain/goenv";
import { imageDockerfile } from "./resources";

export interface GoSettingsSource {
  /** Human description: `container "app" env`, `build args`, … */
  readonly where: string;
  readonly settings: Readonly<Record<string, string>>;
  /** The target platform when the source is a single-platform build. */
  readonly platform?: string;
  /**
   * "upstream": the settings of a module proxy's own `go` (Athens' ATHENS_GO_BINARY_ENV_VARS). Its
   * GOPROXY names where cache misses come from, so it is not required to be the environment's proxy.
   */
  readonly role?: "upstream";
  /**
   * A whole build environment (the published go-env ConfigMap): settings left unset fall back to
   * Go's defaults and are judged, and release flags (G8) apply.
   */
  readonly complete?: boolean;
}

export const DOCKER_IMAGE = "docker:index/image:Image";

/**
 * Reads a value that may be unknown during preview. The props a rule receives throw on unknown
 * values (the server then skips the whole rule for that resource); a value computed by another
 * resource (an image digest output) is simply not judged here.
 */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof Error && err.constructor.name === "UnknownValueError") return undefined;
    throw err;
  }
}
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

/** Pod spec location per workload kind. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
  "kubernetes:core/v1:Pod": ["spec"],
};

export function isWorkload(type: string): boolean {
  return type in POD_SPEC_PATHS;
}

/** The value at a property path, or undefined where the path breaks. */
export function at(obj: unknown, keys: readonly string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export interface ContainerRef {
  readonly kind: "container" | "initContainer";
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

export function podSpec(type: string, props: unknown): Record<string, unknown> | undefined {
  const p = POD_SPEC_PATHS[type];
  const s = p ? at(props, p) : undefined;
  return s && typeof s === "object" ? (s as Record<string, unknown>) : undefined;
}

export function containers(type: string, props: unknown): ContainerRef[] {
  const spec = podSpec(type, props);
  if (!spec) return [];
  const out: ContainerRef[] = [];
  for (const [field, kind] of [["initContainers", "initContainer"], ["containers", "container"]] as const) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    for (const c of list) if (c && typeof c === "object") out.push({ kind, name: String((c as { name?: unknown }).name ?? "?"), spec: c as Record<string, unknown> });
  }
  return out;
}

/** Literal `env` values of a container (valueFrom entries are not settings the stack can judge). */
export function containerImage(c: ContainerRef): string | undefined {
  const image = known(() => c.spec.image);
  return typeof image === "string" ? image : undefined;
}

export function containerEnv(c: ContainerRef): Record<string, string> {
  const env = c.spec.env;
  const out: Record<string, string> = {};
  if (!Array.isArray(env)) return out;
  for (const e of env) {
    const value = known(() => (e as { value?: unknown }).value);
    if (e && typeof e === "object" && typeof (e as { name?: unknown }).name === "string" && typeof value === "string") out[(e as { name: string }).name] = value;
  }
  return out;
}

/** Parses `K=V;K2=V2` (Athens' go binary env list). */
export function parseSemicolonEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function stringMap(v: unknown): Record<string, string> {
  if (!v || typeof v !== "object") return {};
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === "string")) as Record<string, string>;
}

/** Every Go-settings source a resource carries, without resolving references to other resources. */
export function goSettingsSources(type: string, props: unknown): GoSettingsSource[] {
  const out: GoSettingsSource[] = [];
  if (type === DOCKER_IMAGE) {
    const args = stringMap(at(props, ["build", "args"]));
    const platform = at(props, ["build", "platform"]);
    if (hasGoSettings(args)) out.push({ where: "build args", settings: args, ...(typeof platform === "string" ? { platform } : {}) });
    // The Dockerfile's ENV, ARG defaults and inline `VAR=… go` settings (build args already applied).
    const df = imageDockerfile(props);
    if (df && hasGoSettings(df.facts.settings)) {
      const own = Object.fromEntries(Object.entries(df.facts.settings).filter(([k]) => !(k in args) || args[k] !== df.facts.settings[k]));
      if (hasGoSettings(own)) out.push({ where: `Dockerfile ${df.file.split("/").slice(-2).join("/")}`, settings: own });
    }
  } else if (type === CONFIG_MAP) {
    const data = stringMap(at(props, ["data"]));
    const md = (at(props, ["metadata"]) ?? {}) as { name?: unknown; labels?: Record<string, unknown> };
    const published = md.name === "go-env" || md.labels?.["goguard.dev/go-env"] === "true";
    if (hasGoSettings(data)) out.push({ where: "data", settings: data, ...(published ? { complete: true } : {}) });
  } else if (isWorkload(type)) {
    for (const c of containers(type, props)) {
      const env = containerEnv(c);
      const label = `${c.kind === "initContainer" ? "init container" : "container"} "${c.name}"`;
      if (hasGoSettings(env)) out.push({ where: `${label} env`, settings: env });
      if (env.ATHENS_GO_BINARY_ENV_VARS !== undefined) out.push({ where: `${label} ATHENS_GO_BINARY_ENV_VARS`, settings: parseSemicolonEnv(env.ATHENS_GO_BINARY_ENV_VARS), role: "upstream" });
    }
  }
  return out;
}
