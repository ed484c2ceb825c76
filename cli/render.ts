// What a stack would deploy, from the offline run (pure): Kubernetes objects as YAML documents, the
// Dockerfiles docker.Image resources build, and a summary.
import { stringify } from "yaml";
import { CapturedResource, StackResult } from "./harness/types";
import { isOk } from "./report";
import { SECRET_SIG, SIG_KEY, toDisplay } from "./harness/wire";

export interface RenderedFile {
  readonly path: string;
  readonly text: string;
}

/** `kubernetes:apps/v1:Deployment` → { apiVersion: "apps/v1", kind: "Deployment" }. */
export function kubernetesKind(type: string): { apiVersion: string; kind: string } | undefined {
  const m = /^kubernetes:([a-z0-9.]+)\/([a-z0-9]+):([A-Za-z]+)$/.exec(type);
  if (!m) return undefined;
  return { apiVersion: m[1] === "core" ? m[2] : `${m[1]}/${m[2]}`, kind: m[3] };
}

const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "CustomResourceDefinition", "PriorityClass"]);

function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** What a rendered Secret holds in place of each value: base64 of "[redacted]", so the manifest stays valid. */
export const REDACTED_SECRET_VALUE = Buffer.from("[redacted]", "utf8").toString("base64");

/** The keys of a Secret's data/stringData as captured: plain maps, or maps the provider wrapped whole as secret. */
function secretDataKeys(v: unknown): string[] {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return [];
  const obj = v as Record<string, unknown>;
  if (obj[SIG_KEY] === SECRET_SIG) return secretDataKeys(obj.value);
  return Object.keys(obj).filter((k) => !k.startsWith("__"));
}

/**
 * A Secret as render writes it: every value of data and stringData replaced by base64("[redacted]")
 * under `data` (keys kept, so volume items and secretKeyRefs still resolve), never a value, whether
 * or not it was marked secret: a Secret's values are credentials by definition.
 */
function redactSecret(inputs: Record<string, unknown>, props: Record<string, unknown>): Record<string, unknown> {
  const keys = [...new Set([...secretDataKeys(inputs.data), ...secretDataKeys(inputs.stringData)])].sort();
  const { data: _d, stringData: _s, ...rest } = props;
  void _d;
  void _s;
  return { ...rest, data: Object.fromEntries(keys.map((k) => [k, REDACTED_SECRET_VALUE])) };
}

export function kubernetesObject(r: CapturedResource): Record<string, unknown> | undefined {
  const k = kubernetesKind(r.type);
  if (!k) return undefined;
  const shown = toDisplay(r.inputs) as Record<string, unknown>;
  const props = k.kind === "Secret" ? redactSecret(r.inputs as Record<string, unknown>, shown) : shown;
  const metadata = { ...((props.metadata as Record<string, unknown>) ?? {}) };
  // The provider auto-names objects without metadata.name (name + random suffix) at deploy time.
  if (metadata.name === undefined) metadata.name = r.name;
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = props;
  void _a;
  void _k;
  void _m;
  return { apiVersion: k.apiVersion, kind: k.kind, metadata, ...rest };
}

export function renderStack(result: StackResult, dockerfiles: ReadonlyMap<string, string>): RenderedFile[] {
  const files: RenderedFile[] = [];
  const captured = result.captured ?? [];
  const seen = new Set<string>();
  for (const r of captured) {
    const obj = kubernetesObject(r);
    if (!obj) continue;
    const md = obj.metadata as { name: string; namespace?: string };
    const scope = CLUSTER_SCOPED.has(String(obj.kind)) ? "" : `${md.namespace ?? "default"}-`;
    let p = `kubernetes/${fileSafe(`${String(obj.kind).toLowerCase()}-${scope}${md.name}`)}.yaml`;
    for (let i = 2; seen.has(p); i++) p = p.replace(/(-\d+)?\.yaml$/, `-${i}.yaml`);
    seen.add(p);
    // YAML 1.1 quoting: kubectl's parser reads an unquoted off/yes/no as a boolean.
    files.push({ path: p, text: stringify(obj, { version: "1.1", sortMapEntries: false, lineWidth: 0, aliasDuplicateObjects: false }) });
  }
  for (const [name, text] of [...dockerfiles.entries()].sort()) files.push({ path: `dockerfiles/${fileSafe(name)}.Dockerfile`, text });
  const images = captured
    .filter((r) => r.type === "docker:index/image:Image" || r.type === "docker-build:index:Image")
    .map((r) =>
      r.type === "docker:index/image:Image"
        ? { name: r.name, imageName: toDisplay(r.inputs.imageName), buildArgs: toDisplay((r.inputs.build as Record<string, unknown> | undefined)?.args ?? {}) }
        : { name: r.name, tags: toDisplay(r.inputs.tags ?? []), platforms: toDisplay(r.inputs.platforms ?? []), buildArgs: toDisplay(r.inputs.buildArgs ?? {}) },
    );
  const summary = {
    stack: result.stack,
    ok: isOk([result]),
    error: result.error,
    resources: captured.map((r) => ({ type: r.type, name: r.name, urn: r.urn, protect: r.options.protect, retainOnDelete: r.options.retainOnDelete })),
    outputs: toDisplay(result.stackOutputs ?? {}),
    images,
    violations: result.violations.map((v) => ({ policyName: v.policyName, enforcementLevel: v.enforcementLevel, urn: v.urn, message: v.message })),
  };
  files.push({ path: "summary.json", text: JSON.stringify(summary, null, 2) + "\n" });
  return files;
}
