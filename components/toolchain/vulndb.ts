// The vulnerability database file and its updates (pure, apart from loading the bundled file the
// way bundled.ts loads the catalog): validation of data/go-vulns.json, conversion of vuln.go.dev's
// OSV 1.x records (`ID/<id>.json`) into that shape, and the merge rule for `goguard vulndb update`.
// Fetching and writing live in cli/commands/vuln.ts.

import { lazyValidator } from "./lazy-ajv";
import { compareSemver, parseSemver, SNAPSHOT_MODIFIED, VulnAffected, VulnRange, VulnReport } from "./vulns";

export const DEFAULT_VULNDB_URL = "https://vuln.go.dev";

export class VulnDbError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join("\n  - ")}`);
    this.name = "VulnDbError";
  }
}

const ID = "^GO-[0-9]{4}-[0-9]{4,}$";
const RANGE = { type: "object", required: ["introduced"], additionalProperties: false, properties: { introduced: { type: "string" }, fixed: { type: "string" } } };
const DB_SCHEMA = {
  type: "array",
  items: {
    type: "object",
    required: ["id", "aliases", "summary", "modules", "packages", "ranges", "published", "withdrawn", "url", "affected", "other_modules", "references"],
    properties: {
      id: { type: "string", pattern: ID },
      aliases: { type: "array", items: { type: "string" } },
      summary: { type: "string" },
      modules: { type: "array", minItems: 1, items: { enum: ["std", "cmd"] } },
      packages: { type: "array", items: { type: "string" } },
      ranges: { type: "array", items: RANGE },
      published: { type: "string" },
      withdrawn: { type: ["string", "null"] },
      url: { type: "string" },
      modified: { type: "string" },
      affected: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          required: ["module", "ranges", "packages"],
          properties: {
            module: { type: "string" },
            ranges: { type: "array", items: RANGE },
            packages: {
              type: "array",
              items: { type: "object", required: ["package"], properties: { package: { type: "string" }, goos: { type: "array", items: { type: "string" } }, goarch: { type: "array", items: { type: "string" } } } },
            },
          },
        },
      },
      other_modules: { type: "array", items: { type: "string" } },
      references: { type: "array", items: { type: "object", required: ["type", "url"], properties: { type: { type: "string" }, url: { type: "string" } } } },
    },
  },
} as const;

const validateDb = lazyValidator({ allErrors: true }, DB_SCHEMA);

function rangeProblems(where: string, ranges: readonly VulnRange[]): string[] {
  const out: string[] = [];
  for (const r of ranges) {
    if (r.introduced !== "0" && !parseSemver(r.introduced)) out.push(`${where}: introduced "${r.introduced}" is not semver`);
    if (r.fixed !== undefined && !parseSemver(r.fixed)) out.push(`${where}: fixed "${r.fixed}" is not semver`);
    if (r.fixed !== undefined && parseSemver(r.introduced) && parseSemver(r.fixed) && compareSemver(r.introduced, r.fixed) >= 0) out.push(`${where}: range [${r.introduced}, ${r.fixed}) is empty`);
  }
  return out;
}

/** Validates a database file (the shape of data/go-vulns.json); throws VulnDbError listing every problem. */
export function parseVulnDb(doc: unknown): VulnReport[] {
  if (!validateDb(doc)) {
    throw new VulnDbError((validateDb.errors ?? []).slice(0, 20).map((e) => `vulndb${e.instancePath.replace(/\//g, ".")} ${e.message}`));
  }
  const reports = doc as unknown as VulnReport[];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of reports) {
    if (seen.has(r.id)) problems.push(`${r.id} is listed twice`);
    seen.add(r.id);
    r.affected.forEach((a, i) => problems.push(...rangeProblems(`${r.id} affected[${i}]`, a.ranges)));
  }
  if (problems.length > 0) throw new VulnDbError(problems);
  return reports;
}

/** The database file's bytes: one-space indent like the catalog, reports sorted by id. */
export function serializeVulnDb(reports: readonly VulnReport[]): string {
  return JSON.stringify([...reports].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), null, 1) + "\n";
}

let cached: VulnReport[] | undefined;

/** The bundled database (data/go-vulns.json), validated once. */
export function bundledVulns(): readonly VulnReport[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cached ??= parseVulnDb(require("./data/go-vulns.json"));
  return cached;
}

export const BUNDLED_VULNDB_PATH = require.resolve("./data/go-vulns.json");

// ---------------------------------------------------------------------------------------------
// vuln.go.dev: index/vulns.json and OSV records.

export interface VulnIndexEntry {
  readonly id: string;
  readonly modified: string;
  readonly aliases?: readonly string[];
}

const RFC3339 = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const idRe = new RegExp(ID);

/** index/vulns.json: `[{id, modified, aliases}]`. */
export function parseVulnIndex(doc: unknown, where: string): VulnIndexEntry[] {
  if (!Array.isArray(doc)) throw new VulnDbError([`${where} must be a JSON array of {id, modified, aliases}; got ${doc === null ? "null" : typeof doc}`]);
  const problems: string[] = [];
  const seen = new Set<string>();
  doc.forEach((e: unknown, i: number) => {
    const x = e as Record<string, unknown> | null;
    if (!x || typeof x !== "object" || typeof x.id !== "string" || !idRe.test(x.id)) problems.push(`${where}[${i}].id must be a Go vulnerability id such as "GO-2026-4984"; got ${JSON.stringify(x?.id)}`);
    else if (typeof x.modified !== "string" || !RFC3339.test(x.modified)) problems.push(`${where}[${i}] (${x.id}).modified must be an RFC 3339 time; got ${JSON.stringify(x.modified)}`);
    else if (seen.has(x.id)) problems.push(`${where}: ${x.id} is listed twice`);
    else seen.add(x.id);
  });
  if (problems.length > 0) throw new VulnDbError(problems.slice(0, 20));
  return doc as VulnIndexEntry[];
}

/** index/modules.json (optional): the ids listed under the toolchain's modules. */
export function toolchainIdsFromModules(doc: unknown, where: string): Set<string> {
  if (!Array.isArray(doc)) throw new VulnDbError([`${where} must be a JSON array of {path, vulns}; got ${doc === null ? "null" : typeof doc}`]);
  const ids = new Set<string>();
  for (const m of doc as Array<{ path?: unknown; vulns?: unknown }>) {
    if (!m || typeof m.path !== "string" || !(m.path in OSV_MODULE) || !Array.isArray(m.vulns)) continue;
    for (const v of m.vulns as Array<{ id?: unknown }>) if (v && typeof v.id === "string") ids.add(v.id);
  }
  return ids;
}

// vuln.go.dev names the standard library "stdlib" and the go command's module "toolchain"; the
// reports (and the bundled file) say std and cmd.
const OSV_MODULE: Record<string, "std" | "cmd"> = { stdlib: "std", toolchain: "cmd", std: "std", cmd: "cmd" };

interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/**
 * One OSV 1.x record (`ID/<id>.json`) → a report of the bundled shape, or null when it concerns no
 * toolchain module (std/cmd). Throws VulnDbError naming the record and every problem.
 */
export function osvToReport(doc: unknown, expectedId: string, where: string): VulnReport | null {
  const o = doc as Record<string, any> | null;
  const problems: string[] = [];
  const bad = (msg: string): void => void problems.push(`${where}: ${msg}`);
  if (!o || typeof o !== "object" || Array.isArray(o)) throw new VulnDbError([`${where}: not an OSV record (expected a JSON object)`]);
  if (typeof o.schema_version !== "string" || !/^1\.[0-9]+(\.[0-9]+)?$/.test(o.schema_version)) bad(`schema_version ${JSON.stringify(o.schema_version)} is not OSV 1.x`);
  if (o.id !== expectedId) bad(`id ${JSON.stringify(o.id)} differs from the index entry ${expectedId}`);
  if (typeof o.modified !== "string" || !RFC3339.test(o.modified)) bad(`modified ${JSON.stringify(o.modified)} is not an RFC 3339 time`);
  if (typeof o.published !== "string" || !RFC3339.test(o.published)) bad(`published ${JSON.stringify(o.published)} is not an RFC 3339 time`);
  if (o.withdrawn !== undefined && (typeof o.withdrawn !== "string" || !RFC3339.test(o.withdrawn))) bad(`withdrawn ${JSON.stringify(o.withdrawn)} is not an RFC 3339 time`);
  if (!Array.isArray(o.affected) || o.affected.length === 0) bad(`affected must be a non-empty list`);
  if (o.aliases !== undefined && (!Array.isArray(o.aliases) || o.aliases.some((a: unknown) => typeof a !== "string"))) bad(`aliases must be a list of strings`);
  if (problems.length > 0) throw new VulnDbError(problems);

  const affected: VulnAffected[] = [];
  const others: string[] = [];
  (o.affected as any[]).forEach((a, i) => {
    const name = a?.package?.name;
    if (typeof name !== "string" || a?.package?.ecosystem !== "Go") {
      bad(`affected[${i}].package must be {name, ecosystem: "Go"}; got ${JSON.stringify(a?.package)}`);
      return;
    }
    const module = OSV_MODULE[name];
    if (!module) {
      if (!others.includes(name)) others.push(name);
      return;
    }
    const ranges: VulnRange[] = [];
    for (const [j, r] of ((Array.isArray(a.ranges) ? a.ranges : []) as any[]).entries()) {
      if (r?.type !== "SEMVER" || !Array.isArray(r.events)) {
        bad(`affected[${i}].ranges[${j}] must be {type: "SEMVER", events}; got type ${JSON.stringify(r?.type)}`);
        continue;
      }
      // Events in order: introduced opens a range, fixed closes it (half-open, as govulncheck reads them).
      let open: string | undefined;
      for (const raw of r.events as unknown[]) {
        const e = (raw !== null && typeof raw === "object" ? raw : {}) as OsvEvent;
        if (typeof e.introduced === "string" && open === undefined) open = e.introduced;
        else if (typeof e.fixed === "string" && open !== undefined) {
          ranges.push({ introduced: open, fixed: e.fixed });
          open = undefined;
        } else bad(`affected[${i}].ranges[${j}] has event ${JSON.stringify(raw)} out of order (or last_affected/limit, which this reader does not evaluate)`);
      }
      if (open !== undefined) ranges.push({ introduced: open });
    }
    if (ranges.length === 0) bad(`affected[${i}] (${name}) has no SEMVER range`);
    problems.push(...rangeProblems(`${where} affected[${i}]`, ranges));
    const rawImports = a.ecosystem_specific?.imports;
    if (rawImports !== undefined && !Array.isArray(rawImports)) bad(`affected[${i}].ecosystem_specific.imports must be a list of {path, goos?, goarch?}`);
    const imports = (Array.isArray(rawImports) ? rawImports : []) as any[];
    const packages = imports.map((p, k) => {
      if (typeof p?.path !== "string") bad(`affected[${i}].ecosystem_specific.imports[${k}].path must be a string`);
      return {
        package: String(p?.path),
        ...(Array.isArray(p?.goos) && p.goos.length > 0 ? { goos: [...p.goos].map(String) } : {}),
        ...(Array.isArray(p?.goarch) && p.goarch.length > 0 ? { goarch: [...p.goarch].map(String) } : {}),
      };
    });
    affected.push({ module, ranges, packages });
  });
  if (problems.length > 0) throw new VulnDbError(problems);
  if (affected.length === 0) return null;
  const summary = typeof o.summary === "string" && o.summary !== "" ? o.summary : String(o.details ?? "").split("\n")[0];
  const refs = Array.isArray(o.references) ? (o.references as any[]).filter((r) => typeof r?.type === "string" && typeof r?.url === "string").map((r) => ({ type: String(r.type).toLowerCase(), url: String(r.url) })) : [];
  return {
    id: o.id,
    aliases: [...((o.aliases as string[] | undefined) ?? [])],
    summary,
    modules: [...new Set(affected.map((a) => a.module))],
    packages: [...new Set(affected.flatMap((a) => a.packages.map((p) => p.package)))],
    ranges: affected.flatMap((a) => a.ranges),
    published: (o.published as string).slice(0, 10),
    withdrawn: typeof o.withdrawn === "string" ? o.withdrawn.slice(0, 10) : null,
    url: typeof o.database_specific?.url === "string" ? o.database_specific.url : `https://pkg.go.dev/vuln/${o.id}`,
    affected,
    other_modules: others,
    references: refs,
    modified: o.modified,
  };
}

// ---------------------------------------------------------------------------------------------
// Merging.

/**
 * What decides whether a version is affected: per toolchain module the ranges and the packages
 * with their GOOS/GOARCH, and withdrawal. Summary, references and order are editorial.
 */
export function materialKey(r: VulnReport): string {
  const affected = r.affected
    .map((a) => ({
      module: a.module,
      ranges: a.ranges.map((x) => ({ introduced: x.introduced, fixed: x.fixed ?? null })),
      packages: a.packages.map((p) => ({ package: p.package, goos: [...(p.goos ?? [])].sort(), goarch: [...(p.goarch ?? [])].sort() })).sort((x, y) => (x.package < y.package ? -1 : 1)),
    }))
    .map((a) => JSON.stringify(a))
    .sort();
  return JSON.stringify({ affected, withdrawn: r.withdrawn !== null });
}

export interface VulnConflict {
  readonly id: string;
  readonly knownModified: string;
  readonly incomingModified: string;
}

export interface VulnMergeResult {
  readonly reports: VulnReport[];
  readonly added: string[];
  readonly updated: string[];
  /** Changed without a newer `modified`: the caller must write nothing. */
  readonly conflicts: VulnConflict[];
}

function newer(a: string, b: string): boolean {
  return Date.parse(a) > Date.parse(b);
}

/**
 * Adds unknown reports; replaces a known one only when the incoming record's `modified` is newer
 * than the known one's (a record without it dates from the snapshot, SNAPSHOT_MODIFIED). A record
 * whose affected versions changed without a newer `modified` is a conflict (a tampered or
 * inconsistent mirror); an editorial difference without one keeps the known record. Reports the
 * source lacks are kept.
 */
export function mergeVulnDb(current: readonly VulnReport[], incoming: readonly VulnReport[]): VulnMergeResult {
  const byId = new Map(current.map((r) => [r.id, r]));
  const added: string[] = [];
  const updated: string[] = [];
  const conflicts: VulnConflict[] = [];
  for (const r of incoming) {
    const known = byId.get(r.id);
    if (!known) {
      byId.set(r.id, r);
      added.push(r.id);
      continue;
    }
    const knownModified = known.modified ?? SNAPSHOT_MODIFIED;
    const incomingModified = r.modified ?? SNAPSHOT_MODIFIED;
    if (newer(incomingModified, knownModified)) {
      byId.set(r.id, r);
      updated.push(r.id);
    } else if (materialKey(r) !== materialKey(known)) {
      conflicts.push({ id: r.id, knownModified, incomingModified });
    }
  }
  const reports = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { reports, added: added.sort(), updated: updated.sort(), conflicts };
}
