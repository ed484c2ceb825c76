// What the policies read from deployed resources (pure apart from reading a docker.Image's
// Dockerfile from disk when it can be found): image references with where they appear, the
// Dockerfile facts, and the Go-settings sources.
import * as fs from "fs";
import * as path from "path";
import { at, containerImage, containers, DOCKER_IMAGE } from "./sources";
import { dockerfileFacts, DockerfileFacts } from "./dockerfile";

export interface ImageUse {
  readonly ref: string;
  readonly where: string;
}

/** The Dockerfile a docker.Image builds, read from disk (context-relative or absolute), with its facts. */
export function imageDockerfile(props: unknown): { file: string; facts: DockerfileFacts } | undefined {
  const build = at(props, ["build"]) as { context?: unknown; dockerfile?: unknown; args?: unknown } | undefined;
  if (!build || typeof build.dockerfile !== "string") return undefined;
  const context = typeof build.context === "string" ? build.context : ".";
  const candidates = path.isAbsolute(build.dockerfile) ? [build.dockerfile] : [path.resolve(context, build.dockerfile), path.resolve(build.dockerfile)];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) return undefined;
  const args = build.args && typeof build.args === "object" ? (Object.fromEntries(Object.entries(build.args).filter(([, v]) => typeof v === "string")) as Record<string, string>) : {};
  return { file, facts: dockerfileFacts(fs.readFileSync(file, "utf8"), args) };
}

export function imageUses(type: string, props: unknown): ImageUse[] {
  const out: ImageUse[] = [];
  if (type === DOCKER_IMAGE) {
    const df = imageDockerfile(props);
    for (const i of df?.facts.images ?? []) out.push({ ref: i.ref, where: `Dockerfile line ${i.line} (${i.via}${i.written !== i.ref ? ` ${i.written}` : ""})` });
    return out;
  }
  for (const c of containers(type, props)) {
    const image = containerImage(c);
    if (image !== undefined) out.push({ ref: image, where: `${c.kind === "initContainer" ? "init container" : "container"} "${c.name}"` });
  }
  return out;
}
