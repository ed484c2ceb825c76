// A Kubernetes container's environment as the kubelet builds it (pure). Shared by the policy pack
// (which judges the Go settings a workload really runs with) and the components.
//
// The kubelet's rules (pkg/kubelet/kubelet_pods.go, makeEnvironmentVariables; third_party/forked/
// golang/expansion/expand.go), in the order it applies them:
//   1. `envFrom` entries in order; each ConfigMap's `data` / Secret's `data` key, prefixed with
//      `prefix`, becomes a variable; a later entry overrides an earlier one. A key that is not a
//      valid variable name after prefixing is skipped (an event is recorded, the pod still starts).
//      A missing object fails the pod unless `optional: true`, which skips it.
//   2. `env` entries in order, overriding envFrom and earlier entries. `value` is expanded:
//      `$(NAME)` takes a variable defined before this entry (envFrom included), `$$` is a literal
//      `$`, a reference to an undefined name stays as written. `valueFrom` values are never
//      expanded. A `configMapKeyRef`/`secretKeyRef` to a missing object or key fails the pod unless
//      `optional: true`, which leaves the variable unset.
// Secrets: the API server merges `stringData` into `data` (stringData wins); `data` is base64.
//
// Namespaces: a reference is looked up in the pod's namespace. A workload or ConfigMap without
// metadata.namespace lands in the Kubernetes provider's default namespace, which is "default" only
// when the provider (or kubeconfig context) does not say otherwise; so an object without a namespace
// and one that says "default" explicitly are not known to be in the same namespace: such a lookup is
// unresolved rather than trusted.

/** A value that could not be known during preview (an output of another resource). */
export const UNKNOWN: unique symbol = Symbol.for("goguard.k8s-env.unknown");
export type Unknown = typeof UNKNOWN;

export interface EnvObject {
  readonly kind: "ConfigMap" | "Secret";
  /** undefined: no metadata.namespace (the provider's default namespace). */
  readonly namespace: string | undefined;
  readonly name: string;
  /** Plain string values (Secrets already decoded); UNKNOWN where a value is not known. */
  readonly data: Readonly<Record<string, string | Unknown>>;
  /** The object's content is not fully known (a *Patch, or data unknown in preview): absent keys are unresolved, not missing. */
  readonly partial?: boolean;
  /** How the stack refers to the object (a URN) for messages and reporting. */
  readonly id?: string;
}

export type Provenance =
  | { readonly kind: "literal" }
  | { readonly kind: "ConfigMap" | "Secret"; readonly via: "envFrom" | "valueFrom"; readonly namespace: string; readonly name: string; readonly key: string; readonly prefix?: string; readonly id?: string }
  | { readonly kind: "fieldRef"; readonly path: string }
  | { readonly kind: "resourceFieldRef"; readonly resource: string };

export interface EnvVar {
  readonly name: string;
  /** undefined when unresolved. */
  readonly value: string | undefined;
  readonly from: Provenance;
  /**
   * The value as written, when it holds `$(…)` references, the names referenced, and where each
   * referenced variable that resolved took its own value from (for messages).
   */
  readonly expanded?: { readonly written: string; readonly refs: readonly string[]; readonly sources?: readonly string[] };
  /** Why the value cannot be known offline. */
  readonly unresolved?: string;
}

/** A source whose keys cannot be known (an envFrom object outside the stack): any variable may come from it. */
export interface UnresolvedSource {
  readonly kind: "ConfigMap" | "Secret";
  readonly ref: string;
  readonly reason: string;
}

export interface ContainerEnv {
  /** Variables in the order the kubelet defines them (first definition's position), final values. */
  readonly vars: readonly EnvVar[];
  readonly unresolvedSources: readonly UnresolvedSource[];
  /** Keys the kubelet skips as invalid variable names (`envFrom` objects). */
  readonly skippedKeys: readonly string[];
  /** Ids of the stack's objects the container references (envFrom or valueFrom), whether or not a later entry overrides their values. */
  readonly consulted: readonly string[];
}

export interface EnvLookup {
  /** The stack's ConfigMaps and Secrets. */
  readonly objects: readonly EnvObject[];
  /**
   * The objects are every ConfigMap and Secret the pod's namespace will hold, so an absent one is
   * absent (the kubelet's `optional` rules apply). A stack is never that: an object it does not
   * create may still exist in the cluster, so an absent reference is unresolved, optional or not.
   * @default false
   */
  readonly complete?: boolean;
}

/**
 * Kubernetes' IsEnvVarName (apimachinery validation): `[-._a-zA-Z][-._a-zA-Z0-9]*`. Kubernetes
 * 1.32+ with RelaxedEnvironmentVariableValidation accepts more (any printable ASCII but `=`);
 * every Go setting is valid under both, so the classic rule only decides which odd keys disappear.
 */
export function isEnvVarName(name: string): boolean {
  return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name);
}

/**
 * Kubernetes' expansion.Expand: `$(NAME)` → mapping(NAME) (left as written when undefined), `$$` →
 * `$`, `$` before anything else stays, an unclosed `$(` stays. Returns the names referenced.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): { value: string; refs: string[] } {
  let out = "";
  const refs: string[] = [];
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== "$" || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === "$") {
      out += "$";
    } else if (next === "(") {
      const close = input.indexOf(")", cursor + 2);
      if (close < 0) {
        out += "$(";
      } else {
        const name = input.slice(cursor + 2, close);
        const v = lookup(name);
        refs.push(name);
        out += v === undefined ? `$(${name})` : v;
        advance = close - cursor;
      }
    } else {
      out += "$" + next;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return { value: out + input.slice(checkpoint), refs };
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | Unknown | undefined => (v === UNKNOWN ? UNKNOWN : typeof v === "string" ? v : undefined);

type Found = { obj: EnvObject } | { unresolved: string } | { missing: true };

// kind + name → the objects of that kind and name, in the list's order, built once per object list
// (a stack's list is shared by every container of every workload: filtering it per reference made
// resolving a stack quadratic). Keyed on the list itself, so a different list never sees another's
// index (and one whose length changed since is indexed again, should a caller append to it).
const byName = new WeakMap<readonly EnvObject[], { length: number; index: Map<string, EnvObject[]> }>();
function objectsNamed(objects: readonly EnvObject[], kind: string, name: string): readonly EnvObject[] {
  let entry = byName.get(objects);
  if (!entry || entry.length !== objects.length) {
    const index = new Map<string, EnvObject[]>();
    for (const o of objects) {
      const key = `${o.kind}\u0000${o.name}`;
      const list = index.get(key);
      if (list) list.push(o);
      else index.set(key, [o]);
    }
    entry = { length: objects.length, index };
    byName.set(objects, entry);
  }
  return entry.index.get(`${kind}\u0000${name}`) ?? [];
}

/** Finds a ConfigMap/Secret the way the kubelet does: by name in the pod's namespace. */
export function findObject(kind: "ConfigMap" | "Secret", name: unknown, podNamespace: string | undefined, lookup: EnvLookup): Found {
  if (name === UNKNOWN) return { unresolved: `the ${kind} name is not known during preview` };
  if (typeof name !== "string" || name === "") return { unresolved: `the ${kind} reference has no name` };
  const podNs = podNamespace ?? "default";
  const same = objectsNamed(lookup.objects, kind, name);
  const exact = same.find((o) => o.namespace === podNamespace);
  if (exact) return { obj: exact };
  // One side relies on the provider's default namespace, the other says "default": that holds only
  // when the provider's default namespace is "default", which the program does not show.
  const maybe = same.find((o) => (o.namespace ?? "default") === podNs);
  if (maybe) return { unresolved: `${kind} ${podNs}/${name} is in the stack, but one side names namespace "default" and the other relies on the provider's default namespace` };
  return { missing: true };
}

function refLabel(kind: string, ns: string | undefined, name: unknown): string {
  return `${kind} ${ns ?? "default"}/${name === UNKNOWN ? "(unknown)" : String(name)}`;
}

/**
 * The environment of one container (`container` is the raw container object: env, envFrom).
 * `podNamespace`: the workload's metadata.namespace (undefined when unset).
 */
export function resolveContainerEnv(container: unknown, podNamespace: string | undefined, lookup: EnvLookup): ContainerEnv {
  const vars = new Map<string, EnvVar>();
  const unresolvedSources: UnresolvedSource[] = [];
  const skippedKeys: string[] = [];
  const consulted = new Set<string>();
  const c = isObj(container) ? container : {};
  const ns = podNamespace ?? "default";
  const set = (v: EnvVar): void => {
    vars.delete(v.name);
    vars.set(v.name, v);
  };

  const envFrom = c.envFrom === UNKNOWN ? UNKNOWN : Array.isArray(c.envFrom) ? c.envFrom : [];
  if (envFrom === UNKNOWN) unresolvedSources.push({ kind: "ConfigMap", ref: "envFrom", reason: "envFrom is not known during preview" });
  else {
    for (const entry of envFrom) {
      if (!isObj(entry)) continue;
      const prefix = str(entry.prefix);
      for (const kind of ["ConfigMap", "Secret"] as const) {
        const ref = entry[kind === "ConfigMap" ? "configMapRef" : "secretRef"];
        if (ref === undefined) continue;
        if (prefix === UNKNOWN) {
          unresolvedSources.push({ kind, ref: "envFrom prefix", reason: "the envFrom prefix is not known during preview" });
          continue;
        }
        const r = isObj(ref) ? ref : {};
        const label = refLabel(kind, podNamespace, r.name);
        const found = ref === UNKNOWN ? { unresolved: `the ${kind} reference is not known during preview` } : findObject(kind, r.name, podNamespace, lookup);
        if ("missing" in found) {
          // Absent for certain: optional → skipped, otherwise the pod does not start. Absent from the
          // stack only: it may exist in the cluster, with keys nobody here can see.
          if (!lookup.complete) unresolvedSources.push({ kind, ref: label, reason: `${label} is not part of this stack${r.optional === true ? " (optional: used when it exists in the cluster)" : ""}` });
          continue;
        }
        if ("unresolved" in found) {
          unresolvedSources.push({ kind, ref: label, reason: found.unresolved });
          continue;
        }
        if (found.obj.id) consulted.add(found.obj.id);
        if (found.obj.partial) unresolvedSources.push({ kind, ref: label, reason: `${label} is only partly known (a patch or values unknown during preview)` });
        for (const key of Object.keys(found.obj.data).sort()) {
          const name = (prefix ?? "") + key;
          if (!isEnvVarName(name)) {
            skippedKeys.push(name);
            continue;
          }
          const v = found.obj.data[key];
          const from: Provenance = { kind, via: "envFrom", namespace: found.obj.namespace ?? ns, name: found.obj.name, key, ...(prefix ? { prefix } : {}), ...(found.obj.id ? { id: found.obj.id } : {}) };
          set(v === UNKNOWN ? { name, value: undefined, from, unresolved: `${kind} ${ns}/${found.obj.name} key ${key} is not known during preview` } : { name, value: v, from });
        }
      }
    }
  }

  const env = c.env === UNKNOWN ? UNKNOWN : Array.isArray(c.env) ? c.env : [];
  if (env === UNKNOWN) unresolvedSources.push({ kind: "ConfigMap", ref: "env", reason: "env is not known during preview" });
  else {
    for (const e of env) {
      if (!isObj(e) || typeof e.name !== "string") continue;
      const name = e.name;
      const value = str(e.value);
      if (value === UNKNOWN) {
        set({ name, value: undefined, from: { kind: "literal" }, unresolved: "the value is not known during preview" });
        continue;
      }
      if (value !== undefined && value !== "") {
        const current = (n: string): string | undefined => vars.get(n)?.value;
        const x = expand(value, current);
        const pending = x.refs.filter((n) => vars.get(n)?.unresolved !== undefined);
        if (pending.length > 0) {
          set({ name, value: undefined, from: { kind: "literal" }, expanded: { written: value, refs: x.refs }, unresolved: `it takes $(${pending[0]}), which cannot be resolved: ${vars.get(pending[0])!.unresolved}` });
        } else {
          const sources = [...new Set(x.refs)].flatMap((n) => {
            const ref = vars.get(n);
            const d = ref ? describeProvenance(ref) : "";
            return d ? [`${n} ${d}`] : [];
          });
          set({ name, value: x.value, from: { kind: "literal" }, ...(x.value !== value || x.refs.length > 0 ? { expanded: { written: value, refs: x.refs, ...(sources.length > 0 ? { sources } : {}) } } : {}) });
        }
        continue;
      }
      const vf = e.valueFrom;
      if (vf === UNKNOWN) {
        set({ name, value: undefined, from: { kind: "literal" }, unresolved: "valueFrom is not known during preview" });
        continue;
      }
      if (!isObj(vf)) {
        set({ name, value: "", from: { kind: "literal" } });
        continue;
      }
      if (vf.fieldRef !== undefined) {
        const p = isObj(vf.fieldRef) ? str(vf.fieldRef.fieldPath) : undefined;
        set({ name, value: undefined, from: { kind: "fieldRef", path: typeof p === "string" ? p : "?" }, unresolved: `fieldRef ${typeof p === "string" ? p : "?"} is known only in the running pod` });
        continue;
      }
      if (vf.resourceFieldRef !== undefined) {
        const r = isObj(vf.resourceFieldRef) ? str(vf.resourceFieldRef.resource) : undefined;
        set({ name, value: undefined, from: { kind: "resourceFieldRef", resource: typeof r === "string" ? r : "?" }, unresolved: `resourceFieldRef ${typeof r === "string" ? r : "?"} is known only in the running pod` });
        continue;
      }
      for (const kind of ["ConfigMap", "Secret"] as const) {
        const ref = vf[kind === "ConfigMap" ? "configMapKeyRef" : "secretKeyRef"];
        if (ref === undefined) continue;
        const r = isObj(ref) ? ref : {};
        const key = str(r.key);
        const label = refLabel(kind, podNamespace, r.name);
        const keyText = typeof key === "string" ? key : "(unknown)";
        const base = { kind, via: "valueFrom" as const, namespace: ns, name: typeof r.name === "string" ? r.name : "(unknown)", key: keyText };
        const found = ref === UNKNOWN ? { unresolved: `the ${kind} reference is not known during preview` } : findObject(kind, r.name, podNamespace, lookup);
        if ("missing" in found) {
          // Known absent and optional: the kubelet skips the entry (an earlier definition stays).
          if (!lookup.complete) set({ name, value: undefined, from: base, unresolved: `${label} is not part of this stack${r.optional === true ? " (optional: used when it exists in the cluster)" : ""}` });
          else if (r.optional !== true) set({ name, value: undefined, from: base, unresolved: `${label} does not exist (the pod will not start)` });
          break;
        }
        if ("unresolved" in found) {
          set({ name, value: undefined, from: base, unresolved: found.unresolved });
          break;
        }
        if (found.obj.id) consulted.add(found.obj.id);
        const from: Provenance = { ...base, namespace: found.obj.namespace ?? ns, ...(found.obj.id ? { id: found.obj.id } : {}) };
        if (typeof key !== "string") {
          set({ name, value: undefined, from, unresolved: `the key of ${label} is not known during preview` });
          break;
        }
        const v = found.obj.data[key];
        if (v === UNKNOWN) set({ name, value: undefined, from, unresolved: `${label} key ${key} is not known during preview` });
        else if (v !== undefined) set({ name, value: v, from });
        else if (found.obj.partial) set({ name, value: undefined, from, unresolved: `${label} is only partly known and may hold key ${key}` });
        else if (r.optional !== true) set({ name, value: undefined, from, unresolved: `${label} has no key ${key} (the pod will not start)` });
        // optional and no such key: skipped, an earlier definition stays
        break;
      }
    }
  }
  return { vars: [...vars.values()], unresolvedSources, skippedKeys, consulted: [...consulted] };
}

/**
 * Where a variable's value comes from, for messages: `from ConfigMap builds/go-env key GOSUMDB`,
 * `expanded from $(CHOICE)`, both joined by ", "; "" for a literal value.
 */
export function describeProvenance(v: EnvVar): string {
  const f = v.from;
  let s: string;
  switch (f.kind) {
    case "literal":
      s = "";
      break;
    case "ConfigMap":
    case "Secret":
      s = `from ${f.kind} ${f.namespace}/${f.name} key ${f.key}${f.prefix ? ` with prefix ${f.prefix}` : ""}`;
      break;
    case "fieldRef":
      s = `from fieldRef ${f.path}`;
      break;
    case "resourceFieldRef":
      s = `from resourceFieldRef ${f.resource}`;
      break;
    default: {
      const never: never = f;
      throw new Error(`unknown provenance ${JSON.stringify(never)}`);
    }
  }
  if (v.expanded && v.expanded.refs.length > 0) {
    const e = `expanded from ${v.expanded.written}${v.expanded.sources && v.expanded.sources.length > 0 ? ` (${v.expanded.sources.join("; ")})` : ""}`;
    s = s ? `${s}, ${e}` : e;
  }
  return s;
}

/** Decodes a Secret's `data` (base64) and merges `stringData` over it, as the API server does. */
export function secretData(data: unknown, stringData: unknown): Record<string, string | Unknown> {
  const out: Record<string, string | Unknown> = {};
  if (isObj(data)) {
    for (const [k, v] of Object.entries(data)) {
      if (v === UNKNOWN) out[k] = UNKNOWN;
      else if (typeof v === "string") out[k] = Buffer.from(v, "base64").toString("utf8");
    }
  }
  if (isObj(stringData)) for (const [k, v] of Object.entries(stringData)) if (v === UNKNOWN || typeof v === "string") out[k] = v as string | Unknown;
  return out;
}
