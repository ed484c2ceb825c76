// What the policies read from deployed resources (pure apart from reading a docker.Image's
// Dockerfile from disk): image references with where they appear, and the Dockerfile facts.
//
// Which Dockerfile a docker.Image builds, as the Docker provider decides it (pulumi/pulumi-docker,
// provider/image.go marshalBuildAndApplyDefaults and provider/provider.go Check, v4 and later):
// `build.context` defaults to "."; `build.dockerfile` defaults to path.Join(context, "Dockerfile");
// a given `build.dockerfile` is used as written, that is relative to the program's working
// directory, NOT to the context (the provider refuses "./Dockerfile" when the file is only in
// "<context>/Dockerfile" and suggests the joined path). The program's working directory is the
// Pulumi project directory; the policy process runs elsewhere (the pack's own directory under
// `pulumi preview --policy-pack`, any directory under `goguard check`), so relative paths are
// resolved against the project that holds this pack (the nearest Pulumi.yaml above it). When
// the file cannot be read the image is reported, never skipped (rule dockerfile-readable).
import * as fs from "fs";
import * as path from "path";
import { containerImage, containers, DOCKER_IMAGE, known } from "./sources";
import { dockerfileFacts, DockerfileFacts } from "./dockerfile";

export interface ImageUse {
  readonly ref: string;
  readonly where: string;
}

export interface DockerfileRead {
  /** The absolute path read. */
  readonly file: string;
  /** The path as messages show it: relative to the build context when inside it. */
  readonly shown: string;
  readonly facts: DockerfileFacts;
  readonly unreadable?: undefined;
}

/** Fail closed: the image builds from a Dockerfile the pack cannot read. `facts` is empty. */
export interface DockerfileUnreadable {
  /** The path tried (as shown), or the property that is unknown. */
  readonly file: string;
  readonly shown: string;
  readonly facts: DockerfileFacts;
  /** Why it cannot be read. */
  readonly unreadable: string;
}

const NO_FACTS: DockerfileFacts = { images: [], settings: {}, goSources: [], queries: [], downloads: [], archiveVersions: [], problems: [] };

function findProjectDir(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 12; i++) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

const PROJECT_DIR = findProjectDir();

// Parsing is pure and the same Dockerfile is read by every rule of the pack for every resource:
// remember the last few results, keyed by everything that determines them.
const CACHE_LIMIT = 32;
const cache = new Map<string, DockerfileFacts>();

function factsFor(file: string, text: string, args: Record<string, string>, platform: string | undefined): DockerfileFacts {
  const key = JSON.stringify([file, text, Object.entries(args).sort(), platform ?? ""]);
  const hit = cache.get(key);
  if (hit) return hit;
  const facts = dockerfileFacts(text, args, platform ? { platform } : {});
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, facts);
  return facts;
}

const UNKNOWN = Symbol("unknown");

/** A property that may be unknown during preview (the props proxy throws on those). */
function read(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  const v = known(() => (obj as Record<string, unknown>)[key]);
  if (v !== undefined) return v;
  try {
    (obj as Record<string, unknown>)[key];
    return undefined;
  } catch {
    return UNKNOWN;
  }
}

function isRemoteContext(context: string): boolean {
  return context.includes("://") || context.startsWith("git@") || context.startsWith("github.com/");
}

/** The Dockerfile a docker.Image builds, with its facts; a fail-closed marker when it cannot be read; undefined when the resource builds nothing. */
export function imageDockerfile(props: unknown, where: { readonly projectDir: string | undefined } = { projectDir: PROJECT_DIR }): DockerfileRead | DockerfileUnreadable | undefined {
  const projectDir = where.projectDir;
  const unreadable = (file: string, why: string): DockerfileUnreadable => ({ file, shown: file, facts: NO_FACTS, unreadable: why });
  const build = read(props, "build");
  if (build === UNKNOWN) return unreadable("build", "build is unknown during preview");
  if (build !== undefined && (build === null || typeof build !== "object")) return undefined;
  const b = (build ?? {}) as Record<string, unknown>;
  const context = read(b, "context");
  if (context === UNKNOWN) return unreadable("build.context", "build.context is unknown during preview");
  if (context !== undefined && typeof context !== "string") return unreadable("build.context", `build.context is ${JSON.stringify(context)}, not a path`);
  const ctx = typeof context === "string" ? context : ".";
  if (isRemoteContext(ctx)) return unreadable(ctx, `build.context ${JSON.stringify(ctx)} is a remote context, which cannot be judged offline`);
  const dockerfile = read(b, "dockerfile");
  if (dockerfile === UNKNOWN) return unreadable("build.dockerfile", "build.dockerfile is unknown during preview");
  if (dockerfile !== undefined && typeof dockerfile !== "string") return unreadable("build.dockerfile", `build.dockerfile is ${JSON.stringify(dockerfile)}, not a path`);
  const written = typeof dockerfile === "string" ? dockerfile : path.posix.join(ctx, "Dockerfile");
  const named = typeof dockerfile === "string" ? `build.dockerfile ${JSON.stringify(written)}` : `the default Dockerfile of build.context ${JSON.stringify(ctx)} (${written})`;
  if (!path.isAbsolute(written) && projectDir === undefined) {
    return unreadable(written, `${named} is relative to the Pulumi project directory, which the policy pack cannot locate`);
  }
  const file = path.isAbsolute(written) ? written : path.resolve(projectDir!, written);
  const absContext = path.isAbsolute(ctx) ? ctx : projectDir !== undefined ? path.resolve(projectDir, ctx) : ctx;
  const rel = path.relative(absContext, file);
  const shown = rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : written;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String((err as Error).message);
    const where = path.isAbsolute(written) ? "" : typeof dockerfile === "string" ? " in the project directory (the Docker provider reads build.dockerfile relative to the program's working directory, not to build.context)" : " in the project directory";
    return { file, shown: written, facts: NO_FACTS, unreadable: `${named} cannot be read: ${why}${where}` };
  }
  const rawArgs = read(b, "args");
  const args = rawArgs && rawArgs !== UNKNOWN && typeof rawArgs === "object" ? (Object.fromEntries(Object.entries(rawArgs as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Record<string, string>) : {};
  const platform = read(b, "platform");
  return { file, shown, facts: factsFor(file, text, args, typeof platform === "string" ? platform : undefined) };
}

export function imageUses(type: string, props: unknown): ImageUse[] {
  const out: ImageUse[] = [];
  if (type === DOCKER_IMAGE) {
    const df = imageDockerfile(props);
    if (!df || df.unreadable !== undefined) return out;
    for (const i of df.facts.images) out.push({ ref: i.ref, where: `${df.shown} line ${i.line} (${i.via}${i.written !== i.ref ? ` ${i.written}` : ""})` });
    return out;
  }
  for (const c of containers(type, props)) {
    const image = containerImage(c);
    if (image !== undefined) out.push({ ref: image, where: `${c.kind === "initContainer" ? "init container" : "container"} "${c.name}"` });
  }
  return out;
}
