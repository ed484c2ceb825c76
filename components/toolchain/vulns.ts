// Go's own vulnerabilities (pure): the Go vulnerability database's reports on the standard library
// (`std`) and the toolchain (`cmd`), which Go versions each affects, and the patch that leaves them
// behind. The bundled data is data/go-vulns.json (provenance and CC-BY-4.0 credit in
// data/go-vulns.PROVENANCE.md); `goguard vulndb update` rewrites it from vuln.go.dev. Nothing here
// touches the file system, the network or the clock: callers pass `today`.
//
// Versions are compared as govulncheck does: a Go version becomes vulndb's semver spelling
// (go1.21.3 → 1.21.3, go1.21rc2 → 1.21.0-rc.2, go1.20 → 1.20.0) and a release v is affected by a
// range when introduced ≤ v < fixed in semver order; `introduced: "0"` is "from the beginning".

import { formatGoVersion, GoVersion, parseGoVersion, compareVersionStrings, versionShape, minorOf } from "./version";

export interface VulnRange {
  readonly introduced: string;
  /** Absent: no fixed version is known. */
  readonly fixed?: string;
}

export interface VulnPackage {
  readonly package: string;
  /** The report applies only on these GOOS (absent: every GOOS). */
  readonly goos?: readonly string[];
  readonly goarch?: readonly string[];
}

export interface VulnAffected {
  /** `std` or `cmd`. */
  readonly module: string;
  readonly ranges: readonly VulnRange[];
  readonly packages: readonly VulnPackage[];
}

/** One report as bundled (the shape of data/go-vulns.json). */
export interface VulnReport {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly modules: readonly string[];
  readonly packages: readonly string[];
  readonly ranges: readonly VulnRange[];
  readonly published: string;
  readonly withdrawn: string | null;
  readonly url: string;
  readonly affected: readonly VulnAffected[];
  readonly other_modules: readonly string[];
  readonly references: ReadonlyArray<{ readonly type: string; readonly url: string }>;
  /** RFC 3339, from vuln.go.dev; absent in the initial snapshot (see SNAPSHOT_MODIFIED). */
  readonly modified?: string;
}

/** The initial snapshot's as-of time (golang/vulndb a752ea5, 2026-08-21): the `modified` of a record that has none. */
export const SNAPSHOT_MODIFIED = "2026-08-21T00:00:00Z";

export const TOOLCHAIN_MODULES = ["std", "cmd"] as const;

// ---------------------------------------------------------------------------------------------
// Semver as vulndb spells Go versions.

interface Semver {
  readonly nums: readonly [number, number, number];
  readonly pre: readonly (string | number)[];
}

const SEMVER_RE = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export function parseSemver(text: string): Semver | undefined {
  if (text === "0") return { nums: [0, 0, 0], pre: [] };
  const m = SEMVER_RE.exec(text);
  if (!m) return undefined;
  const pre = m[4] === undefined ? [] : m[4].split(".").map((p) => (/^(0|[1-9][0-9]*)$/.test(p) ? Number(p) : p));
  return { nums: [Number(m[1]), Number(m[2]), Number(m[3])], pre };
}

/** Semver 2.0 precedence; `"0"` (vulndb's "from the beginning") is below everything. */
export function compareSemver(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "0") return -1;
  if (b === "0") return 1;
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) throw new Error(`cannot compare "${a}" and "${b}": not semver`);
  for (let i = 0; i < 3; i++) if (pa.nums[i] !== pb.nums[i]) return pa.nums[i] < pb.nums[i] ? -1 : 1;
  if (pa.pre.length === 0 || pb.pre.length === 0) return pa.pre.length === pb.pre.length ? 0 : pa.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(pa.pre.length, pb.pre.length); i++) {
    const x = pa.pre[i];
    const y = pb.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x < y ? -1 : 1;
    if (typeof x === "number") return -1;
    if (typeof y === "number") return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** A canonical Go version (a release or pre-release) in vulndb's semver spelling. */
export function goSemver(version: string | GoVersion): string {
  const v = typeof version === "string" ? parseGoVersion(version) : version;
  if (!v || versionShape(v) === "minor") throw new Error(`${JSON.stringify(typeof version === "string" ? version : formatGoVersion(version))} is not a Go release or pre-release`);
  const base = `${v.major}.${v.minor}.${v.patch ?? 0}`;
  return v.prerelease ? `${base}-${v.prerelease.kind}.${v.prerelease.number}` : base;
}

/** vulndb's semver back to the canonical Go spelling (1.27.0-rc.3 → 1.27rc3, 1.21.0-0 → 1.21); undefined when it names no Go version. */
export function goVersionFromSemver(text: string): string | undefined {
  // `X.Y.0-0` sorts before every pre-release of X.Y: Go's own order puts the language version
  // X.Y there too (1.21 < 1.21rc1), so "fixed in 1.21.0-0" reads "fixed from 1.21 on".
  const lang = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.0-0$/.exec(text);
  if (lang) return `${lang[1]}.${lang[2]}`;
  const m = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-(rc|beta)\.([1-9][0-9]*))?$/.exec(text);
  if (!m) return undefined;
  if (m[4] === undefined) return `${m[1]}.${m[2]}.${m[3]}`;
  return m[3] === "0" ? `${m[1]}.${m[2]}${m[4]}${m[5]}` : `${m[1]}.${m[2]}.${m[3]}${m[4]}${m[5]}`;
}

function inRange(v: string, r: VulnRange): boolean {
  return compareSemver(r.introduced, v) <= 0 && (r.fixed === undefined || compareSemver(v, r.fixed) < 0);
}

// ---------------------------------------------------------------------------------------------
// Which reports affect a version.

export interface Finding {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  readonly url: string;
  /** The packages that apply on the given GOOS. */
  readonly packages: readonly string[];
  /** Every fixed version of the report (canonical Go spelling), ascending. */
  readonly fixedIn: readonly string[];
  /** The fix of the range the version falls in (canonical), if one exists. */
  readonly fixedBy?: string;
}

/**
 * Whether a report affects a Go version on the given GOOS set: some std/cmd entry has a range
 * holding the version and a package that applies on one of those GOOS (a package without `goos`
 * applies everywhere; an entry without packages applies everywhere). A withdrawn report affects
 * nothing. `goos` empty: every GOOS.
 */
export function findingFor(report: VulnReport, version: string, goos: readonly string[] = []): Finding | undefined {
  if (report.withdrawn) return undefined;
  const v = goSemver(version);
  const packages = new Set<string>();
  let hit = false;
  let fixedBy: string | undefined;
  for (const a of report.affected) {
    if (!(TOOLCHAIN_MODULES as readonly string[]).includes(a.module)) continue;
    const range = a.ranges.find((r) => inRange(v, r));
    if (!range) continue;
    const applicable = a.packages.filter((p) => goos.length === 0 || p.goos === undefined || p.goos.length === 0 || p.goos.some((g) => goos.includes(g)));
    if (a.packages.length > 0 && applicable.length === 0) continue;
    hit = true;
    for (const p of applicable) packages.add(p.package);
    const fix = range.fixed !== undefined ? goVersionFromSemver(range.fixed) : undefined;
    if (fix !== undefined && (fixedBy === undefined || compareVersionStrings(fix, fixedBy) > 0)) fixedBy = fix;
  }
  if (!hit) return undefined;
  const fixedIn = [...new Set(report.affected.flatMap((a) => a.ranges.map((r) => (r.fixed !== undefined ? goVersionFromSemver(r.fixed) : undefined))).filter((x): x is string => x !== undefined))].sort(compareVersionStrings);
  return { id: report.id, aliases: report.aliases, summary: report.summary, url: report.url, packages: [...packages].sort(), fixedIn, ...(fixedBy !== undefined ? { fixedBy } : {}) };
}

/** Every report affecting a version on the given GOOS, by id. */
export function findingsFor(reports: readonly VulnReport[], version: string, goos: readonly string[] = []): Finding[] {
  return reports.map((r) => findingFor(r, version, goos)).filter((f): f is Finding => f !== undefined).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The GOOS of a platform list (`linux/amd64` → `linux`), sorted, unique. */
export function goosOf(platforms: readonly string[]): string[] {
  return [...new Set(platforms.map((p) => p.split("/")[0]))].sort();
}

/**
 * The release to move to (undefined when no fixed report affects `version`): the oldest stable
 * release newer than `version`, in the same minor if
 * one there is affected by no report with a fix, otherwise in a newer minor. `releases` are
 * canonical stable releases (the catalog's).
 */
export function upgradeTarget(reports: readonly VulnReport[], version: string, releases: readonly string[], goos: readonly string[] = []): string | undefined {
  const v = parseGoVersion(version);
  if (!v) return undefined;
  const newer = releases.filter((r) => versionShape(parseGoVersion(r)!) === "release" && compareVersionStrings(r, version) > 0).sort(compareVersionStrings);
  const clean = (r: string): boolean => !findingsFor(reports, r, goos).some((f) => f.fixedBy !== undefined);
  if (clean(version)) return undefined;
  const first = newer.find((r) => minorOf(parseGoVersion(r)!) === minorOf(v) && clean(r)) ?? newer.find(clean);
  if (first === undefined) return undefined;
  // The newest clean patch of that minor: go-support-window flags any but the newest patch, so the
  // first fixed release would only be a step to a second move.
  const minor = minorOf(parseGoVersion(first)!);
  return [...newer].reverse().find((r) => minorOf(parseGoVersion(r)!) === minor && clean(r));
}

// ---------------------------------------------------------------------------------------------
// Exceptions: a report accepted for a while, with a reason.

export interface VulnException {
  readonly id: string;
  readonly reason: string;
  /** `YYYY-MM-DD`, the last day the exception holds (UTC). */
  readonly expires: string;
}

const ID_RE = /^GO-[0-9]{4}-[0-9]{4,}$/;
const DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

function isRealDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Validates the `vulnExceptions` setting; every problem names the entry, the value and the fix. */
export function parseVulnExceptions(value: unknown, field = "vulnExceptions"): { exceptions: VulnException[]; problems: string[] } {
  if (value === undefined || value === null) return { exceptions: [], problems: [] };
  if (!Array.isArray(value)) return { exceptions: [], problems: [`${field} must be a list of {id, reason, expires}; got ${JSON.stringify(value)}`] };
  const exceptions: VulnException[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  value.forEach((e: unknown, i: number) => {
    const where = `${field}[${i}]`;
    if (!e || typeof e !== "object" || Array.isArray(e)) {
      problems.push(`${where} must be an object {id, reason, expires}; got ${JSON.stringify(e)}`);
      return;
    }
    const { id, reason, expires, ...rest } = e as Record<string, unknown>;
    const before = problems.length;
    if (typeof id !== "string" || !ID_RE.test(id)) problems.push(`${where}.id must be a Go vulnerability id such as "GO-2026-4984"; got ${JSON.stringify(id)}`);
    if (typeof reason !== "string" || reason.trim().length < 10) problems.push(`${where}.reason must say why the report does not apply or cannot be fixed yet (at least 10 characters); got ${JSON.stringify(reason)}`);
    if (typeof expires !== "string" || !isRealDate(expires)) problems.push(`${where}.expires must be a date YYYY-MM-DD (the last day the exception holds); got ${JSON.stringify(expires)}`);
    for (const k of Object.keys(rest)) problems.push(`${where}: unknown key "${k}"; an exception has id, reason and expires`);
    if (typeof id === "string" && seen.has(id)) problems.push(`${where}.id: ${id} is excepted twice; keep one entry`);
    if (problems.length === before) {
      seen.add(id as string);
      exceptions.push({ id: id as string, reason: reason as string, expires: expires as string });
    }
  });
  return { exceptions, problems };
}

/** Whether an exception still holds on `today` (YYYY-MM-DD, UTC): through its expiry day inclusive. */
export function exceptionActive(e: VulnException, today: string): boolean {
  return e.expires >= today;
}

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
