// What invalidates an image, written down and hashed (pure). ECR repositories have immutable tags,
// so a tag must name exactly one content: it is derived from the material that decides the bytes,
// never `latest`, and a re-run with the same material computes the same tag (no diff, no push).
import { createHash } from "crypto";

/**
 * The builder image's tag: `go<version>-<12 hex>` over the rendered Dockerfile (which carries the Go
 * version, every locked archive name and sha256, the base image digests, the mirror and the Go
 * settings), the build args and the sorted target platforms.
 */
export function imageTag(goVersion: string, platforms: readonly string[], dockerfile: string, buildArgs: Readonly<Record<string, string>>): string {
  const h = createHash("sha256");
  h.update(dockerfile);
  for (const k of Object.keys(buildArgs).sort()) h.update(`\0${k}=${buildArgs[k]}`);
  h.update(`\0platforms=${[...platforms].sort().join(",")}`);
  return `go${goVersion}-${h.digest("hex").slice(0, 12)}`;
}

/**
 * A copied image's tag: the source's tag (or `copy`) and 12 hex over the full source reference and
 * the sorted platforms, so resolving the source's digest, or copying other platforms, makes a new tag.
 */
export function copyTag(source: string, platforms: readonly string[]): string {
  const name = source.split("@")[0];
  const tag = /:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/.exec(name.slice(name.lastIndexOf("/") + 1))?.[1] ?? "copy";
  const h = createHash("sha256").update(source).update(`\0platforms=${[...platforms].sort().join(",")}`).digest("hex").slice(0, 12);
  return `${tag.slice(0, 100)}-${h}`;
}
