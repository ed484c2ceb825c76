// The Go release catalog (pure): validation of the go.dev download index shape, look-ups by
// (version, platform), and the merge rule for updates. Reading and writing the bundled file lives in
// catalog-store.ts; nothing here touches the file system or the network.

import { lazyValidator } from "./lazy-ajv";
import { compareGoVersions, formatGoVersion, GoVersion, minorOf, parseReleaseName, versionShape } from "./version";
import { formatPlatform, parsePlatform } from "./platform";

export const DEFAULT_DOWNLOAD_BASE = "https://dl.google.com/go/";
export const DEFAULT_INDEX_URL = "https://go.dev/dl/?mode=json&include=all";

/** One file of the go.dev index, exactly as the index spells it. */
export interface IndexFile {
  readonly filename: string;
  readonly os: string;
  readonly arch: string;
  /** With the `go` prefix, as in the index: `go1.26.7`. */
  readonly version: string;
  readonly sha256: string;
  readonly size?: number;
  readonly kind: "archive" | "source" | "installer";
}

export interface IndexRelease {
  readonly version: string;
  readonly stable: boolean;
  readonly files: readonly IndexFile[];
}

/** An archive resolved for one (version, platform). */
export interface ArchiveInfo {
  /** Without the `go` prefix: `1.26.7`. */
  readonly version: string;
  readonly platform: string;
  readonly filename: string;
  readonly url: string;
  readonly sha256: string;
  readonly size?: number;
  readonly stable: boolean;
}

export interface ReleaseInfo {
  readonly version: string;
  readonly stable: boolean;
  readonly platforms: readonly string[];
}

// One release and one file of the index, validated separately so that an entry this reader does
// not understand skips that entry only (the live index grows; old entries are odd), never the whole
// document.
const RELEASE_SCHEMA = {
  type: "object",
  required: ["version", "stable", "files"],
  properties: { version: { type: "string" }, stable: { type: "boolean" }, files: { type: "array" } },
} as const;
const FILE_SCHEMA = {
  type: "object",
  required: ["filename", "os", "arch", "version", "sha256", "kind"],
  properties: {
    filename: { type: "string", minLength: 1 },
    os: { type: "string" },
    arch: { type: "string" },
    version: { type: "string" },
    sha256: { type: "string" },
    size: { type: "integer", minimum: 0 },
    kind: { enum: ["archive", "source", "installer"] },
  },
} as const;

const validateReleaseShape = lazyValidator({ allErrors: true }, RELEASE_SCHEMA);
const validateFileShape = lazyValidator({ allErrors: true }, FILE_SCHEMA);

const SHA256_RE = /^[0-9a-f]{64}$/;
const EXT_BY_KIND: Record<IndexFile["kind"], readonly string[]> = {
  archive: ["tar.gz", "zip"],
  installer: ["msi", "pkg"],
  source: ["tar.gz"],
};

export class CatalogError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join("\n  - ")}`);
    this.name = "CatalogError";
  }
}

/** The canonical version of a release name of the index (`go1.20` → `1.20.0`), or undefined. */
export function releaseVersion(name: string): string | undefined {
  const v = parseReleaseName(name);
  return v ? formatGoVersion(v) : undefined;
}

/** Checks one file entry against its release: checksum form and a filename consistent with version, os, arch and kind. */
export function checkIndexFile(release: string, f: IndexFile): string[] {
  const problems: string[] = [];
  const where = `${release}: file "${f.filename}"`;
  if (f.version !== release) problems.push(`${where} has version "${f.version}", expected "${release}"`);
  if (!SHA256_RE.test(f.sha256)) problems.push(`${where} has sha256 "${f.sha256}", expected 64 lowercase hex digits`);
  const exts = EXT_BY_KIND[f.kind];
  if (f.kind === "source") {
    if (f.os !== "" || f.arch !== "") problems.push(`${where} is a source tarball but names os "${f.os}" and arch "${f.arch}" (both must be empty)`);
    if (f.filename !== `${release}.src.tar.gz`) problems.push(`${where} is a source tarball; its name must be "${release}.src.tar.gz"`);
  } else {
    if (!parsePlatform(`${f.os}/${f.arch}`)) problems.push(`${where} has os "${f.os}" / arch "${f.arch}", which is not a platform`);
    // go.dev reports 32-bit ARM as arch "armv6l" everywhere, but names only the Linux files
    // "-armv6l"; the BSD, Windows and Plan 9 files are "-arm".
    const archNames = f.arch === "armv6l" && f.os !== "linux" ? ["arm", "armv6l"] : [f.arch];
    const expected = archNames.flatMap((a) => exts.map((e) => `${release}.${f.os}-${a}.${e}`));
    // Before Go 1.5 the macOS files named the oldest macOS they ran on: go1.4.2.darwin-amd64-osx10.8.pkg.
    const osx = f.os === "darwin" ? new RegExp(`^${escapeRe(release)}\\.darwin-${escapeRe(f.arch)}-osx10\\.[0-9]{1,2}\\.(${exts.map(escapeRe).join("|")})$`) : undefined;
    if (!expected.includes(f.filename) && !osx?.test(f.filename)) problems.push(`${where} does not match its version, os and arch (expected ${expected.map((e) => `"${e}"`).join(" or ")})`);
  }
  return problems;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface IndexReading {
  /** The releases and files that passed every check, in the document's order. */
  readonly releases: IndexRelease[];
  /** What was left out and why: one line per release or file. */
  readonly skipped: string[];
}

/**
 * Reads a document of the go.dev index shape entry by entry: a release or file this reader cannot
 * vouch for (unknown name, malformed checksum, unknown kind, filename inconsistent with its
 * version/os/arch) is left out with its reason; the rest is kept. Throws CatalogError only when the
 * document is not an index at all, or when it contradicts itself about a file's checksum (two
 * checksums for one filename: an integrity problem, never a skip).
 */
export function readIndex(doc: unknown): IndexReading {
  if (!Array.isArray(doc)) throw new CatalogError([`index must be array (the go.dev index is a JSON array of releases); got ${doc === null ? "null" : typeof doc}`]);
  const skipped: string[] = [];
  const releases: IndexRelease[] = [];
  const seenVersions = new Map<string, string>();
  const seenFiles = new Map<string, string>();
  const conflicts: string[] = [];
  doc.forEach((r: unknown, i: number) => {
    if (!validateReleaseShape(r)) {
      skipped.push(...(validateReleaseShape.errors ?? []).map((e) => `index.${i}${e.instancePath.replace(/\//g, ".")} ${e.message}`));
      return;
    }
    const rel = r as unknown as IndexRelease;
    const v = parseReleaseName(rel.version);
    if (!v || versionShape(v) === "minor") {
      skipped.push(`release "${rel.version}" is not a Go release name (expected "go1.N.P", "go1.NrcK", or before 1.21 "go1.N")`);
      return;
    }
    const canonical = formatGoVersion(v);
    const other = seenVersions.get(canonical);
    if (other !== undefined) {
      skipped.push(other === rel.version ? `release "${rel.version}" is listed twice` : `release "${rel.version}" names the same release as "${other}"`);
      return;
    }
    seenVersions.set(canonical, rel.version);
    if (versionShape(v) === "prerelease" && rel.stable) {
      skipped.push(`release "${rel.version}" is a pre-release but marked stable`);
      return;
    }
    const files: IndexFile[] = [];
    (rel.files as unknown[]).forEach((f: unknown, j: number) => {
      if (!validateFileShape(f)) {
        skipped.push(...(validateFileShape.errors ?? []).map((e) => `index.${i}.files.${j}${e.instancePath.replace(/\//g, ".")} ${e.message}`));
        return;
      }
      const file = f as unknown as IndexFile;
      const problems = checkIndexFile(rel.version, file);
      if (problems.length > 0) {
        skipped.push(...problems);
        return;
      }
      const known = seenFiles.get(file.filename);
      if (known !== undefined && known !== file.sha256) conflicts.push(`file "${file.filename}" is listed twice with different checksums (${known}, ${file.sha256})`);
      if (known !== undefined) return;
      seenFiles.set(file.filename, file.sha256);
      files.push(file);
    });
    releases.push({ version: rel.version, stable: rel.stable, files });
  });
  if (conflicts.length > 0) throw new CatalogError(conflicts);
  return { releases, skipped };
}

/** Validates a document of the go.dev index shape strictly (the catalog's own file): every problem is an error. */
export function parseIndex(doc: unknown): IndexRelease[] {
  const { releases, skipped } = readIndex(doc);
  if (skipped.length > 0) throw new CatalogError(skipped);
  return releases;
}

export class GoCatalog {
  private readonly byVersion = new Map<string, IndexRelease>();
  private readonly sorted: GoVersion[];

  private constructor(readonly releasesInIndexForm: readonly IndexRelease[]) {
    // Keyed by the canonical spelling (go1.20 → 1.20.0): see version.ts.
    const parsed: GoVersion[] = [];
    for (const r of releasesInIndexForm) {
      const v = parseReleaseName(r.version)!;
      this.byVersion.set(formatGoVersion(v), r);
      parsed.push(v);
    }
    this.sorted = parsed.sort((a, b) => compareGoVersions(b, a));
  }

  /** Builds a catalog from a go.dev index document, validating every entry. */
  static fromIndex(doc: unknown): GoCatalog {
    return new GoCatalog(parseIndex(doc));
  }

  /** Newest first. */
  releases(): ReleaseInfo[] {
    return this.sorted.map((v) => {
      const text = formatGoVersion(v);
      return { version: text, stable: this.byVersion.get(text)!.stable, platforms: this.platforms(text) };
    });
  }

  /** Go's own name of a catalog release (`1.20.0` → `go1.20`), or undefined for an unknown one. */
  goName(version: string): string | undefined {
    return this.byVersion.get(version)?.version;
  }

  has(version: string): boolean {
    return this.byVersion.has(version);
  }

  isStable(version: string): boolean | undefined {
    return this.byVersion.get(version)?.stable;
  }

  /** Platforms (`os/arch`) that have an archive for this release, sorted; empty for an unknown one. */
  platforms(version: string): string[] {
    const r = this.byVersion.get(version);
    if (!r) return [];
    return [...new Set(r.files.filter((f) => f.kind === "archive").map((f) => formatPlatform(f)))].sort();
  }

  /** The archive of a release for a platform (the `.tar.gz` where both a tarball and a zip exist). */
  archive(version: string, platform: string): ArchiveInfo | undefined {
    const r = this.byVersion.get(version);
    if (!r) return undefined;
    const candidates = r.files.filter((f) => f.kind === "archive" && formatPlatform(f) === platform);
    const f = candidates.find((c) => c.filename.endsWith(".tar.gz")) ?? candidates[0];
    if (!f) return undefined;
    return {
      version,
      platform,
      filename: f.filename,
      url: DEFAULT_DOWNLOAD_BASE + f.filename,
      sha256: f.sha256,
      ...(f.size !== undefined ? { size: f.size } : {}),
      stable: r.stable,
    };
  }

  /** The newest release of a minor series (`1.26` → `1.26.7`); stable only unless asked otherwise. */
  newestOfMinor(minor: string, opts: { includePrereleases?: boolean } = {}): string | undefined {
    const v = this.sorted.find((s) => minorOf(s) === minor && (opts.includePrereleases || versionShape(s) === "release"));
    return v ? formatGoVersion(v) : undefined;
  }

  newestStable(): string | undefined {
    const v = this.sorted.find((s) => versionShape(s) === "release" && this.byVersion.get(formatGoVersion(s))!.stable);
    return v ? formatGoVersion(v) : undefined;
  }

  /** Newest stable patch of each minor, newest minor first: the useful suggestions for an error message. */
  newestPerMinor(limit = 3): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const v of this.sorted) {
      if (versionShape(v) !== "release" || seen.has(minorOf(v))) continue;
      seen.add(minorOf(v));
      out.push(formatGoVersion(v));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Every known file by name with its checksum: what an update must never change. */
  checksumsByFilename(): Map<string, string> {
    const m = new Map<string, string>();
    for (const r of this.releasesInIndexForm) for (const f of r.files) m.set(f.filename, f.sha256);
    return m;
  }
}

export interface ChecksumConflict {
  readonly filename: string;
  readonly known: string;
  readonly incoming: string;
}

export interface MergeResult {
  readonly releases: IndexRelease[];
  /** Release names (`go1.27.1`) that were not known before. */
  readonly addedReleases: string[];
  /** Files added to releases (new or already known). */
  readonly addedFiles: string[];
  readonly conflicts: ChecksumConflict[];
}

/**
 * Merges a validated index into the catalog: adds unknown releases and files, never changes a
 * known one. A changed checksum for an archive already published is tampering or corruption, never
 * an update: it is reported as a conflict and the caller must write nothing.
 */
export function mergeIndex(current: readonly IndexRelease[], incoming: readonly IndexRelease[]): MergeResult {
  const known = new Map<string, string>();
  for (const r of current) for (const f of r.files) known.set(f.filename, f.sha256);
  const conflicts: ChecksumConflict[] = [];
  const addedFiles: string[] = [];
  const addedReleases: string[] = [];
  const byVersion = new Map<string, IndexRelease>(current.map((r) => [r.version, { ...r, files: [...r.files] }]));
  for (const r of incoming) {
    for (const f of r.files) {
      const k = known.get(f.filename);
      if (k !== undefined && k !== f.sha256) conflicts.push({ filename: f.filename, known: k, incoming: f.sha256 });
    }
    const existing = byVersion.get(r.version);
    if (!existing) {
      byVersion.set(r.version, { version: r.version, stable: r.stable, files: [...r.files] });
      addedReleases.push(r.version);
      addedFiles.push(...r.files.map((f) => f.filename));
      continue;
    }
    const names = new Set(existing.files.map((f) => f.filename));
    const extra = r.files.filter((f) => !names.has(f.filename));
    if (extra.length > 0) {
      byVersion.set(r.version, { ...existing, files: [...existing.files, ...extra] });
      addedFiles.push(...extra.map((f) => f.filename));
    }
  }
  const releases = [...byVersion.values()].sort((a, b) => compareGoVersions(parseReleaseName(b.version)!, parseReleaseName(a.version)!));
  return { releases, addedReleases: addedReleases.sort(), addedFiles: addedFiles.sort(), conflicts };
}

/** The catalog file's bytes for a list of releases: deterministic, the layout of the bundled file. */
export function serializeIndex(releases: readonly IndexRelease[]): string {
  return JSON.stringify(releases, null, 1) + "\n";
}
