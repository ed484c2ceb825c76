// The one validator for a pinned Go version (pure). Components, the lock, the CLI and the policies
// all call checkPinnedVersion; each refusal says why and what to pin instead.

import { GoCatalog } from "./catalog";
import { parseGoVersion, versionShape, minorOf } from "./version";
import { parsePlatform } from "./platform";

export type PinResult = { readonly ok: true; readonly version: string } | { readonly ok: false; readonly reason: string };

export interface PinOptions {
  /** Release candidates and betas are accepted only where the environment allows pre-releases (dev). @default false */
  readonly allowPrerelease?: boolean;
}

function suggestion(catalog: GoCatalog): string {
  return catalog.newestStable() ?? "a release from `goguard catalog show`";
}

/** Why `text` is not an exact Go release of the catalog, or the canonical version when it is. */
export function checkPinnedVersion(text: unknown, catalog: GoCatalog, opts: PinOptions = {}): PinResult {
  if (typeof text !== "string") {
    return { ok: false, reason: `${JSON.stringify(text) ?? String(text)} is not a string: pin an exact patch release such as "${suggestion(catalog)}"` };
  }
  const q = JSON.stringify(text);
  const example = suggestion(catalog);
  if (text === "") return { ok: false, reason: `the version is empty: pin an exact patch release such as ${example}` };
  if (text.trim() !== text) {
    return { ok: false, reason: `${q} has surrounding whitespace: write ${JSON.stringify(text.trim())}` };
  }
  if (/^go\d/.test(text)) return { ok: false, reason: `${q}: write the version without the "go" prefix (${JSON.stringify(text.slice(2))})` };
  if (/^v\d/.test(text)) return { ok: false, reason: `${q}: write the version without the "v" prefix (${JSON.stringify(text.slice(1))})` };
  if (/^(latest|stable|current|tip|master|main|newest)$/i.test(text)) {
    return { ok: false, reason: `${q} is not a version: pin an exact patch release such as ${example}` };
  }
  if (/^[\^~<>=*]|\.[xX*]$|\.[xX*]\.|\s|\|\||,/.test(text)) {
    return { ok: false, reason: `${q} is a range, not a version: pin exactly one patch release such as ${example}` };
  }
  if (/^\d+$/.test(text)) {
    const newest = catalog.newestStable();
    return { ok: false, reason: `${q} is a major version, not a release: pin a patch such as ${newest ?? example}` };
  }
  const v = parseGoVersion(text);
  if (!v) {
    return { ok: false, reason: `${q} is not a Go version (expected X.Y.Z, such as ${example})` };
  }
  const minor = minorOf(v);
  const newestOfMinor = catalog.newestOfMinor(minor);
  const shape = versionShape(v);
  switch (shape) {
    case "minor":
      return {
        ok: false,
        reason: newestOfMinor
          ? `${q} is a minor series, not a release: pin a patch such as ${newestOfMinor}`
          : `${q} is a minor series, not a release, and the catalog has no ${minor} release: pin a patch such as ${example}`,
      };
    case "prerelease":
      if (!opts.allowPrerelease) {
        return {
          ok: false,
          reason: `${q} is a pre-release, allowed only where the environment allows pre-releases: pin a stable release such as ${newestOfMinor ?? example}`,
        };
      }
      break;
    case "release":
      break;
    default: {
      const never: never = shape;
      throw new Error(`unhandled version shape ${never}`);
    }
  }
  if (!catalog.has(text)) {
    return {
      ok: false,
      reason: newestOfMinor
        ? `${q} is not a Go release; the newest ${minor} release is ${newestOfMinor}`
        : `${q} is not a Go release in the catalog (newest per minor: ${catalog.newestPerMinor().join(", ")}); run \`goguard catalog update\` if it was published after the catalog`,
    };
  }
  return { ok: true, version: text };
}

export type PlatformResult = { readonly ok: true; readonly platform: string } | { readonly ok: false; readonly reason: string };

/** A platform (`os/arch`) for which the release has an archive. */
export function checkPlatform(text: unknown, version: string, catalog: GoCatalog): PlatformResult {
  const known = catalog.platforms(version);
  const list = known.filter((p) => p.startsWith("linux/")).join(", ");
  if (typeof text !== "string" || !parsePlatform(text)) {
    return { ok: false, reason: `${JSON.stringify(text)} is not a platform: write os/arch as Go names them (for ${version}: ${list})` };
  }
  if (!known.includes(text)) {
    return { ok: false, reason: `${JSON.stringify(text)} has no Go ${version} archive; platforms with one include: ${list}` };
  }
  return { ok: true, platform: text };
}
