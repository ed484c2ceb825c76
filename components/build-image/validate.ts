// Validation of GoBuildImage's input (pure): every refusal names the field, the value and the fix,
// and happens before any child resource exists. The Go-setting checks are the shared rules.
import { GoCatalog } from "../toolchain/catalog";
import { checkArchiveChecksum, checkGoSettings, GoEnvPolicy } from "../toolchain/goenv";
import { parseImageRef } from "../toolchain/image-ref";
import { EnvironmentName } from "../toolchain/lock";
import { checkPinnedVersion, checkPlatform } from "../toolchain/pin";
import { ResolvedToolchain } from "../toolchain/toolchain";

export interface BuildImageInput {
  readonly environment: EnvironmentName;
  readonly toolchain: ResolvedToolchain;
  readonly goEnv: Readonly<Record<string, string>>;
  readonly policy: GoEnvPolicy;
  readonly mirror: string;
  readonly baseImages: { readonly toolchain: string; readonly builder: string };
}

export function validateBuildImage(input: BuildImageInput, catalog: GoCatalog): string[] {
  const problems: string[] = [];
  const t = input.toolchain;
  const pin = checkPinnedVersion(t.version, catalog, { allowPrerelease: t.allowPrereleases });
  if (!pin.ok) problems.push(`goVersion: ${pin.reason}`);
  else if (!t.allowedVersions.includes(t.version)) {
    const how = input.environment === "prod" ? `promote it through staging with \`goguard lock promote staging prod --version ${t.version}\`` : `allow it with \`goguard lock allow ${input.environment} ${t.version}\``;
    problems.push(`goVersion: ${t.version} is not allowed in ${input.environment} (the lock allows ${t.allowedVersions.join(", ")}); ${how}`);
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
    else if (parsed.digest === undefined && input.environment !== "dev") {
      problems.push(`${field}: "${ref}" has no digest; outside dev every base is pinned as name@sha256:<digest> (resolve it with \`goguard lock resolve-images\`)`);
    }
  }
  if (!/^https:\/\/\S+\/$/.test(input.mirror)) {
    if (input.environment !== "dev" || !/^http:\/\/\S+\/$/.test(input.mirror)) {
      problems.push(`mirror: "${input.mirror}" must be an https:// URL ending in "/"${input.environment === "dev" ? " (plain http is allowed in dev)" : ` outside dev; use https://dl.google.com/go/ or an internal https mirror`}`);
    }
  }
  for (const f of checkGoSettings(input.goEnv, input.policy, catalog, { complete: true })) problems.push(`goEnv.${f.setting}: ${f.message}. ${f.fix}`);
  return problems;
}
