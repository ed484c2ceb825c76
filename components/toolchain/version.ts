// Go version syntax and ordering (pure).
//
// Go names releases `1.N.P` (since 1.21 the first release of a minor is `1.N.0`), pre-releases
// `1.NrcK` / `1.NbetaK`, and uses the bare `1.N` for the language version. Go's own order is
// 1.21 < 1.21beta1 < 1.21rc1 < 1.21rc2 < 1.21.0 < 1.21.1, always compared as numbers.

export type PrereleaseKind = "beta" | "rc";

export interface GoVersion {
  readonly major: number;
  readonly minor: number;
  /** Present for a release (`1.26.7`); absent for a language version or a pre-release. */
  readonly patch?: number;
  /** Present for a pre-release (`1.27rc1`). */
  readonly prerelease?: { readonly kind: PrereleaseKind; readonly number: number };
}

export type VersionShape = "release" | "prerelease" | "minor";

const NUM = "(0|[1-9][0-9]{0,5})";
const RELEASE_RE = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}$`);
const PRERELEASE_RE = new RegExp(`^${NUM}\\.${NUM}(rc|beta)([1-9][0-9]{0,3})$`);
const MINOR_RE = new RegExp(`^${NUM}\\.${NUM}$`);

/** Parses the canonical spelling only (no `go` prefix, no whitespace, no leading zeros). */
export function parseGoVersion(text: string): GoVersion | undefined {
  let m = RELEASE_RE.exec(text);
  if (m) return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
  m = PRERELEASE_RE.exec(text);
  if (m) {
    return { major: Number(m[1]), minor: Number(m[2]), prerelease: { kind: m[3] as PrereleaseKind, number: Number(m[4]) } };
  }
  m = MINOR_RE.exec(text);
  if (m) return { major: Number(m[1]), minor: Number(m[2]) };
  return undefined;
}

export function versionShape(v: GoVersion): VersionShape {
  if (v.patch !== undefined) return "release";
  if (v.prerelease !== undefined) return "prerelease";
  return "minor";
}

export function formatGoVersion(v: GoVersion): string {
  const base = `${v.major}.${v.minor}`;
  if (v.patch !== undefined) return `${base}.${v.patch}`;
  if (v.prerelease !== undefined) return `${base}${v.prerelease.kind}${v.prerelease.number}`;
  return base;
}

/** `go1.26.7`: the toolchain name Go prints and GOTOOLCHAIN accepts. */
export function toolchainName(v: GoVersion | string): string {
  return `go${typeof v === "string" ? v : formatGoVersion(v)}`;
}

// Stage within a minor: language version, then betas, then release candidates, then releases.
function stage(v: GoVersion): [number, number] {
  if (v.patch !== undefined) return [3, v.patch];
  if (v.prerelease !== undefined) return [v.prerelease.kind === "beta" ? 1 : 2, v.prerelease.number];
  return [0, 0];
}

export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  const ka = [a.major, a.minor, ...stage(a)];
  const kb = [b.major, b.minor, ...stage(b)];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  }
  return 0;
}

/** Compares two canonical version strings; throws on a non-canonical one (a programming error). */
export function compareVersionStrings(a: string, b: string): number {
  const pa = parseGoVersion(a);
  const pb = parseGoVersion(b);
  if (!pa || !pb) throw new Error(`cannot compare Go versions "${a}" and "${b}": not canonical`);
  return compareGoVersions(pa, pb);
}

export function minorOf(v: GoVersion): string {
  return `${v.major}.${v.minor}`;
}
