// The toolchain lock (pure): per environment the allowed Go versions, the default one, the
// platforms and each archive's filename and sha256 copied from the catalog; plus the base image
// references with their digests, or an explicit "unresolved" state. Reading and writing the file is
// in lock-store.ts. Every operation returns a new lock; none mutates its input.
//
// The lock is an input an attacker can edit in a pull request, and its values reach a Dockerfile's
// RUN step, FROM lines and reports. So its grammar is closed: every key known, every value matched
// against the exact shape it can take (a filename is the one go.dev gives that version and
// platform, nothing else), and every refusal names the JSON path, the value (escaped, truncated)
// and the fix.

import type { ErrorObject } from "ajv";
import { lazyValidator } from "./lazy-ajv";
import { GoCatalog } from "./catalog";
import { parseImageRef } from "./image-ref";
import { checkPinnedVersion, checkPlatform } from "./pin";
import { parsePlatform } from "./platform";
import { compareVersionStrings, parseGoVersion, versionShape } from "./version";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/**
 * The platforms a builder image can be made for: the Linux archives go.dev publishes (the builder
 * runs the archive's `go` inside a Linux container). Go names 32-bit ARM `armv6l`.
 */
export const KNOWN_PLATFORMS = [
  "linux/386",
  "linux/amd64",
  "linux/arm64",
  "linux/armv6l",
  "linux/loong64",
  "linux/mips",
  "linux/mips64",
  "linux/mips64le",
  "linux/mipsle",
  "linux/ppc64",
  "linux/ppc64le",
  "linux/riscv64",
  "linux/s390x",
] as const;

/** Exact release (`1.26.7`) or pre-release (`1.27rc1`): the canonical spellings version.ts parses. */
export const LOCK_VERSION_PATTERN = "^(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})(\\.(0|[1-9][0-9]{0,5})|(rc|beta)[1-9][0-9]{0,3})$";
export const SHA256_PATTERN = "^[0-9a-f]{64}$";
export const DIGEST_PATTERN = "^sha256:[0-9a-f]{64}$";
export const FINGERPRINT_PATTERN = "^[0-9A-F]{40}$";
/** A UTC time to the second, as `new Date().toISOString()` gives it without milliseconds. */
export const UTC_TIME_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$";
/** Free text the lock carries for people (image source, unresolved reason): printable ASCII, one line. */
const NOTE_PATTERN = "^[\\x20-\\x7e]{1,300}$";
/** Image references as the lock keys them: the characters parseImageRef accepts, no digest. */
const IMAGE_KEY_PATTERN = "^[a-z0-9][a-z0-9._/:-]{0,254}$";

/** The archive go.dev publishes for a version and a platform key (`linux/armv6l` → `go1.26.7.linux-armv6l.tar.gz`). */
export function canonicalArchiveFilename(version: string, platform: string): string {
  const p = parsePlatform(platform);
  if (!p) throw new Error(`not a platform: ${JSON.stringify(platform)}`);
  return `go${version}.${p.os}-${p.arch}.tar.gz`;
}

/**
 * A value as an error message shows it: JSON-quoted, every control, format and non-ASCII character
 * escaped (so a terminal or a CI log never interprets it), at most `max` characters of the original.
 */
export function showValue(value: unknown, max = 60): string {
  if (typeof value !== "string") {
    const text = value === undefined ? "undefined" : JSON.stringify(value) ?? String(value);
    return text.length > max ? `${showValue(text, max)} (a ${Array.isArray(value) ? "list" : typeof value})` : escapeForDisplay(text);
  }
  const chars = [...value];
  const escaped = escapeForDisplay(JSON.stringify(chars.slice(0, max).join("")));
  return chars.length > max ? `${escaped}… (${chars.length} characters)` : escaped;
}

/** JSON text with every character outside printable ASCII as a \\u escape (JSON leaves DEL, C1, bidi and line separators raw). */
function escapeForDisplay(json: string): string {
  return json.replace(/[^\x20-\x7e]/gu, (c) => {
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, "0")}`;
  });
}

/** `environments.prod.versions["1.26.7"]["linux/amd64"].filename`: segments that are not identifiers in brackets. */
export function jsonPath(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return "(top level)";
  return segments
    .map((s, i) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s) ? `${i === 0 ? "" : "."}${s}` : `[${showValue(s, 80)}]`))
    .join("");
}

/**
 * The host-side check of an archive's detached signature (`goguard lock allow|promote
 * --verify-signature`): the archive and its `.asc` were downloaded, the archive's sha256 equalled
 * this entry's, and the signature verified against the vendored Go signing key alone.
 */
export interface SignatureRecord {
  readonly verified: true;
  /** Fingerprint (40 uppercase hex) of the key that signed: the primary or one of its subkeys. */
  readonly subkey: string;
  /** When the signature says it was made (UTC, RFC 3339, seconds). */
  readonly signedAt: string;
  /** When goguard verified it (UTC, RFC 3339, seconds). */
  readonly checkedAt: string;
}

export interface LockedArchive {
  readonly filename: string;
  readonly sha256: string;
  /** Absent: no host-side signature check is recorded (locks written before it existed stay valid). */
  readonly signature?: SignatureRecord;
}

export interface EnvironmentLock {
  /** Release candidates and betas may be allowed here (dev only, by convention). */
  readonly allowPrereleases: boolean;
  /** The version builds use unless they ask for another allowed one. */
  readonly default: string;
  /** Platforms (`os/arch`) every allowed version is locked for. */
  readonly platforms: readonly string[];
  /** version → platform → archive. */
  readonly versions: Readonly<Record<string, Readonly<Record<string, LockedArchive>>>>;
}

export type LockedImage =
  | { readonly state: "resolved"; readonly digest: string; readonly source: string }
  | { readonly state: "unresolved"; readonly reason: string };

export interface ToolchainLock {
  readonly lockVersion: 1;
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentLock>>;
  /** Image reference (registry/name:tag) → its digest. */
  readonly images: Readonly<Record<string, LockedImage>>;
}

const SIGNATURE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["verified", "subkey", "signedAt", "checkedAt"],
  properties: {
    verified: { const: true },
    subkey: { type: "string", pattern: FINGERPRINT_PATTERN },
    signedAt: { type: "string", pattern: UTC_TIME_PATTERN },
    checkedAt: { type: "string", pattern: UTC_TIME_PATTERN },
  },
} as const;

const ARCHIVE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["filename", "sha256"],
  properties: { filename: { type: "string" }, sha256: { type: "string", pattern: SHA256_PATTERN }, signature: SIGNATURE_SCHEMA },
} as const;

/** One environment's entry: the unit `lock history` records and `lock rollback` restores. */
const ENVIRONMENT_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["allowPrereleases", "default", "platforms", "versions"],
  properties: {
    allowPrereleases: { type: "boolean" },
    default: { type: "string", pattern: LOCK_VERSION_PATTERN },
    platforms: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", enum: [...KNOWN_PLATFORMS] } },
    versions: {
      type: "object",
      minProperties: 1,
      additionalProperties: false,
      patternProperties: {
        [LOCK_VERSION_PATTERN]: {
          type: "object",
          minProperties: 1,
          additionalProperties: false,
          properties: Object.fromEntries(KNOWN_PLATFORMS.map((p) => [p, ARCHIVE_SCHEMA])),
        },
      },
    },
  },
} as const;

export const LOCK_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["lockVersion", "environments", "images"],
  properties: {
    $comment: { type: "string", pattern: "^[^\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]{0,500}$" },
    lockVersion: { const: 1 },
    environments: {
      type: "object",
      additionalProperties: false,
      required: [...ENVIRONMENTS],
      properties: Object.fromEntries(ENVIRONMENTS.map((e) => [e, ENVIRONMENT_SCHEMA])),
    },
    images: {
      type: "object",
      additionalProperties: false,
      patternProperties: {
        [IMAGE_KEY_PATTERN]: {
          type: "object",
          required: ["state"],
          discriminator: { propertyName: "state" },
          oneOf: [
            {
              type: "object",
              additionalProperties: false,
              required: ["state", "digest", "source"],
              properties: { state: { const: "resolved" }, digest: { type: "string", pattern: DIGEST_PATTERN }, source: { type: "string", pattern: NOTE_PATTERN } },
            },
            {
              type: "object",
              additionalProperties: false,
              required: ["state", "reason"],
              properties: { state: { const: "unresolved" }, reason: { type: "string", pattern: NOTE_PATTERN } },
            },
          ],
        },
      },
    },
  },
} as const;

const validateLockShape = lazyValidator({ allErrors: true, discriminator: true, strict: true, strictRequired: false }, LOCK_SCHEMA);

export class LockError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems in the toolchain lock:\n  - ${problems.join("\n  - ")}`);
    this.name = "LockError";
  }
}

/** JSON pointer → path segments; array indexes become numbers (so they print as `[2]`). */
function pointerSegments(doc: unknown, pointer: string): (string | number)[] {
  const out: (string | number)[] = [];
  let v: unknown = doc;
  for (const raw of pointer === "" ? [] : pointer.slice(1).split("/")) {
    const s = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out.push(Array.isArray(v) && /^\d+$/.test(s) ? Number(s) : s);
    v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[s] : undefined;
  }
  return out;
}

function valueAt(doc: unknown, segments: readonly (string | number)[]): unknown {
  let v: unknown = doc;
  for (const s of segments) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[String(s)] : undefined;
  return v;
}

const FRESH = "see the shipped stacks/toolchain.lock.json for the shape, and change it only with `goguard lock …`";

/** One line per schema error: where (JSON path), what was found, and what to do. */
function describeSchemaError(doc: unknown, e: ErrorObject): string {
  const segs = pointerSegments(doc, e.instancePath);
  const path = jsonPath(segs);
  const value = valueAt(doc, segs);
  const last = segs[segs.length - 1];
  const parent = segs[segs.length - 2];
  switch (e.keyword) {
    case "required":
      return `${path}: missing "${(e.params as { missingProperty: string }).missingProperty}"; add it (${FRESH})`;
    case "additionalProperties": {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const at = jsonPath([...segs, key]);
      if (segs.length === 3 && segs[0] === "environments" && last === "versions") {
        return `${at}: the key ${showValue(key)} is not an exact Go release (such as "1.26.7") or pre-release (such as "1.27rc1"); allow versions with \`goguard lock allow ${segs[1]} <version>\``;
      }
      if (segs.length === 4 && segs[0] === "environments" && parent === "versions") {
        return `${at}: the key ${showValue(key)} is not a platform GoGuard builds for (${KNOWN_PLATFORMS.join(", ")}); ${key === "linux/arm" ? 'Go names 32-bit ARM "linux/armv6l"' : "remove it"}`;
      }
      if (segs.length === 1 && last === "images") {
        return `${at}: the key ${showValue(key)} is not an image reference such as "debian:bookworm-slim"; add images with \`goguard lock resolve-images --image <ref>\``;
      }
      return `${at}: unknown key ${showValue(key)}; remove it or fix its spelling (${FRESH})`;
    }
    case "pattern":
      if (last === "sha256") return `${path}: ${showValue(value)} is not 64 lowercase hex digits; copy it from the catalog with \`goguard lock allow\` (compare with \`goguard lock verify\`)`;
      if (last === "digest") return `${path}: ${showValue(value)} is not "sha256:" followed by 64 lowercase hex digits; resolve it with \`goguard lock resolve-images\``;
      if (last === "default") return `${path}: ${showValue(value)} is not an exact Go release such as "1.26.7"; set it with \`goguard lock allow ${segs[1]} <version> --default\``;
      if (last === "subkey") return `${path}: ${showValue(value)} is not a key fingerprint (40 uppercase hex digits); record signatures only with \`goguard lock allow|promote … --verify-signature\``;
      if (last === "signedAt" || last === "checkedAt") return `${path}: ${showValue(value)} is not a UTC time such as "2026-11-22T06:41:27Z"; record signatures only with \`goguard lock allow|promote … --verify-signature\``;
      if (last === "source" || last === "reason") return `${path}: ${showValue(value)} must be one line of printable ASCII, 1 to 300 characters; rewrite it`;
      return `${path}: ${showValue(value)} must be printable ASCII on one line; rewrite it`;
    case "enum":
      return `${path}: ${showValue(value)} is not a platform GoGuard builds for (${KNOWN_PLATFORMS.join(", ")}); ${value === "linux/arm" ? 'Go names 32-bit ARM "linux/armv6l"' : "use one of those"}`;
    case "const":
      return `${path}: ${showValue(value)} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    case "type":
      return `${path}: ${showValue(value)} must be ${e.params && (e.params as { type: string }).type === "object" ? "an object" : `a ${(e.params as { type: string }).type}`} (${FRESH})`;
    case "uniqueItems":
      return `${path}: lists a platform twice; remove the duplicate`;
    case "minItems":
    case "minProperties":
      return `${path}: must not be empty (${FRESH})`;
    case "discriminator":
      return `${path}.state: ${showValue(valueAt(doc, [...segs, "state"]))} must be "resolved" (with digest and source) or "unresolved" (with reason)`;
    default:
      return `${path}: ${e.message}`;
  }
}

/** The command that rewrites an environment's entry for a version from the catalog. */
function refill(env: EnvironmentName, v: string): string {
  return env === "prod" ? `\`goguard lock promote staging prod --version ${v}\`` : `\`goguard lock allow ${env} ${v}\``;
}

/** Problems a JSON schema cannot express: canonical filenames, pre-releases, defaults, promotion. */
function consistencyProblems(lock: ToolchainLock): string[] {
  const problems: string[] = [];
  for (const env of ENVIRONMENTS) {
    const e = lock.environments[env];
    if (!(e.default in e.versions)) {
      problems.push(`${jsonPath(["environments", env, "default"])}: ${showValue(e.default)} is not one of its versions (${Object.keys(e.versions).join(", ")}); allow it first or pick one of those`);
    }
    for (const [v, archives] of Object.entries(e.versions)) {
      const parsed = parseGoVersion(v);
      if (parsed && versionShape(parsed) === "prerelease" && !e.allowPrereleases) {
        problems.push(`${jsonPath(["environments", env, "versions", v])}: ${showValue(v)} is a pre-release, and ${env} does not allow pre-releases; remove it with \`goguard lock disallow ${env} ${v}\``);
      }
      const missing = e.platforms.filter((p) => !(p in archives));
      if (missing.length > 0) problems.push(`${jsonPath(["environments", env, "versions", v])}: no archive locked for ${missing.join(", ")}; run ${refill(env, v)} to fill it from the catalog`);
      for (const [p, a] of Object.entries(archives)) {
        if (a.signature && a.signature.signedAt > a.signature.checkedAt) {
          problems.push(`${jsonPath(["environments", env, "versions", v, p, "signature", "signedAt"])}: ${showValue(a.signature.signedAt)} is after checkedAt ${showValue(a.signature.checkedAt)}; a signature cannot be checked before it was made: check it again with --verify-signature`);
        }
        const want = canonicalArchiveFilename(v, p);
        if (a.filename !== want) {
          problems.push(`${jsonPath(["environments", env, "versions", v, p, "filename"])}: ${showValue(a.filename)} is not the archive go.dev publishes for Go ${v} on ${p}; it must be "${want}" (refill it with ${refill(env, v)})`);
        }
      }
    }
  }
  for (const ref of Object.keys(lock.images)) {
    const parsed = parseImageRef(ref);
    if (!parsed || parsed.tag === undefined || parsed.digest !== undefined) {
      problems.push(`${jsonPath(["images", ref])}: the key ${showValue(ref)} is not an image reference with a tag and no digest (such as "debian:bookworm-slim"); the digest goes in "digest"`);
    }
  }
  const prodVersions = Object.keys(lock.environments.prod.versions);
  if (prodVersions.length !== 1) {
    problems.push(`environments.prod.versions: prod runs exactly one Go version; found ${prodVersions.length} (${prodVersions.join(", ")}); promote one with \`goguard lock promote staging prod\``);
  }
  for (const v of prodVersions) {
    if (!(v in lock.environments.staging.versions)) {
      problems.push(`${jsonPath(["environments", "prod", "versions", v])}: a version enters prod only if staging runs it; staging has ${Object.keys(lock.environments.staging.versions).join(", ")}`);
    }
  }
  return problems;
}

/** Validates the lock's shape (JSON Schema) and its internal consistency; throws LockError with every problem. */
export function parseLock(doc: unknown): ToolchainLock {
  if (!validateLockShape(doc)) {
    throw new LockError([...new Set((validateLockShape.errors ?? []).map((e) => describeSchemaError(doc, e)))]);
  }
  const lock = doc as unknown as ToolchainLock;
  const problems = consistencyProblems(lock);
  if (problems.length > 0) throw new LockError(problems);
  return lock;
}

/**
 * The archives of a version from the catalog. A signature record of `previous` (the same version
 * locked elsewhere or before) is kept when it is for the very same bytes: same file, same sha256.
 */
function lockedArchives(version: string, platforms: readonly string[], catalog: GoCatalog, previous: ReadonlyArray<Readonly<Record<string, LockedArchive>> | undefined> = []): Record<string, LockedArchive> {
  const out: Record<string, LockedArchive> = {};
  for (const p of [...platforms].sort()) {
    const pr = checkPlatform(p, version, catalog);
    if (!pr.ok) throw new LockError([`platform ${pr.reason}`]);
    const a = catalog.archive(version, p)!;
    const record = previous.map((prev) => prev?.[p]).find((x) => x?.signature && x.sha256 === a.sha256 && x.filename === a.filename)?.signature;
    out[p] = record ? { filename: a.filename, sha256: a.sha256, signature: record } : { filename: a.filename, sha256: a.sha256 };
  }
  return out;
}

function sortedVersions<T>(versions: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(versions).sort(compareVersionStrings).map((k) => [k, versions[k]]));
}

function withEnv(lock: ToolchainLock, env: EnvironmentName, e: EnvironmentLock): ToolchainLock {
  return { ...lock, environments: { ...lock.environments, [env]: { ...e, versions: sortedVersions({ ...e.versions }) } } };
}

export function checkEnvironmentName(text: string): EnvironmentName {
  if ((ENVIRONMENTS as readonly string[]).includes(text)) return text as EnvironmentName;
  throw new LockError([`environment "${text}" is not one of ${ENVIRONMENTS.join(", ")}`]);
}

/**
 * Allows a version in dev or staging (checksums filled from the catalog), optionally as the default.
 * prod takes a version only through promotion from staging.
 */
export function allowVersion(
  lock: ToolchainLock,
  env: EnvironmentName,
  version: string,
  catalog: GoCatalog,
  opts: { makeDefault?: boolean; platforms?: readonly string[]; /** Earlier archives of this version whose signature records carry over. */ previous?: Readonly<Record<string, LockedArchive>> } = {},
): ToolchainLock {
  if (env === "prod") throw new LockError([`prod takes a Go version only by promotion: run \`goguard lock promote staging prod --version ${version}\` once staging runs it`]);
  const e = lock.environments[env];
  const pin = checkPinnedVersion(version, catalog, { allowPrerelease: e.allowPrereleases });
  if (!pin.ok) throw new LockError([`version for ${env}: ${pin.reason}`]);
  const platforms = opts.platforms ?? e.platforms;
  // A platform with no archive is the first thing to fix: saying "use the same platforms" about it would send the user to a second refusal.
  for (const p of opts.platforms ?? []) {
    const pr = checkPlatform(p, version, catalog);
    if (!pr.ok) throw new LockError([`platform ${pr.reason}`]);
  }
  if (opts.platforms && Object.keys(e.versions).some((v) => v !== version)) {
    const same = [...opts.platforms].sort().join(",") === [...e.platforms].sort().join(",");
    if (!same) throw new LockError([`platforms for ${env}: every allowed version is locked for the same platforms (${e.platforms.join(", ")}); change them for all versions at once with \`goguard lock platforms ${env} …\``]);
  }
  const versions = { ...e.versions, [version]: lockedArchives(version, platforms, catalog, [e.versions[version], opts.previous]) };
  return withEnv(lock, env, { ...e, platforms: [...platforms].sort(), versions, default: opts.makeDefault ? version : e.default });
}

/** Removes an allowed version (not the default). */
export function disallowVersion(lock: ToolchainLock, env: EnvironmentName, version: string): ToolchainLock {
  const e = lock.environments[env];
  if (!(version in e.versions)) throw new LockError([`${env} does not allow ${version} (it allows ${Object.keys(e.versions).join(", ")})`]);
  if (e.default === version) throw new LockError([`${version} is the default of ${env}; set another default first with \`goguard lock allow ${env} <version> --default\``]);
  const { [version]: _removed, ...rest } = e.versions;
  void _removed;
  return withEnv(lock, env, { ...e, versions: rest });
}

const NEXT: Record<EnvironmentName, EnvironmentName | undefined> = { dev: "staging", staging: "prod", prod: undefined };

/**
 * Promotes a version one step (dev → staging → prod). staging gets it as its default (its other
 * versions stay allowed); prod holds exactly the promoted version, and only if staging runs it.
 */
export function promote(lock: ToolchainLock, from: EnvironmentName, to: EnvironmentName, catalog: GoCatalog, version?: string): ToolchainLock {
  if (NEXT[from] !== to) throw new LockError([`promotion goes dev → staging → prod, one step at a time; ${from} → ${to} is not a step`]);
  const src = lock.environments[from];
  const v = version ?? src.default;
  if (!(v in src.versions)) throw new LockError([`${from} does not allow ${v} (it allows ${Object.keys(src.versions).join(", ")}); allow it there first`]);
  if (to === "prod" && src.default !== v) {
    throw new LockError([`a version enters prod only if staging runs it: staging runs ${src.default}, not ${v}; run \`goguard lock promote dev staging --version ${v}\` first`]);
  }
  const dst = lock.environments[to];
  const pin = checkPinnedVersion(v, catalog, { allowPrerelease: dst.allowPrereleases });
  if (!pin.ok) throw new LockError([`version for ${to}: ${pin.reason}`]);
  const archives = lockedArchives(v, dst.platforms, catalog, [dst.versions[v], src.versions[v]]);
  const versions = to === "prod" ? { [v]: archives } : { ...dst.versions, [v]: archives };
  return withEnv(lock, to, { ...dst, versions, default: v });
}

export interface VerifyProblem {
  readonly where: string;
  readonly message: string;
}

/** Every locked checksum and filename equals the catalog's. */
export function verifyLock(lock: ToolchainLock, catalog: GoCatalog): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  for (const env of ENVIRONMENTS) {
    const e = lock.environments[env];
    for (const [v, archives] of Object.entries(e.versions)) {
      const pin = checkPinnedVersion(v, catalog, { allowPrerelease: e.allowPrereleases });
      if (!pin.ok) {
        problems.push({ where: `${env} ${v}`, message: pin.reason });
        continue;
      }
      for (const [p, a] of Object.entries(archives)) {
        const where = `${env} ${v} ${p}`;
        const c = catalog.archive(v, p);
        if (!c) problems.push({ where, message: `the catalog has no ${p} archive for ${v}` });
        else if (c.sha256 !== a.sha256) problems.push({ where, message: `${a.filename}: locked sha256 ${a.sha256} differs from the catalog's ${c.sha256}` });
        else if (c.filename !== a.filename) problems.push({ where, message: `locked filename ${a.filename} differs from the catalog's ${c.filename}` });
      }
    }
  }
  return problems;
}

export interface ArchiveRef {
  readonly version: string;
  readonly platform: string;
  readonly filename: string;
}

/** The archives of an environment without a signature record, by version then platform. */
export function signatureGaps(lock: ToolchainLock, env: EnvironmentName): ArchiveRef[] {
  const out: ArchiveRef[] = [];
  for (const [version, archives] of Object.entries(lock.environments[env].versions)) {
    for (const [platform, a] of Object.entries(archives)) if (!a.signature) out.push({ version, platform, filename: a.filename });
  }
  return out;
}

/** Records a verified signature for one locked archive (which must exist, with that sha256). */
export function withSignature(lock: ToolchainLock, env: EnvironmentName, version: string, platform: string, sha256: string, record: SignatureRecord): ToolchainLock {
  const e = lock.environments[env];
  const a = e.versions[version]?.[platform];
  if (!a) throw new LockError([`${env} does not lock Go ${version} for ${platform}; nothing to record a signature for`]);
  if (a.sha256 !== sha256) throw new LockError([`${env} ${version} ${platform}: the signature was checked for sha256 ${sha256}, but the lock now holds ${a.sha256} (changed meanwhile); verify again`]);
  const versions = { ...e.versions, [version]: { ...e.versions[version], [platform]: { filename: a.filename, sha256: a.sha256, signature: record } } };
  return withEnv(lock, env, { ...e, versions });
}

/** Replaces one environment's entry whole (rollback); the caller re-validates the lock. */
export function withEnvironment(lock: ToolchainLock, env: EnvironmentName, e: EnvironmentLock): ToolchainLock {
  return withEnv(lock, env, e);
}

export function setImage(lock: ToolchainLock, ref: string, image: LockedImage): ToolchainLock {
  const images = { ...lock.images, [ref]: image };
  return { ...lock, images: Object.fromEntries(Object.keys(images).sort().map((k) => [k, images[k]])) };
}

export function serializeLock(lock: ToolchainLock): string {
  return JSON.stringify(lock, null, 2) + "\n";
}

/**
 * An image reference pinned by the digest the lock holds (`ref@sha256:…`). An unresolved image is
 * allowed only in dev, as its tag; elsewhere it is refused with the command that resolves it.
 */
export function lockedImageRef(lock: ToolchainLock, ref: string, env: EnvironmentName): string {
  const img = lock.images[ref];
  if (!img) throw new LockError([`images: the lock has no entry for ${ref}; add it with \`goguard lock resolve-images --image ${ref}\``]);
  if (img.state === "resolved") return `${ref}@${img.digest}`;
  if (env === "dev") return ref;
  throw new LockError([`images.${ref}: unresolved (${img.reason}); ${env} needs a digest: run \`goguard lock resolve-images --image ${ref}\` on a networked machine`]);
}
