// Drift between a deployed stack and the lock (pure): the deployed stack's outputs, as
// `pulumi stack output --json --show-secrets=false` prints them, against the outputs the stack
// program produces now from the lock and the stack's settings (run offline by `goguard drift`, the
// program's own resolution, not a copy of it), plus the builder images against the digests the lock
// records for their repository.
//
// A value the file hides (`"[secret]"`) cannot be compared, so it is reported, never passed.

import { EnvironmentName, jsonPath, showValue, ToolchainLock } from "../components/toolchain/lock";
import { parseImageRef } from "../components/toolchain/image-ref";

/** What `pulumi stack output --show-secrets=false` prints in place of a secret value. */
export const HIDDEN = "[secret]";
/** What the offline run shows for a value only known after apply (toDisplay). */
export const UNKNOWN_AFTER_APPLY = "(known after apply)";

type Shape = "string" | "strings" | "map" | "archives";

/**
 * The outputs stacks/index.ts exports and the shape each has in `pulumi stack output --json`.
 * test/cli/drift.test.ts checks this list equals the names the program exports.
 */
export const OUTPUT_SHAPES: Readonly<Record<string, Shape>> = {
  environment: "string",
  goVersion: "string",
  goToolchain: "string",
  allowedGoVersions: "strings",
  platforms: "strings",
  archives: "archives",
  builderImages: "map",
  publishedGoEnv: "map",
  proxyUrl: "string",
};

export interface DeployedArchive {
  readonly platform: string;
  readonly filename: string;
  readonly sha256: string;
  readonly url: string;
}

/** The outputs file, its known outputs checked for shape (a hidden value stays the string "[secret]"). */
export type DeployedOutputs = Readonly<Record<string, unknown>>;

/** A malformed outputs file: the JSON path, what is there and what should be. */
export class DriftInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DriftInputError";
  }
}

function fail(segments: readonly (string | number)[], value: unknown, want: string): never {
  throw new DriftInputError(`${jsonPath(segments)}: ${showValue(value)} must be ${want}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function checkShape(name: string, value: unknown, shape: Shape): void {
  if (value === HIDDEN) return;
  switch (shape) {
    case "string":
      if (typeof value !== "string") fail([name], value, "a string");
      return;
    case "strings":
      if (!Array.isArray(value)) fail([name], value, "a list of strings");
      (value as unknown[]).forEach((v, i) => typeof v === "string" || fail([name, i], v, "a string"));
      return;
    case "map":
      if (!isObject(value)) fail([name], value, "an object of strings");
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v !== "string") fail([name, k], v, "a string");
      return;
    case "archives": {
      if (!Array.isArray(value)) fail([name], value, "a list of {platform, filename, sha256, url} objects");
      const seen = new Set<string>();
      (value as unknown[]).forEach((a, i) => {
        if (a === HIDDEN) return;
        if (!isObject(a)) fail([name, i], a, "an object with platform, filename, sha256 and url");
        for (const k of ["platform", "filename", "sha256", "url"]) if (typeof a[k] !== "string") fail([name, i, k], a[k], "a string");
        const p = a.platform as string;
        if (seen.has(p)) fail([name, i, "platform"], p, "a platform listed once");
        seen.add(p);
      });
      return;
    }
    default: {
      const never: never = shape;
      throw new Error(`unhandled shape ${String(never)}`);
    }
  }
}

/** Checks an outputs document's shape; throws DriftInputError naming the JSON path. */
export function parseDeployedOutputs(doc: unknown): DeployedOutputs {
  if (!isObject(doc)) fail([], doc, "an object of stack outputs (what `pulumi stack output --json` prints)");
  for (const [name, shape] of Object.entries(OUTPUT_SHAPES)) if (name in doc) checkShape(name, doc[name], shape);
  return doc;
}

export interface Difference {
  /** `goVersion`, `archives[linux/amd64].sha256`, `publishedGoEnv.GOPROXY`. */
  readonly field: string;
  /** As the report shows it: a JSON-quoted value, or a parenthesised state such as "(absent)". */
  readonly deployed: string;
  readonly locked: string;
}

const ABSENT = "(absent)";
const NOT_EXPORTED = "(not exported by the program now)";

function shown(v: unknown): string {
  if (v === HIDDEN) return `${HIDDEN} (hidden: cannot be compared)`;
  if (v === UNKNOWN_AFTER_APPLY) return "(unknown until the stack is updated)";
  if (typeof v === "string") return showValue(v, 200);
  // Lists and objects whole, as JSON, every character outside printable ASCII escaped (a value from
  // a file must not drive the terminal).
  return (JSON.stringify(v) ?? String(v)).replace(/[^\x20-\x7e]/gu, (c) => {
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`;
  });
}

function field(name: string, key?: string): string {
  return key === undefined ? name : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${name}.${key}` : `${name}[${key}]`;
}

function compareMaps(name: string, deployed: Record<string, string>, planned: Record<string, string>, out: Difference[]): void {
  for (const k of [...new Set([...Object.keys(planned), ...Object.keys(deployed)])].sort()) {
    const d = Object.prototype.hasOwnProperty.call(deployed, k) ? deployed[k] : undefined;
    const p = Object.prototype.hasOwnProperty.call(planned, k) ? planned[k] : undefined;
    if (d === p) continue;
    out.push({ field: field(name, k), deployed: d === undefined ? ABSENT : shown(d), locked: p === undefined ? ABSENT : shown(p) });
  }
}

function compareArchives(deployedList: readonly (DeployedArchive | string)[], planned: readonly DeployedArchive[], out: Difference[]): void {
  deployedList.forEach((a, i) => typeof a === "string" && out.push({ field: `archives[${i}]`, deployed: shown(a), locked: "an archive {platform, filename, sha256, url}" }));
  const deployed = deployedList.filter((a): a is DeployedArchive => typeof a !== "string");
  const byPlatform = (xs: readonly DeployedArchive[]): Map<string, DeployedArchive> => new Map(xs.map((a) => [a.platform, a]));
  const d = byPlatform(deployed);
  const p = byPlatform(planned);
  for (const platform of [...new Set([...p.keys(), ...d.keys()])].sort()) {
    const da = d.get(platform);
    const pa = p.get(platform);
    if (da === undefined || pa === undefined) {
      out.push({ field: `archives[${platform}]`, deployed: da === undefined ? ABSENT : shown(da.filename), locked: pa === undefined ? ABSENT : shown(pa.filename) });
      continue;
    }
    for (const k of ["filename", "sha256", "url"] as const) if (da[k] !== pa[k]) out.push({ field: `archives[${platform}].${k}`, deployed: shown(da[k]), locked: shown(pa[k]) });
  }
}

/**
 * Builder images: one per locked platform; outside dev pinned by digest (dev builds locally and
 * never pushes, so it exports the local image name); and when the lock records resolved digests for
 * the image's repository, the deployed digest must be one of them.
 */
function compareBuilderImages(deployed: Record<string, string>, planned: unknown, platforms: readonly string[], lock: ToolchainLock, env: EnvironmentName, out: Difference[]): void {
  // dev's image name is known before any build (the tag is content-addressed); pushed images are
  // known only by their digest after the push, so the plan holds them hidden or unknown.
  const plannedRefs = isObject(planned) ? (planned as Record<string, unknown>) : {};
  for (const platform of [...new Set([...platforms, ...Object.keys(deployed)])].sort()) {
    const f = `builderImages[${platform}]`;
    const value = Object.prototype.hasOwnProperty.call(deployed, platform) ? deployed[platform] : undefined;
    if (!platforms.includes(platform)) {
      out.push({ field: f, deployed: shown(value), locked: `${ABSENT}: the lock has no ${platform} archive for ${env}` });
      continue;
    }
    if (value === undefined) {
      out.push({ field: f, deployed: ABSENT, locked: `an image for ${platform}` });
      continue;
    }
    if (value === HIDDEN) {
      out.push({ field: f, deployed: shown(value), locked: "an image pinned by digest" });
      continue;
    }
    const want = plannedRefs[platform];
    if (typeof want === "string" && want !== HIDDEN && want !== UNKNOWN_AFTER_APPLY && want !== value) {
      out.push({ field: f, deployed: shown(value), locked: shown(want) });
      continue;
    }
    const ref = parseImageRef(value);
    if (env === "dev") {
      if (ref === undefined) out.push({ field: f, deployed: shown(value), locked: "an image reference" });
      continue;
    }
    if (ref === undefined || ref.digest === undefined) {
      out.push({ field: f, deployed: shown(value), locked: "an image pinned by digest (repository@sha256:…)" });
      continue;
    }
    const recorded = Object.entries(lock.images).flatMap(([key, img]) => {
      const k = parseImageRef(key);
      return k !== undefined && k.registry === ref.registry && k.repository === ref.repository && img.state === "resolved" ? [{ key, digest: img.digest }] : [];
    });
    if (recorded.length > 0 && !recorded.some((r) => r.digest === ref.digest)) {
      out.push({ field: `${f} digest`, deployed: shown(ref.digest), locked: recorded.map((r) => `${shown(r.digest)} (images[${shown(r.key)}])`).join(" or ") });
    }
  }
}

/**
 * Every difference between the deployed outputs and the planned ones (the program's outputs run
 * offline now), in a fixed order: the program's outputs in OUTPUT_SHAPES order, then outputs the
 * program no longer exports.
 */
export function compareOutputs(deployed: DeployedOutputs, planned: Readonly<Record<string, unknown>>, lock: ToolchainLock, env: EnvironmentName): Difference[] {
  const out: Difference[] = [];
  const known = Object.keys(OUTPUT_SHAPES);
  const names = [...known.filter((n) => n in planned || n in deployed), ...Object.keys(planned).filter((n) => !known.includes(n)).sort(), ...Object.keys(deployed).filter((n) => !known.includes(n) && !(n in planned)).sort()];
  for (const name of names) {
    const d = deployed[name];
    const p = planned[name];
    if (!(name in planned)) {
      out.push({ field: name, deployed: shown(d), locked: NOT_EXPORTED });
      continue;
    }
    if (!(name in deployed)) {
      out.push({ field: name, deployed: ABSENT, locked: name === "builderImages" ? "an image per locked platform" : shown(p) });
      continue;
    }
    if (name === "builderImages") {
      // A pushed image's digest exists only after the push: judged against the lock's records instead.
      if (d === HIDDEN) out.push({ field: name, deployed: shown(d), locked: "an image per locked platform, pinned by digest" });
      else compareBuilderImages(d as Record<string, string>, p, Array.isArray(planned.platforms) ? (planned.platforms as string[]) : [], lock, env, out);
      continue;
    }
    if (d === HIDDEN || p === HIDDEN || p === UNKNOWN_AFTER_APPLY) {
      out.push({ field: name, deployed: shown(d), locked: shown(p) });
      continue;
    }
    const shape = OUTPUT_SHAPES[name];
    if (shape === "map" && isObject(p)) compareMaps(name, d as Record<string, string>, p as Record<string, string>, out);
    else if (shape === "archives" && Array.isArray(p)) compareArchives(d as DeployedArchive[], p as DeployedArchive[], out);
    else if (shape === "strings" && Array.isArray(p)) {
      const ds = [...(d as string[])].sort();
      const ps = [...(p as string[])].sort();
      if (JSON.stringify(ds) !== JSON.stringify(ps)) out.push({ field: name, deployed: shown(d), locked: shown(p) });
    } else if (JSON.stringify(d) !== JSON.stringify(p)) out.push({ field: name, deployed: shown(d), locked: shown(p) });
  }
  return out;
}

/** The report: one line per difference, or one line saying there is none. */
export function renderDrift(stack: string, source: string, differences: readonly Difference[], planned: Readonly<Record<string, unknown>>): string {
  if (differences.length === 0) {
    const count = (v: unknown): number => (Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : 0);
    return `${stack}: no drift: ${source} equals what the lock and the stack's settings resolve to now (Go ${String(planned.goVersion)}, ${count(planned.archives)} archive(s), ${count(planned.publishedGoEnv)} published Go setting(s))\n`;
  }
  const width = Math.max(...differences.map((d) => d.field.length));
  const lines = differences.map((d) => `  ${d.field.padEnd(width)}  deployed ${d.deployed}, locked ${d.locked}`);
  const hidden = differences.some((d) => d.deployed.startsWith(HIDDEN))
    ? `Values shown as ${HIDDEN} are hidden by \`pulumi stack output --show-secrets=false\` and cannot be compared; none of these outputs carries a credential, so find what made them secret.\n`
    : "";
  return `${stack}: ${differences.length} difference(s) between ${source} and what the lock and the stack's settings resolve to now:\n${lines.join("\n")}\n${hidden}Review the lock and run \`pulumi up\` for ${stack} to bring the stack back to it, or find out who changed the stack outside the lock.\n`;
}
