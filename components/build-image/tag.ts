// What invalidates a builder image, written down and hashed (pure). The tag is derived from exactly
// this material: the rendered Dockerfile (which carries the Go version, every locked archive name
// and sha256, the base image digests and the Go settings) and the build args for the platform.
import { createHash } from "crypto";

export function imageTag(goVersion: string, platform: string, dockerfile: string, buildArgs: Readonly<Record<string, string>>): string {
  const h = createHash("sha256");
  h.update(dockerfile);
  for (const k of Object.keys(buildArgs).sort()) h.update(`\0${k}=${buildArgs[k]}`);
  return `go${goVersion}-${platform.replace(/\//g, "-")}-${h.digest("hex").slice(0, 12)}`;
}
