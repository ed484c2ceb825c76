// Where Go settings live in deployed resources (pure): Docker build args, Kubernetes container env
// (containers and init containers of every workload kind), ConfigMap data, and Athens'
// ATHENS_GO_BINARY_ENV_VARS (a ";"-separated list the proxy hands to its own `go` command).
import { GO_SETTINGS, hasGoSettings } from "../../components/toolchain/goenv";
import { ContainerEnv, describeProvenance, EnvObject, resolveContainerEnv, secretData, Unknown, UNKNOWN } from "../../components/toolchain/k8s-env";
import { buildDockerfiles, DOCKER_BUILD_IMAGE, isImageBuild } from "./resources";
import { analyzeExec, newEvents } from "./dockerfile-shell";
import { varMap } from "./dockerfile-words";

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
  /** One of several places of one file (a Dockerfile's `go` runs): a finding already reported for an earlier place of the same resource is not repeated. */
  readonly samePlaceGroup?: string;
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
  if (isImageBuild(type)) {
    // docker.Image: build.args and build.platform; docker-build Image: buildArgs and platforms.
    const dockerBuild = type === DOCKER_BUILD_IMAGE;
    const args = stringMap(dockerBuild ? at(props, ["buildArgs"]) : at(props, ["build", "args"]));
    const platforms = dockerBuild ? at(props, ["platforms"]) : [at(props, ["build", "platform"])];
    const platform = Array.isArray(platforms) && platforms.length === 1 && typeof platforms[0] === "string" ? platforms[0] : undefined;
    if (hasGoSettings(args)) out.push({ where: dockerBuild ? "buildArgs" : "build args", settings: args, ...(platform !== undefined ? { platform } : {}) });
    // The Dockerfile: the effective settings of every `go` run (ENV, ARG with build args applied,
    // export, inline `VAR=… go`, go env -w) and, for a toolchain image, its final stage as a whole
    // build environment. A value equal to the build arg it came from is reported once, as the arg.
    // A multi-platform build is read per platform; the same place with the same settings counts once.
    const seen = new Set<string>();
    for (const df of buildDockerfiles(type, props)) {
      if (df.unreadable !== undefined) continue;
      for (const g of df.facts.goSources) {
        const own = Object.fromEntries(Object.entries(g.settings).filter(([k, v]) => !(k in args) || args[k] !== v));
        if (!hasGoSettings(own) && !g.complete) continue;
        const source: GoSettingsSource = { where: `${df.shown} ${g.where.replace(/^Dockerfile /, "")}`, settings: g.complete ? g.settings : own, samePlaceGroup: df.file, ...(g.complete ? { complete: true } : {}) };
        const key = JSON.stringify([source.where, source.settings]);
        if (!seen.has(key)) out.push(source);
        seen.add(key);
      }
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

// ---------------------------------------------------------------------------------------------
// Stack-level sources: the environment every container really runs with (components/toolchain/
// k8s-env.ts applies the kubelet's rules), resolved against the stack's ConfigMaps and Secrets.

/** A resource as a stack policy receives it (PolicyResource's shape, props behind the unknown-checking proxy). */
export interface StackResource {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: unknown;
}

/**
 * The sentinels @pulumi/policy's deserializer leaves where a value is unknown during preview
 * (@pulumi/policy proxy.js: unknownStringValue, unknownArrayValue, …); its unknown-checking proxy
 * throws when a rule reads one.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/**
 * A plain copy of (proxied) props, every value that is unknown during preview replaced by UNKNOWN,
 * so pure code can walk it without the proxy throwing. The copy is taken from the proxy's target
 * (the deserialized props, `__getSpecialProxyTarget`), which is several times faster than reading
 * every property through the proxy; plain objects are copied as they are. Depth-bounded.
 */
export function plain(value: unknown, depth = 0): unknown {
  if (depth > 64) return undefined;
  if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : value;
  if (value === null || typeof value !== "object") return value;
  let target: unknown;
  try {
    target = (value as Record<string, unknown>).__getSpecialProxyTarget;
  } catch {
    target = undefined;
  }
  const v = target !== undefined && target !== null && typeof target === "object" ? target : value;
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = plain((v as Record<string, unknown>)[k], depth + 1);
  return out;
}

/** The deserialized props behind @pulumi/policy's unknown-checking proxy (or the value itself). */
function proxyTarget(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  let target: unknown;
  try {
    target = (value as Record<string, unknown>).__getSpecialProxyTarget;
  } catch {
    target = undefined;
  }
  return target !== undefined && target !== null && typeof target === "object" ? target : value;
}

/**
 * Deep equality of two deserializations of props: JSON values compared by content. One object seen
 * on both sides is NOT taken as equal: it may have been changed since it was last seen (a caller
 * that reuses and edits its objects), so only two separate copies with equal content count.
 * @pulumi/policy builds every object afresh for each policy, so its copies always qualify.
 */
function sameValue(a: unknown, b: unknown, depth: number): boolean {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (a === b || depth > 256) return false;
  const plainA = Array.isArray(a) || Object.getPrototypeOf(a) === Object.prototype;
  const plainB = Array.isArray(b) || Object.getPrototypeOf(b) === Object.prototype;
  // Assets and archives (the only class instances @pulumi/policy's deserializer makes) hold
  // promises: never equal to another instance, so a stack holding them is simply not shared.
  if (!plainA || !plainB || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], bb[i], depth + 1)) return false;
    return true;
  }
  const ka = Object.keys(a);
  const ob = b as Record<string, unknown>;
  if (ka.length !== Object.keys(ob).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(ob, k) || !sameValue((a as Record<string, unknown>)[k], ob[k], depth + 1)) return false;
  }
  return true;
}

/**
 * Whether two stacks hand the pure readers in this file the same thing: the same resources in the
 * same order, each with the same type, URN, name and deserialized props (read from the proxy's
 * target, as plain() reads them), held in separate objects. Two such stacks read the same, so a
 * result computed from one serves the other. Walks both until the first difference; copies nothing.
 */
export function sameStackContent(a: readonly StackResource[], b: readonly StackResource[]): boolean {
  if (a === b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const ra = a[i];
    const rb = b[i];
    if (ra.type !== rb.type || ra.urn !== rb.urn || ra.name !== rb.name) return false;
    if (!sameValue(proxyTarget(ra.props), proxyTarget(rb.props), 0)) return false;
  }
  return true;
}

/**
 * Pod spec location per workload kind, for every API version pulumi-kubernetes still exposes and
 * their server-side-apply `*Patch` variants (type tokens as in @pulumi/kubernetes).
 */
const POD_TEMPLATE_KINDS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};
const WORKLOAD_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["core/v1"],
  PodTemplate: ["core/v1"],
  ReplicationController: ["core/v1"],
  Deployment: ["apps/v1", "apps/v1beta1", "apps/v1beta2", "extensions/v1beta1"],
  StatefulSet: ["apps/v1", "apps/v1beta1", "apps/v1beta2"],
  DaemonSet: ["apps/v1", "apps/v1beta2", "extensions/v1beta1"],
  ReplicaSet: ["apps/v1", "apps/v1beta2", "extensions/v1beta1"],
  Job: ["batch/v1"],
  CronJob: ["batch/v1", "batch/v1beta1", "batch/v2alpha1"],
};

/** Every workload type token (with `*Patch`) → the path to its pod spec. */
export const WORKLOAD_POD_SPEC: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(WORKLOAD_GROUPS).flatMap(([kind, groups]) => groups.flatMap((g) => [`kubernetes:${g}:${kind}`, `kubernetes:${g}:${kind}Patch`].map((t) => [t, POD_TEMPLATE_KINDS[kind]] as [string, readonly string[]]))),
);

export function isEnvWorkload(type: string): boolean {
  return WORKLOAD_POD_SPEC.has(type);
}

export type ContainerList = "initContainers" | "containers" | "ephemeralContainers";
const CONTAINER_LABEL: Record<ContainerList, string> = { initContainers: "init container", containers: "container", ephemeralContainers: "ephemeral container" };

export interface WorkloadContainer {
  readonly list: ContainerList;
  readonly name: string;
  /** "container \"app\"", "init container \"x\"", "ephemeral container \"debug\"". */
  readonly label: string;
  /** Plain copy (UNKNOWN where unknown). */
  readonly spec: Record<string, unknown>;
}

/** Every container of a workload (plain copies), with the workload's metadata.namespace. */
export function workloadContainers(type: string, props: unknown): { namespace: string | undefined | Unknown; containers: WorkloadContainer[]; plainProps: Record<string, unknown> } {
  const path = WORKLOAD_POD_SPEC.get(type);
  const p = plain(props) as Record<string, unknown>;
  const nsv = at(p, ["metadata", "namespace"]);
  const namespace = nsv === UNKNOWN ? UNKNOWN : typeof nsv === "string" && nsv !== "" ? nsv : undefined;
  const spec = path ? at(p, path) : undefined;
  const out: WorkloadContainer[] = [];
  if (spec && typeof spec === "object") {
    for (const list of ["initContainers", "containers", "ephemeralContainers"] as const) {
      const l = (spec as Record<string, unknown>)[list];
      if (!Array.isArray(l)) continue;
      for (const c of l) {
        if (!c || typeof c !== "object") continue;
        const name = typeof (c as { name?: unknown }).name === "string" ? (c as { name: string }).name : "?";
        out.push({ list, name, label: `${CONTAINER_LABEL[list]} "${name}"`, spec: c as Record<string, unknown> });
      }
    }
  }
  return { namespace, containers: out, plainProps: p };
}

const CONFIG_MAP_TYPES = new Set(["kubernetes:core/v1:ConfigMap", "kubernetes:core/v1:ConfigMapPatch"]);
const SECRET_TYPES = new Set(["kubernetes:core/v1:Secret", "kubernetes:core/v1:SecretPatch"]);
/**
 * Components whose Kubernetes objects the provider builds from files when it runs (kustomize's build
 * of a directory). Under the engine they are registered as the component's children and judged like
 * any other object; the offline run runs no provider, so a component without children in the stack
 * fails closed: whatever Go settings its workloads carry cannot be judged.
 */
const RENDERED_BY_PROVIDER = new Set(["kubernetes:kustomize/v2:Directory", "kubernetes:kustomize:Directory"]);

/** The stack's ConfigMaps and Secrets as the kubelet would find them (a *Patch is partial: the live object may hold more keys). */
export function envObjects(resources: readonly StackResource[]): EnvObject[] {
  const out: EnvObject[] = [];
  for (const r of resources) {
    const cm = CONFIG_MAP_TYPES.has(r.type);
    if (!cm && !SECRET_TYPES.has(r.type)) continue;
    const p = plain(r.props) as Record<string, unknown>;
    const name = at(p, ["metadata", "name"]);
    const ns = at(p, ["metadata", "namespace"]);
    // An auto-named object (no metadata.name) cannot be referenced by a literal name; a reference
    // to its name output is unknown in this harness and resolved elsewhere as unresolved.
    if (typeof name !== "string") continue;
    const rawData = p.data;
    const data: Record<string, string | Unknown> = cm
      ? Object.fromEntries(Object.entries(rawData && typeof rawData === "object" ? (rawData as Record<string, unknown>) : {}).filter(([, v]) => typeof v === "string" || v === UNKNOWN) as Array<[string, string | Unknown]>)
      : secretData(rawData, p.stringData);
    const partial = r.type.endsWith("Patch") || rawData === UNKNOWN || p.stringData === UNKNOWN || ns === UNKNOWN;
    out.push({ kind: cm ? "ConfigMap" : "Secret", namespace: typeof ns === "string" && ns !== "" ? ns : undefined, name, data, id: r.urn, ...(partial ? { partial: true } : {}) });
  }
  return out;
}

export interface ResolvedContainer {
  readonly workload: StackResource;
  /** The workload's props, plain (UNKNOWN where unknown). */
  readonly workloadProps: Record<string, unknown>;
  readonly container: WorkloadContainer;
  readonly env: ContainerEnv;
}

/** Every container of every workload in the stack, with its environment resolved. */
export function resolvedContainers(resources: readonly StackResource[], objects: readonly EnvObject[] = envObjects(resources)): ResolvedContainer[] {
  const out: ResolvedContainer[] = [];
  for (const r of resources) {
    if (!isEnvWorkload(r.type)) continue;
    const w = workloadContainers(r.type, r.props);
    for (const c of w.containers) {
      let env: ContainerEnv;
      if (w.namespace === UNKNOWN) {
        // Without the namespace no reference can be looked up: only literal values stay known.
        const e = resolveContainerEnv(c.spec, undefined, { objects: [] });
        env = { ...e, vars: e.vars.map((v) => (v.from.kind === "literal" && !v.expanded ? v : { ...v, value: undefined, unresolved: v.unresolved ?? "the workload's namespace is not known during preview" })) };
      } else env = resolveContainerEnv(c.spec, w.namespace, { objects });
      out.push({ workload: r, workloadProps: w.plainProps, container: c, env });
    }
  }
  return out;
}

/** The stack's ConfigMaps/Secrets and every container's resolved environment, computed once per evaluation. */
export interface StackEnv {
  readonly objects: readonly EnvObject[];
  readonly containers: readonly ResolvedContainer[];
}
export function stackEnv(resources: readonly StackResource[]): StackEnv {
  const objects = envObjects(resources);
  return { objects, containers: resolvedContainers(resources, objects) };
}

/** A Go-settings source placed on the resource that reports it. */
export interface StackGoSource extends GoSettingsSource {
  readonly urn: string;
  readonly name: string;
  /** Setting → where its value comes from, when not a literal on the reporting resource. */
  readonly provenance?: Readonly<Record<string, string>>;
  /** Go settings (or whole envFrom sources: setting "envFrom") whose values cannot be known offline. */
  readonly unresolved?: ReadonlyArray<{ setting: string; reason: string }>;
  /**
   * Report only findings a complete environment adds (settings the object leaves unset, G8): the
   * object's own values are reported on the workloads that consume it.
   */
  readonly onlyComplete?: boolean;
  /**
   * Settings whose value (or part of it) comes from a Secret: their findings never quote the value
   * (a report is read by people who may not read the Secret); `true` for every setting.
   */
  readonly secret?: true | ReadonlySet<string>;
}

/** A provenance (describeProvenance, or Athens' `… in Secret ns/name key k`) that takes a value from a Secret. */
export function fromSecret(provenance: string | undefined): boolean {
  return provenance !== undefined && /(^|[\s(;,])(from )?Secret [^\s/]+\/[^\s]+ key /.test(provenance);
}

const GO_NAMES = new Set<string>(GO_SETTINGS);

function isPublishedGoEnv(props: Record<string, unknown>): boolean {
  const md = (props.metadata ?? {}) as { name?: unknown; labels?: Record<string, unknown> };
  return md.name === "go-env" || (md.labels !== null && typeof md.labels === "object" && md.labels?.["goguard.dev/go-env"] === "true");
}

/**
 * Every Go-settings source of the stack, each placed where it is reported (the split between
 * resource and stack judging, decided once here):
 * - docker.Image: its build args and Dockerfile, on the image.
 * - Workloads: each container's environment as the kubelet resolves it (envFrom, valueFrom,
 *   $(VAR)), on the workload, naming where each value comes from; references that cannot be
 *   resolved offline are listed as unresolved.
 * - ConfigMaps/Secrets that no workload of the stack consumes: their data, on the object itself.
 *   A consumed one is judged through its consumers (no double report), except that a published
 *   go-env ConfigMap is also judged as a complete build environment for what only that adds
 *   (Go's defaults for settings it leaves unset, release flags), on the ConfigMap.
 */
export function stackGoSources(resources: readonly StackResource[], pre: StackEnv = stackEnv(resources)): StackGoSource[] {
  const { objects, containers: resolved } = pre;
  const consumed = new Set<string>();
  // Consumed: referenced by a container of the stack, even where a later entry overrides every
  // value it gives (the workload then runs with the override, which is what is judged).
  for (const rc of resolved) for (const id of rc.env.consulted) consumed.add(id);
  const byWorkload = new Map<string, ResolvedContainer[]>();
  for (const rc of resolved) {
    const list = byWorkload.get(rc.workload.urn);
    if (list) list.push(rc);
    else byWorkload.set(rc.workload.urn, [rc]);
  }
  // The first object with each URN (what a search from the front finds), looked up in constant
  // time: a search per ConfigMap made this quadratic in the stack's size.
  const objectById = new Map<string, EnvObject>();
  for (const o of objects) if (o.id !== undefined && !objectById.has(o.id)) objectById.set(o.id, o);
  const out: StackGoSource[] = [];
  for (const r of resources) {
    if (isImageBuild(r.type)) {
      for (const s of known(() => goSettingsSources(r.type, r.props)) ?? []) out.push({ ...s, urn: r.urn, name: r.name });
    } else if (CONFIG_MAP_TYPES.has(r.type) || SECRET_TYPES.has(r.type)) {
      const obj = objectById.get(r.urn);
      const p = plain(r.props) as Record<string, unknown>;
      const data = obj ? obj.data : CONFIG_MAP_TYPES.has(r.type) ? ((p.data ?? {}) as Record<string, unknown>) : secretData(p.data, p.stringData);
      const settings = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === "string")) as Record<string, string>;
      if (!hasGoSettings(settings)) continue;
      const published = CONFIG_MAP_TYPES.has(r.type) && isPublishedGoEnv(p);
      if (consumed.has(r.urn) && !published) continue;
      out.push({ where: "data", settings, urn: r.urn, name: r.name, ...(published ? { complete: true } : {}), ...(consumed.has(r.urn) ? { onlyComplete: true } : {}), ...(SECRET_TYPES.has(r.type) ? { secret: true as const } : {}) });
    } else if (RENDERED_BY_PROVIDER.has(r.type) && !hasChildren(r, resources)) {
      const dir = (plain(r.props) as Record<string, unknown>).directory;
      const where = `kustomize directory ${typeof dir === "string" ? dir : "(not known during preview)"}`;
      out.push({ where, settings: {}, urn: r.urn, name: r.name, unresolved: [{ setting: "manifests", reason: "kustomize builds them when the Kubernetes provider runs, and none of them is in the stack" }] });
    } else if (isEnvWorkload(r.type)) {
      for (const rc of byWorkload.get(r.urn) ?? []) {
        const settings: Record<string, string> = {};
        const provenance: Record<string, string> = {};
        const unresolved: Array<{ setting: string; reason: string }> = [];
        for (const v of rc.env.vars) {
          if (v.unresolved !== undefined) {
            if (GO_NAMES.has(v.name) || v.name === "ATHENS_GO_BINARY_ENV_VARS") unresolved.push({ setting: v.name, reason: v.unresolved });
            continue;
          }
          settings[v.name] = v.value!;
          const d = describeProvenance(v);
          if (d) provenance[v.name] = d;
        }
        for (const s of rc.env.unresolvedSources) unresolved.push({ setting: "envFrom", reason: s.reason });
        const goOnly = Object.fromEntries(Object.entries(settings).filter(([k]) => GO_NAMES.has(k)));
        const secret = new Set(Object.keys(goOnly).filter((k) => fromSecret(provenance[k])));
        if (hasGoSettings(goOnly) || unresolved.length > 0) out.push({ where: `${rc.container.label} env`, settings: goOnly, urn: r.urn, name: r.name, provenance, unresolved, ...(secret.size > 0 ? { secret } : {}) });
        for (const c of commandGoSources(rc, settings)) out.push({ ...c, urn: r.urn, name: r.name });
        const athens = settings.ATHENS_GO_BINARY_ENV_VARS;
        if (athens !== undefined) {
          const from = provenance.ATHENS_GO_BINARY_ENV_VARS;
          out.push({ where: `${rc.container.label} ATHENS_GO_BINARY_ENV_VARS${from ? ` (${from})` : ""}`, settings: parseSemicolonEnv(athens), role: "upstream", urn: r.urn, name: r.name, ...(fromSecret(from) ? { secret: true as const } : {}) });
        }
      }
    }
  }
  return out;
}

/**
 * Go settings a container's own command gives the go it runs (`sh -c "GOSUMDB=off go mod download"`,
 * `env GOFLAGS=-mod=mod go build`), read as the Dockerfile reader reads a RUN: only the settings the
 * command changes from the container's environment (that environment is judged on its own). The
 * command is `command` then `args`; with `args` alone the image's entrypoint runs them, unknown here.
 */
function commandGoSources(rc: ResolvedContainer, env: Readonly<Record<string, string>>): GoSettingsSource[] {
  const command = rc.container.spec.command;
  const args = rc.container.spec.args ?? [];
  if (!Array.isArray(command) || command.length === 0 || !Array.isArray(args)) return [];
  const argv = [...command, ...args];
  if (!argv.every((a): a is string => typeof a === "string")) return [];
  const ev = newEvents();
  analyzeExec(argv, 0, "command", ev, { exported: varMap(env), vars: varMap(env), goEnvFile: varMap(), errexit: false });
  const out: GoSettingsSource[] = [];
  for (const run of ev.goRuns) {
    const changed = Object.fromEntries(Object.entries(run.settings).filter(([k, v]) => GO_NAMES.has(k) && env[k] !== v));
    if (hasGoSettings(changed)) out.push({ where: `${rc.container.label} command (${run.command})`, settings: changed, samePlaceGroup: `${rc.container.label} command` });
  }
  return out;
}

/** Whether the stack holds a child of `r` (its URN's type chain names r's type, `<name>:…` its name). */
function hasChildren(r: StackResource, resources: readonly StackResource[]): boolean {
  return resources.some((c) => c.urn !== r.urn && c.name.startsWith(`${r.name}:`) && (c.urn.split("::")[2] ?? "").split("$").slice(0, -1).includes(r.type));
}

/** A workload's pod spec (plain copy), or undefined. */
export function workloadPodSpec(type: string, props: unknown): Record<string, unknown> | undefined {
  const path = WORKLOAD_POD_SPEC.get(type);
  const s = path ? at(plain(props), path) : undefined;
  return s && typeof s === "object" && !Array.isArray(s) ? (s as Record<string, unknown>) : undefined;
}
