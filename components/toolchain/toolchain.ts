// Resolving an environment's toolchain from the lock (pure): the version it runs, and for each
// platform the archive with its checksum, cross-checked against the catalog. Also the Go settings
// policy an environment is judged by, derived from its lock entry and its stack settings.

import { DEFAULT_DOWNLOAD_BASE, GoCatalog } from "./catalog";
import { checkArchiveChecksum, GoEnvPolicy } from "./goenv";
import { EnvironmentName, LockError, ToolchainLock } from "./lock";
import { checkPinnedVersion } from "./pin";
import { toolchainName } from "./version";

export interface ResolvedArchive {
  readonly platform: string;
  readonly filename: string;
  readonly sha256: string;
  readonly url: string;
}

export interface ResolvedToolchain {
  readonly environment: EnvironmentName;
  /** `1.26.7` */
  readonly version: string;
  /** `go1.26.7`, what `go version` prints. */
  readonly toolchain: string;
  readonly allowedVersions: readonly string[];
  readonly allowPrereleases: boolean;
  readonly platforms: readonly string[];
  /** Sorted by platform. */
  readonly archives: readonly ResolvedArchive[];
}

/**
 * The toolchain an environment runs: its lock's default (or `version`, which must be allowed there),
 * every archive checked against the catalog. Throws LockError naming the entry and the fix.
 */
export function resolveToolchain(lock: ToolchainLock, env: EnvironmentName, catalog: GoCatalog, opts: { version?: string; mirror?: string } = {}): ResolvedToolchain {
  const e = lock.environments[env];
  const version = opts.version ?? e.default;
  const pin = checkPinnedVersion(version, catalog, { allowPrerelease: e.allowPrereleases });
  if (!pin.ok) throw new LockError([`goVersion for ${env}: ${pin.reason}`]);
  const archives = e.versions[version];
  if (!archives) {
    const how = env === "prod" ? `promote it with \`goguard lock promote staging prod --version ${version}\`` : `run \`goguard lock allow ${env} ${version}\``;
    throw new LockError([`goVersion for ${env}: "${version}" is not allowed there (the lock allows ${Object.keys(e.versions).join(", ")}); ${how}`]);
  }
  const mirror = opts.mirror ?? DEFAULT_DOWNLOAD_BASE;
  const problems: string[] = [];
  const resolved: ResolvedArchive[] = [];
  for (const platform of [...e.platforms].sort()) {
    const a = archives[platform];
    if (!a) {
      problems.push(`lock ${env} ${version}: no archive for ${platform}; run \`goguard lock allow ${env} ${version}\``);
      continue;
    }
    for (const f of checkArchiveChecksum(version, platform, a.sha256, catalog)) problems.push(`lock ${env} ${version} ${platform}: ${f.message}. ${f.fix}`);
    resolved.push({ platform, filename: a.filename, sha256: a.sha256, url: mirror + a.filename });
  }
  if (problems.length > 0) throw new LockError(problems);
  return {
    environment: env,
    version,
    toolchain: toolchainName(version),
    allowedVersions: Object.keys(e.versions),
    allowPrereleases: e.allowPrereleases,
    platforms: [...e.platforms].sort(),
    archives: resolved,
  };
}

export interface EnvironmentSettings {
  /** The environment's module proxy URLs as consumers reach them (in-cluster first). */
  readonly proxies: readonly string[];
  readonly privatePrefixes: readonly string[];
  /** @default [] */
  readonly sumdbAllowlist?: readonly string[];
}

/**
 * The Go settings policy of an environment: versions from its lock entry; direct fallback and
 * internal GOINSECURE hosts only outside prod (direct only in dev); release flags everywhere
 * (their enforcement level differs per environment, not their meaning).
 */
export function environmentPolicy(lock: ToolchainLock, env: EnvironmentName, settings: EnvironmentSettings): GoEnvPolicy {
  const e = lock.environments[env];
  return {
    proxies: settings.proxies,
    allowDirectFallback: env === "dev",
    privatePrefixes: settings.privatePrefixes,
    sumdbAllowlist: settings.sumdbAllowlist ?? [],
    allowInsecureInternal: env !== "prod",
    allowedVersions: Object.keys(e.versions),
    allowPrereleases: e.allowPrereleases,
    release: true,
  };
}
