// Validation of GoBuildImage's input (pure): every refusal names the field, the value and the fix,
// and happens before any child resource exists. The Go-setting checks are the shared rules. What is
// refused depends on explicit knobs (requirePinnedBases, allowHttpMirror), never on an environment
// name; the lock's own environment appears only in the fix it names.
import { GoCatalog } from "../toolchain/catalog";
import { checkArchiveChecksum, checkGoSettings, GoEnvPolicy } from "../toolchain/goenv";
import { parseImageRef } from "../toolchain/image-ref";
import { checkPinnedVersion, checkPlatform } from "../toolchain/pin";
import { ResolvedToolchain } from "../toolchain/toolchain";

export interface BuildImageInput {
  readonly toolchain: ResolvedToolchain;
  readonly goEnv: Readonly<Record<string, string>>;
  readonly policy: GoEnvPolicy;
  readonly mirror: string;
  readonly baseImages: { readonly toolchain: string; readonly builder: string };
  /** Every base must be `name@sha256:…`. */
  readonly requirePinnedBases: boolean;
  /** A plain-http mirror is accepted (a local test mirror). */
  readonly allowHttpMirror: boolean;
}

export function validateBuildImage(input: BuildImageInput, catalog: GoCatalog): string[] {
  const problems: string[] = [];
  const t = input.toolchain;
  const pin = checkPinnedVersion(t.version, catalog, { allowPrerelease: t.allowPrereleases });
  if (!pin.ok) problems.push(`goVersion: ${pin.reason}`);
  else if (!t.allowedVersions.includes(t.version)) {
    // The lock's promotion rule: prod takes versions only from staging.
    const how = t.environment === "prod" ? `promote it through staging with \`goguard lock promote staging prod --version ${t.version}\`` : `allow it with \`goguard lock allow ${t.environment} ${t.version}\``;
    problems.push(`goVersion: ${t.version} is not allowed in ${t.environment} (the lock allows ${t.allowedVersions.join(", ")}); ${how}`);
  }
  if (pin.ok) {
    for (const a of t.archives) {
      const p = checkPlatform(a.platform, t.version, catalog);
      if (!p.ok) {
        problems.push(`platforms: ${p.reason}`);
        continue;
      }
      for (const f of checkArchiveChecksum(t.version, a.platform, a.sha256, catalog)) problems.push(`archives[${a.platform}].sha256: ${f.message}. ${f.fix}`);
    }
  }
  for (const [field, ref] of [["baseImages.toolchain", input.baseImages.toolchain], ["baseImages.builder", input.baseImages.builder]] as const) {
    const parsed = parseImageRef(ref);
    if (!parsed) problems.push(`${field}: "${ref}" is not an image reference`);
    else if (parsed.digest === undefined && input.requirePinnedBases) {
      problems.push(`${field}: "${ref}" has no digest; with requirePinnedBases every base is pinned as name@sha256:<digest> (resolve it with \`goguard lock resolve-images\`)`);
    }
  }
  const https = /^https:\/\/\S+\/$/.test(input.mirror);
  const http = /^http:\/\/\S+\/$/.test(input.mirror);
  if (!https && !(http && input.allowHttpMirror)) {
    problems.push(`mirror: "${input.mirror}" must be an https:// URL ending in "/"${http ? " (plain http only with allowHttpMirror, for a local test mirror)" : ""}; use https://dl.google.com/go/ or an internal https mirror`);
  }
  for (const f of checkGoSettings(input.goEnv, input.policy, catalog, { complete: true })) problems.push(`goEnv.${f.setting}: ${f.message}. ${f.fix}`);
  return problems;
}
