// What the policies read from deployed resources (pure apart from reading a Dockerfile from disk):
// image references with where they appear, and the Dockerfile facts of every image build.
//
// Which Dockerfile an image build reads, as each provider decides it:
// - docker.Image (pulumi/pulumi-docker, provider/image.go marshalBuildAndApplyDefaults and
//   provider/provider.go Check, v4 and later): `build.context` defaults to "."; `build.dockerfile`
//   defaults to path.Join(context, "Dockerfile"); a given `build.dockerfile` is used as written, that
//   is relative to the program's working directory, NOT to the context (the provider refuses
//   "./Dockerfile" when the file is only in "<context>/Dockerfile" and suggests the joined path).
// - docker-build Image (pulumi/pulumi-docker-build, provider/internal/context.go BuildContext.validate
//   and dockerfile.go): `context.location` defaults to "."; `dockerfile.inline` is the text itself;
//   `dockerfile.location` is used as written (filepath.Abs: relative to the working directory);
//   without either, the Dockerfile is filepath.Join(context.location, "Dockerfile") when the context
//   is on disk; a remote URL (context or location) is fetched by BuildKit. `buildArgs` are the
//   build args, `platforms` the target platforms (one build per platform, one manifest list).
// The working directory is the one Pulumi runs the program and its providers in: the project
// directory, or its `main` directory when Pulumi.yaml's `main` names a directory (pulumi's
// getPwdMain). The policy process runs elsewhere (the pack's own directory under
// `pulumi preview --policy-pack`, any directory under `goguard check`), so relative paths are
// resolved against that directory of the project holding this pack (the nearest Pulumi.yaml above
// it). When the file cannot be read the image is reported, never skipped (rule dockerfile-readable).
import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import { containerImage, containers, DOCKER_IMAGE, known } from "./sources";

export const DOCKER_BUILD_IMAGE = "docker-build:index:Image";
export const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";
/** Resource types that build an image from a Dockerfile. */
// Literal, not DOCKER_IMAGE: sources.ts and this module import each other, and this set is built
// while the other may still be loading.
export const IMAGE_BUILD_TYPES: ReadonlySet<string> = new Set(["docker:index/image:Image", DOCKER_BUILD_IMAGE]);

export function isImageBuild(type: string): boolean {
  return IMAGE_BUILD_TYPES.has(type);
}
import { DockerfileParser } from "dockerfile-ast";
import { dockerfileFacts, DockerfileFacts } from "./dockerfile";

export interface ImageUse {
  readonly ref: string;
  readonly where: string;
  /** The FROM of a Dockerfile that is nothing but that FROM: the build copies the image (a mirror). */
  readonly copy?: boolean;
}

export interface DockerfileRead {
  /** The absolute path read. */
  readonly file: string;
  /** The path as messages show it: relative to the build context when inside it. */
  readonly shown: string;
  readonly facts: DockerfileFacts;
  /** The target platform these facts were read for (TARGETOS/TARGETARCH), when one is known. */
  readonly platform?: string;
  /** The Dockerfile is a single FROM and nothing else: the build copies that image. */
  readonly copy?: boolean;
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

/** The `main` of a Pulumi.yaml (a top-level scalar), or undefined. Read without a YAML library so the pack ships without one. */
export function pulumiMain(yamlText: string): string | undefined {
  const m = /^main:[ \t]*("([^"]*)"|'([^']*)'|([^#\s][^#\n]*?))[ \t]*(#.*)?$/m.exec(yamlText);
  if (!m) return undefined;
  const v = (m[2] ?? m[3] ?? m[4] ?? "").trim();
  return v === "" ? undefined : v;
}

/** The directory Pulumi runs the program (and its providers) in, for a project at `root` (pulumi's getPwdMain). */
export function programWorkDir(root: string, main: string | undefined): string {
  if (main === undefined || main === "" || path.isAbsolute(main)) return root;
  const target = path.resolve(root, main);
  try {
    return fs.statSync(target).isDirectory() ? target : path.dirname(target);
  } catch {
    // Pulumi itself refuses a missing main; judge against the project root rather than guess.
    return root;
  }
}

function findProjectDir(): string | undefined {
  // A pack installed outside the project (from its tarball, or enforced from Pulumi Cloud) finds no
  // Pulumi.yaml above itself: GOGUARD_PROJECT_DIR, an absolute path, names the project's root (the
  // analyzer inherits the Pulumi CLI's environment; `goguard check --pack` sets it).
  const given = process.env.GOGUARD_PROJECT_DIR;
  let dir = given !== undefined && path.isAbsolute(given) ? given : __dirname;
  for (let i = 0; i < 12; i++) {
    const file = path.join(dir, "Pulumi.yaml");
    if (fs.existsSync(file)) return programWorkDir(dir, pulumiMain(fs.readFileSync(file, "utf8")));
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

function factsFor(file: string, text: string, args: Record<string, string>, platform: string | undefined, target?: string): DockerfileFacts {
  const key = JSON.stringify([file, text, Object.entries(args).sort(), platform ?? "", target ?? ""]);
  const hit = cache.get(key);
  if (hit) return hit;
  const facts = dockerfileFacts(text, args, { ...(platform ? { platform } : {}), ...(target ? { target } : {}) });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, facts);
  return facts;
}

/** Whether a Dockerfile is exactly one FROM instruction (comments and parser directives aside). */
export function isPureCopy(text: string): boolean {
  // Cheap filter first: only a one-instruction file needs the parser.
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  if (lines.length !== 1 || !/^from\s/i.test(lines[0])) return false;
  const instructions = DockerfileParser.parse(text).getInstructions();
  return instructions.length === 1 && instructions[0].getKeyword() === "FROM";
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
    return unreadable(written, `${named} is relative to the program's working directory, which the policy pack cannot locate`);
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
    const where = path.isAbsolute(written) ? "" : typeof dockerfile === "string" ? " in the program's working directory (the Docker provider reads build.dockerfile relative to it, not to build.context)" : " in the program's working directory";
    return { file, shown: written, facts: NO_FACTS, unreadable: `${named} cannot be read: ${why}${where}` };
  }
  const args = stringArgs(read(b, "args"));
  const platform = read(b, "platform");
  const target = read(b, "target");
  return { file, shown, facts: factsFor(file, text, args, typeof platform === "string" ? platform : undefined, typeof target === "string" ? target : undefined), ...(isPureCopy(text) ? { copy: true } : {}) };
}

function stringArgs(raw: unknown): Record<string, string> {
  return raw && raw !== UNKNOWN && typeof raw === "object" ? (Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Record<string, string>) : {};
}

/**
 * The Dockerfile a docker-build Image builds, read once per target platform (the `platforms` list;
 * one read without a platform when none is given: BuildKit then builds for the builder's own
 * platform, unknown offline). A fail-closed marker when it cannot be read.
 */
export function dockerBuildDockerfiles(props: unknown, where: { readonly projectDir: string | undefined } = { projectDir: PROJECT_DIR }): Array<DockerfileRead | DockerfileUnreadable> {
  const projectDir = where.projectDir;
  const unreadable = (file: string, why: string): DockerfileUnreadable[] => [{ file, shown: file, facts: NO_FACTS, unreadable: why }];
  const platformsRaw = read(props, "platforms");
  // An unknown platform list: judged without a platform, as for a build on the host's platform.
  const platforms = Array.isArray(platformsRaw) ? [...new Set(platformsRaw.filter((p): p is string => typeof p === "string" && p !== ""))] : [];
  const args = stringArgs(read(props, "buildArgs"));
  const targetRaw = read(props, "target");
  const target = typeof targetRaw === "string" ? targetRaw : undefined;
  const each = (file: string, shown: string, text: string): DockerfileRead[] =>
    (platforms.length > 0 ? platforms : [undefined]).map((platform) => ({ file, shown, facts: factsFor(file, text, args, platform, target), ...(platform !== undefined ? { platform } : {}), ...(isPureCopy(text) ? { copy: true } : {}) }));

  const dockerfile = read(props, "dockerfile");
  if (dockerfile === UNKNOWN) return unreadable("dockerfile", "dockerfile is unknown during preview");
  const d = dockerfile !== null && typeof dockerfile === "object" ? (dockerfile as Record<string, unknown>) : {};
  const inline = read(d, "inline");
  if (inline === UNKNOWN) return unreadable("dockerfile.inline", "dockerfile.inline is unknown during preview");
  const location = read(d, "location");
  if (location === UNKNOWN) return unreadable("dockerfile.location", "dockerfile.location is unknown during preview");
  if (typeof inline === "string" && inline !== "") {
    // The provider refuses both at once; judge the text that would be built rather than neither.
    return each(`dockerfile.inline:${createHash("sha256").update(inline).digest("hex").slice(0, 16)}`, "dockerfile.inline", inline);
  }
  const context = read(props, "context");
  if (context === UNKNOWN) return unreadable("context", "context is unknown during preview");
  const loc = context !== null && typeof context === "object" ? read(context, "location") : undefined;
  if (loc === UNKNOWN) return unreadable("context.location", "context.location is unknown during preview");
  if (loc !== undefined && typeof loc !== "string") return unreadable("context.location", `context.location is ${JSON.stringify(loc)}, not a path`);
  const ctx = typeof loc === "string" && loc !== "" ? loc : ".";
  let written: string;
  let named: string;
  if (typeof location === "string" && location !== "") {
    if (isRemoteContext(location)) return unreadable(location, `dockerfile.location ${JSON.stringify(location)} is a remote URL, which cannot be judged offline`);
    written = location;
    named = `dockerfile.location ${JSON.stringify(location)}`;
  } else {
    if (isRemoteContext(ctx)) return unreadable(ctx, `context.location ${JSON.stringify(ctx)} is a remote context, whose Dockerfile cannot be judged offline`);
    written = path.posix.join(ctx, "Dockerfile");
    named = `the default Dockerfile of context.location ${JSON.stringify(ctx)} (${written})`;
  }
  if (!path.isAbsolute(written) && projectDir === undefined) return unreadable(written, `${named} is relative to the program's working directory, which the policy pack cannot locate`);
  const file = path.isAbsolute(written) ? written : path.resolve(projectDir!, written);
  const absContext = path.isAbsolute(ctx) || isRemoteContext(ctx) ? ctx : projectDir !== undefined ? path.resolve(projectDir, ctx) : ctx;
  const rel = path.relative(absContext, file);
  const shown = rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : written;
  try {
    return each(file, shown, fs.readFileSync(file, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String((err as Error).message);
    const at = path.isAbsolute(written) ? "" : ` in the program's working directory${typeof location === "string" && location !== "" ? " (the Docker Build provider reads dockerfile.location relative to it, not to context.location)" : ""}`;
    return [{ file, shown: written, facts: NO_FACTS, unreadable: `${named} cannot be read: ${why}${at}` }];
  }
}

/**
 * Every read of the Dockerfile an image build resource builds (docker.Image: one; docker-build
 * Image: one per target platform); empty when the resource builds nothing.
 */
export function buildDockerfiles(type: string, props: unknown): Array<DockerfileRead | DockerfileUnreadable> {
  if (type === DOCKER_IMAGE) {
    const df = imageDockerfile(props);
    return df ? [df] : [];
  }
  if (type === DOCKER_BUILD_IMAGE) return dockerBuildDockerfiles(props);
  return [];
}

/** Each distinct string once, in first-seen order (the same finding read for several platforms). */
export function distinct(items: readonly string[]): string[] {
  return [...new Set(items)];
}

export function imageUses(type: string, props: unknown): ImageUse[] {
  const out: ImageUse[] = [];
  if (isImageBuild(type)) {
    const seen = new Set<string>();
    for (const df of buildDockerfiles(type, props)) {
      if (df.unreadable !== undefined) continue;
      for (const i of df.facts.images) {
        const use: ImageUse = { ref: i.ref, where: `${df.shown} line ${i.line} (${i.via}${i.written !== i.ref ? ` ${i.written}` : ""})`, ...(df.copy ? { copy: true } : {}) };
        const key = `${use.ref}\0${use.where}`;
        if (!seen.has(key)) out.push(use);
        seen.add(key);
      }
    }
    return out;
  }
  if (type === REMOTE_IMAGE) {
    // docker.RemoteImage pulls `name` ("including any tags or SHA256 repo digests").
    const name = read(props, "name");
    if (typeof name === "string") out.push({ ref: name, where: "name" });
    return out;
  }
  for (const c of containers(type, props)) {
    const image = containerImage(c);
    if (image !== undefined) out.push({ ref: image, where: `${c.kind === "initContainer" ? "init container" : "container"} "${c.name}"` });
  }
  return out;
}
