// The builder image's build args (pure).
import { ResolvedToolchain } from "../toolchain/toolchain";

/**
 * Build args carrying every pin, so policies can read them from the image's inputs. No per-platform
 * archive name: one build serves every platform, and the Dockerfile picks the archive (and checks
 * its locked sha256) from TARGETOS/TARGETARCH.
 */
export function pinBuildArgs(t: ResolvedToolchain, mirror: string, bases: { readonly toolchain: string; readonly builder: string }, goEnv: Readonly<Record<string, string>>): Record<string, string> {
  const args: Record<string, string> = { GO_VERSION: t.version, GO_MIRROR: mirror, TOOLCHAIN_BASE: bases.toolchain, BUILDER_BASE: bases.builder };
  for (const x of t.archives) args[`GO_SHA256_${x.platform.replace("/", "_").toUpperCase()}`] = x.sha256;
  for (const k of Object.keys(goEnv)) args[k] = goEnv[k];
  return Object.fromEntries(Object.keys(args).sort().map((k) => [k, args[k]]));
}
