// The copy of an upstream image into the environment's registry (pure): its one-line Dockerfile and
// the validation of what MirroredImage is given. Every refusal names the field, the value and the fix.
import { parseImageRef } from "../toolchain/image-ref";

export interface CopySpec {
  /** The upstream reference, `name:tag`, or `name:tag@sha256:…` once the lock resolved it. */
  readonly source: string;
  readonly repositoryName: string;
  readonly platforms: readonly string[];
}

/** The copy's Dockerfile: exactly one FROM, so nothing is built, only copied. */
export function copyDockerfile(source: string): string {
  return `FROM ${source}\n`;
}

export function copyProblems(spec: CopySpec): string[] {
  const out: string[] = [];
  const ref = parseImageRef(spec.source);
  if (!ref) out.push(`source: "${spec.source}" is not an image reference`);
  else if (ref.tag === undefined && ref.digest === undefined) out.push(`source: "${spec.source}" has neither tag nor digest (it means latest); name the release, e.g. docker.io/gomods/athens:v0.18.1`);
  if (spec.platforms.length === 0) out.push("platforms: empty; give the environment's locked platforms, e.g. linux/amd64");
  for (const p of spec.platforms) if (!/^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/.test(p)) out.push(`platforms: "${p}" is not os/arch[/variant]`);
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(spec.repositoryName)) out.push(`repositoryName: "${spec.repositoryName}" is not an ECR repository name (lowercase, digits, . _ - and /)`);
  return out;
}
