// Go version syntax and ordering (pure).
//
// Two spellings meet here:
// - Go's own release names, as the go.dev index and `go version` print them: `go1`, `go1.0.1`,
//   `go1.2.2`, `go1.9.2rc2`, `go1.10beta1`, `go1.20` (before Go 1.21 the first release of a minor
//   had no `.0`), `go1.20rc1`, `go1.21rc2`, `go1.21.0`. parseReleaseName / releaseName convert.
// - The project's canonical spelling (the lock, pins, the CLI): every release is an exact `X.Y.Z`,
//   pre-releases are `X.YrcK` / `X.YbetaK` (or `X.Y.ZrcK` for the few patch pre-releases such as
//   go1.9.2rc2), and the bare `X.Y` is only ever the language version. So the release Go calls
//   `go1.20` is pinned and shown as `1.20.0` (its toolchain name stays `go1.20`), `go1` is
//   `1.0.0`, and `1.20` / `1.26` are refused as pins exactly alike ("a minor series, not a
//   release"). vulndb spells go1.20 the same way (`1.20.0`), so both data sets meet on one key.
//
// Order (Go's internal/gover, src/internal/gover/gover.go, Compare and Parse): numbers compare as
// numbers; a missing patch sorts before any patch, except that before 1.21 (minor < 21) a missing
// patch on a non-pre-release means `.0`; pre-release kinds sort "" < beta < rc, except that for a
// patch pre-release the release itself is last. Hence
//   1.21 < 1.21beta1 < 1.21rc1 < 1.21.0 < 1.21.1      (the language version 1.21 is not a release)
//   1.20beta1 < 1.20rc1 < 1.20 = 1.20.0 < 1.20.1      (before 1.21, 1.20 is the release)
//   1.9.1 < 1.9.2rc2 < 1.9.2

export type PrereleaseKind = "beta" | "rc";

export interface GoVersion {
  readonly major: number;
  readonly minor: number;
  /** Present for a release (`1.26.7`) and a patch pre-release (`1.9.2rc2`). */
  readonly patch?: number;
  /** Present for a pre-release (`1.27rc1`, `1.9.2rc2`). */
  readonly prerelease?: { readonly kind: PrereleaseKind; readonly number: number };
}

export type VersionShape = "release" | "prerelease" | "minor";

const NUM = "(0|[1-9][0-9]{0,5})";
const PRE = "(rc|beta)([1-9][0-9]{0,3})";
const RELEASE_RE = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}$`);
const PRERELEASE_RE = new RegExp(`^${NUM}\\.${NUM}${PRE}$`);
const PATCH_PRERELEASE_RE = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}${PRE}$`);
const MINOR_RE = new RegExp(`^${NUM}\\.${NUM}$`);

/** Parses the canonical spelling only (no `go` prefix, no whitespace, no leading zeros). */
export function parseGoVersion(text: string): GoVersion | undefined {
  let m = RELEASE_RE.exec(text);
  if (m) return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
  m = PRERELEASE_RE.exec(text);
  if (m) {
    return { major: Number(m[1]), minor: Number(m[2]), prerelease: { kind: m[3] as PrereleaseKind, number: Number(m[4]) } };
  }
  m = PATCH_PRERELEASE_RE.exec(text);
  if (m) {
    return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: { kind: m[4] as PrereleaseKind, number: Number(m[5]) } };
  }
  m = MINOR_RE.exec(text);
  if (m) return { major: Number(m[1]), minor: Number(m[2]) };
  return undefined;
}

export function versionShape(v: GoVersion): VersionShape {
  if (v.prerelease !== undefined) return "prerelease";
  if (v.patch !== undefined) return "release";
  return "minor";
}

export function formatGoVersion(v: GoVersion): string {
  const base = `${v.major}.${v.minor}`;
  const patch = v.patch !== undefined ? `.${v.patch}` : "";
  const pre = v.prerelease !== undefined ? `${v.prerelease.kind}${v.prerelease.number}` : "";
  return base + patch + pre;
}

/** Before Go 1.21 the first release of a minor had no `.0` (gover.Parse: "patch missing is same as 0 for older versions"). */
function isOldStyle(v: GoVersion): boolean {
  return v.minor < 21;
}

/**
 * Go's own name of a release (`go1.20` for 1.20.0, `go1` for 1.0.0, `go1.26.7`, `go1.27rc1`).
 * Throws on a language version (`1.26`): it names no release.
 */
export function releaseName(v: GoVersion): string {
  if (versionShape(v) === "minor") throw new Error(`${formatGoVersion(v)} is a language version, not a release`);
  if (v.patch === 0 && v.prerelease === undefined && isOldStyle(v)) return v.minor === 0 ? `go${v.major}` : `go${v.major}.${v.minor}`;
  return `go${formatGoVersion(v)}`;
}

const NAME_RE = new RegExp(`^go${NUM}(?:\\.${NUM}(?:\\.${NUM})?)?(?:${PRE})?$`);

/**
 * A release name as go.dev lists it → the canonical version; undefined for anything Go never
 * published as a release: a language version from 1.21 on (`go1.21`), or a `.0` (or bare minor
 * `go1.0`) before 1.21, which Go never used and which would collide with `go1.20` / `go1`.
 */
export function parseReleaseName(name: string): GoVersion | undefined {
  const m = NAME_RE.exec(name);
  if (!m) return undefined;
  const [major, minor, patch] = [m[1], m[2], m[3]].map((x) => (x === undefined ? undefined : Number(x)));
  const prerelease = m[4] !== undefined ? { kind: m[4] as PrereleaseKind, number: Number(m[5]) } : undefined;
  if (minor === undefined) {
    // `go1` is Go 1.0.0; a bare major with a pre-release suffix was never published.
    return prerelease === undefined ? { major: major!, minor: 0, patch: 0 } : undefined;
  }
  const v: GoVersion = { major: major!, minor, ...(patch !== undefined ? { patch } : {}), ...(prerelease ? { prerelease } : {}) };
  if (patch === undefined && prerelease === undefined) {
    if (!isOldStyle(v) || minor === 0) return undefined;
    return { major: major!, minor, patch: 0 };
  }
  if (patch === 0 && isOldStyle(v)) return undefined;
  return v;
}

/** `go1.26.7`: the toolchain name Go prints and GOTOOLCHAIN accepts (`go1.20` for the old-style 1.20.0). */
export function toolchainName(v: GoVersion | string): string {
  const parsed = typeof v === "string" ? parseGoVersion(v) : v;
  if (parsed && versionShape(parsed) !== "minor") return releaseName(parsed);
  return `go${typeof v === "string" ? v : formatGoVersion(v)}`;
}

// gover.Compare key: patch (-1 when missing, 0 when missing before 1.21 on a non-pre-release), then
// the pre-release kind ("" < beta < rc, but a patch release after its own pre-releases), then its number.
function sortKey(v: GoVersion): number[] {
  const patch = v.patch ?? (v.prerelease === undefined && isOldStyle(v) ? 0 : -1);
  const kind = v.prerelease === undefined ? (patch >= 0 ? 3 : 0) : v.prerelease.kind === "beta" ? 1 : 2;
  return [v.major, v.minor, patch, kind, v.prerelease?.number ?? 0];
}

export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
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
