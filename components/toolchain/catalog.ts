// The Go release catalog (pure): validation of the go.dev download index shape, look-ups by
// (version, platform), and the merge rule for updates. Reading and writing the bundled file lives in
// catalog-store.ts; nothing here touches the file system or the network.

import Ajv from "ajv";
import { compareGoVersions, formatGoVersion, GoVersion, minorOf, parseGoVersion, versionShape } from "./version";
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

const INDEX_SCHEMA = {
  type: "array",
  items: {
    type: "object",
    required: ["version", "stable", "files"],
    properties: {
      version: { type: "string" },
      stable: { type: "boolean" },
      files: {
        type: "array",
        items: {
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
        },
      },
    },
  },
} as const;

const validateIndexShape = new Ajv({ allErrors: true }).compile(INDEX_SCHEMA);

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
    if (!expected.includes(f.filename)) problems.push(`${where} does not match its version, os and arch (expected ${expected.map((e) => `"${e}"`).join(" or ")})`);
  }
  return problems;
}

/** Validates a document of the go.dev index shape; returns its releases or throws CatalogError listing every problem. */
export function parseIndex(doc: unknown): IndexRelease[] {
  if (!validateIndexShape(doc)) {
    const problems = (validateIndexShape.errors ?? []).slice(0, 20).map((e) => `index${e.instancePath.replace(/\//g, ".")} ${e.message}`);
    throw new CatalogError(problems);
  }
  const releases = doc as unknown as IndexRelease[];
  const problems: string[] = [];
  const seenVersions = new Set<string>();
  const seenFiles = new Map<string, string>();
  for (const r of releases) {
    const parsed = r.version.startsWith("go") ? parseGoVersion(r.version.slice(2)) : undefined;
    if (!parsed || versionShape(parsed) === "minor") {
      problems.push(`release "${r.version}" is not a Go release name (expected "go1.N.P" or "go1.NrcK")`);
      continue;
    }
    if (seenVersions.has(r.version)) problems.push(`release "${r.version}" is listed twice`);
    seenVersions.add(r.version);
    if (versionShape(parsed) === "prerelease" && r.stable) problems.push(`release "${r.version}" is a pre-release but marked stable`);
    for (const f of r.files) {
      problems.push(...checkIndexFile(r.version, f));
      const other = seenFiles.get(f.filename);
      if (other !== undefined && other !== f.sha256) problems.push(`file "${f.filename}" is listed twice with different checksums (${other}, ${f.sha256})`);
      seenFiles.set(f.filename, f.sha256);
    }
  }
  if (problems.length > 0) throw new CatalogError(problems);
  return releases;
}

export class GoCatalog {
  private readonly byVersion = new Map<string, IndexRelease>();
  private readonly sorted: GoVersion[];

  private constructor(readonly releasesInIndexForm: readonly IndexRelease[]) {
    for (const r of releasesInIndexForm) this.byVersion.set(r.version.slice(2), r);
    this.sorted = [...this.byVersion.keys()].map((v) => parseGoVersion(v)!).sort((a, b) => compareGoVersions(b, a));
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
    const v = this.sorted.find((s) => minorOf(s) === minor && (opts.includePrereleases || s.patch !== undefined));
    return v ? formatGoVersion(v) : undefined;
  }

  newestStable(): string | undefined {
    const v = this.sorted.find((s) => s.patch !== undefined && this.byVersion.get(formatGoVersion(s))!.stable);
    return v ? formatGoVersion(v) : undefined;
  }

  /** Newest stable patch of each minor, newest minor first: the useful suggestions for an error message. */
  newestPerMinor(limit = 3): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (const v of this.sorted) {
      if (v.patch === undefined || seen.has(minorOf(v))) continue;
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
  const releases = [...byVersion.values()].sort((a, b) => compareGoVersions(parseGoVersion(b.version.slice(2))!, parseGoVersion(a.version.slice(2))!));
  return { releases, addedReleases: addedReleases.sort(), addedFiles: addedFiles.sort(), conflicts };
}

/** The catalog file's bytes for a list of releases: deterministic, the layout of the bundled file. */
export function serializeIndex(releases: readonly IndexRelease[]): string {
  return JSON.stringify(releases, null, 1) + "\n";
}
