// The toolchain lock (pure): per environment the allowed Go versions, the default one, the
// platforms and each archive's filename and sha256 copied from the catalog; plus the base image
// references with their digests, or an explicit "unresolved" state. Reading and writing the file is
// in lock-store.ts. Every operation returns a new lock; none mutates its input.

import Ajv, { ErrorObject } from "ajv";
import { GoCatalog } from "./catalog";
import { checkPinnedVersion, checkPlatform } from "./pin";
import { compareVersionStrings } from "./version";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

export interface LockedArchive {
  readonly filename: string;
  readonly sha256: string;
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

const SHA256 = "^[0-9a-f]{64}$";
const LOCK_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["lockVersion", "environments", "images"],
  properties: {
    $comment: { type: "string" },
    lockVersion: { const: 1 },
    environments: {
      type: "object",
      additionalProperties: false,
      required: [...ENVIRONMENTS],
      properties: Object.fromEntries(
        ENVIRONMENTS.map((e) => [
          e,
          {
            type: "object",
            additionalProperties: false,
            required: ["allowPrereleases", "default", "platforms", "versions"],
            properties: {
              allowPrereleases: { type: "boolean" },
              default: { type: "string" },
              platforms: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^[a-z0-9]+/[a-z0-9]+$" } },
              versions: {
                type: "object",
                minProperties: 1,
                additionalProperties: {
                  type: "object",
                  minProperties: 1,
                  additionalProperties: {
                    type: "object",
                    additionalProperties: false,
                    required: ["filename", "sha256"],
                    properties: { filename: { type: "string", minLength: 1 }, sha256: { type: "string", pattern: SHA256 } },
                  },
                },
              },
            },
          },
        ]),
      ),
    },
    images: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["state"],
        discriminator: { propertyName: "state" },
        oneOf: [
          {
            type: "object",
            additionalProperties: false,
            required: ["state", "digest", "source"],
            properties: { state: { const: "resolved" }, digest: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" }, source: { type: "string", minLength: 1 } },
          },
          {
            type: "object",
            additionalProperties: false,
            required: ["state", "reason"],
            properties: { state: { const: "unresolved" }, reason: { type: "string", minLength: 1 } },
          },
        ],
      },
    },
  },
} as const;

const validateLockShape = new Ajv({ allErrors: true, discriminator: true }).compile(LOCK_SCHEMA);

export class LockError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems in the toolchain lock:\n  - ${problems.join("\n  - ")}`);
    this.name = "LockError";
  }
}

function describeSchemaError(e: ErrorObject): string {
  const path = e.instancePath === "" ? "(top level)" : e.instancePath.slice(1).split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");
  switch (e.keyword) {
    case "required":
      return `${path}: missing "${(e.params as { missingProperty: string }).missingProperty}"; add it (see the lock of a fresh \`goguard lock\` run for the shape)`;
    case "additionalProperties":
      return `${path}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"; remove it or fix its spelling`;
    case "pattern":
      return path.endsWith("sha256")
        ? `${path}: must be 64 lowercase hex digits; copy it from the catalog with \`goguard lock verify\` / \`goguard catalog show\``
        : path.endsWith("digest")
          ? `${path}: must be "sha256:" followed by 64 lowercase hex digits; resolve it with \`goguard lock resolve-images\``
          : `${path}: must match ${(e.params as { pattern: string }).pattern} (platforms are os/arch, such as linux/amd64)`;
    case "const":
      return `${path}: must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    default:
      return `${path}: ${e.message}`;
  }
}

/** Validates the lock's shape (JSON Schema) and its internal consistency; throws LockError with every problem. */
export function parseLock(doc: unknown): ToolchainLock {
  if (!validateLockShape(doc)) {
    throw new LockError([...new Set((validateLockShape.errors ?? []).map(describeSchemaError))]);
  }
  const lock = doc as unknown as ToolchainLock;
  const problems: string[] = [];
  for (const env of ENVIRONMENTS) {
    const e = lock.environments[env];
    if (!(e.default in e.versions)) {
      problems.push(`environments.${env}.default: "${e.default}" is not one of its versions (${Object.keys(e.versions).join(", ")}); allow it first or pick one of those`);
    }
    for (const [v, archives] of Object.entries(e.versions)) {
      const missing = e.platforms.filter((p) => !(p in archives));
      if (missing.length > 0) problems.push(`environments.${env}.versions.${v}: no archive locked for ${missing.join(", ")}; run \`goguard lock allow ${env} ${v}\` to fill it from the catalog`);
    }
  }
  const prodVersions = Object.keys(lock.environments.prod.versions);
  if (prodVersions.length !== 1) {
    problems.push(`environments.prod.versions: prod runs exactly one Go version; found ${prodVersions.length} (${prodVersions.join(", ")}); promote one with \`goguard lock promote staging prod\``);
  }
  for (const v of prodVersions) {
    if (!(v in lock.environments.staging.versions)) {
      problems.push(`environments.prod.versions.${v}: a version enters prod only if staging runs it; staging has ${Object.keys(lock.environments.staging.versions).join(", ")}`);
    }
  }
  if (problems.length > 0) throw new LockError(problems);
  return lock;
}

function lockedArchives(version: string, platforms: readonly string[], catalog: GoCatalog): Record<string, LockedArchive> {
  const out: Record<string, LockedArchive> = {};
  for (const p of [...platforms].sort()) {
    const pr = checkPlatform(p, version, catalog);
    if (!pr.ok) throw new LockError([`platform ${pr.reason}`]);
    const a = catalog.archive(version, p)!;
    out[p] = { filename: a.filename, sha256: a.sha256 };
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
export function allowVersion(lock: ToolchainLock, env: EnvironmentName, version: string, catalog: GoCatalog, opts: { makeDefault?: boolean; platforms?: readonly string[] } = {}): ToolchainLock {
  if (env === "prod") throw new LockError([`prod takes a Go version only by promotion: run \`goguard lock promote staging prod --version ${version}\` once staging runs it`]);
  const e = lock.environments[env];
  const pin = checkPinnedVersion(version, catalog, { allowPrerelease: e.allowPrereleases });
  if (!pin.ok) throw new LockError([`version for ${env}: ${pin.reason}`]);
  const platforms = opts.platforms ?? e.platforms;
  if (opts.platforms && Object.keys(e.versions).some((v) => v !== version)) {
    const same = [...opts.platforms].sort().join(",") === [...e.platforms].sort().join(",");
    if (!same) throw new LockError([`platforms for ${env}: every allowed version is locked for the same platforms (${e.platforms.join(", ")}); change them for all versions at once with \`goguard lock platforms ${env} …\``]);
  }
  const versions = { ...e.versions, [version]: lockedArchives(version, platforms, catalog) };
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
  const archives = lockedArchives(v, dst.platforms, catalog);
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
