// Finding the files `goguard check-repo` judges, with bounds: a repository is input from a service
// team, so the walk is limited in entries visited and bytes read, follows no symlinked directory
// (no loops), and reads a symlinked file only when its target stays inside the repository.
import * as fs from "fs";
import * as path from "path";

export type FileKind = "go.mod" | "go.work" | "go-version" | "tool-versions" | "mise" | "dockerfile" | "workflow";

export interface RepoFile {
  readonly kind: FileKind;
  /** Relative to the root, with `/`. */
  readonly rel: string;
  readonly abs: string;
}

export interface Skipped {
  readonly rel: string;
  /** The kind the file would be judged as; undefined for a directory or an unjudged file. */
  readonly kind?: FileKind;
  readonly reason: string;
  /** A cap stopped the walk here: what lies below was not judged. */
  readonly capped?: true;
}

export interface WalkLimits {
  /** Directory entries examined before the walk stops. @default 20000 */
  readonly maxEntries: number;
  /** Bytes a judged file may have. @default 1 MiB */
  readonly maxFileBytes: number;
  /** Directory depth below the root. @default 32 */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: WalkLimits = { maxEntries: 20000, maxFileBytes: 1024 * 1024, maxDepth: 32 };

/** Directories no Go build reads from the service's own files (vendor: third-party code; testdata: fixtures Go ignores). */
export const SKIPPED_DIRS: readonly string[] = [".git", "node_modules", "vendor", "testdata"];

export interface WalkResult {
  readonly files: readonly RepoFile[];
  readonly skipped: readonly Skipped[];
  /** Set when the entry cap stopped the walk: files beyond it were not judged. */
  readonly truncated?: string;
  readonly entries: number;
}

/** What a path is judged as, by name (and, for workflows, by place). */
export function kindOf(rel: string): FileKind | undefined {
  const base = rel.split("/").pop()!;
  if (base === "go.mod") return "go.mod";
  if (base === "go.work") return "go.work";
  if (base === ".go-version") return "go-version";
  if (base === ".tool-versions") return "tool-versions";
  // mise's config files (mise.jdx.dev/configuration): [.]mise[.<MISE_ENV>][.local].toml (also under
  // .config/), [.config/][.]mise/config[.<MISE_ENV>][.local].toml, and .config/mise/conf.d/*.toml.
  if (/^\.?mise(\.[A-Za-z0-9_-]+)?(\.local)?\.toml$/.test(base)) return "mise";
  if (/(^|\/)\.?mise\/config(\.[A-Za-z0-9_-]+)?(\.local)?\.toml$/.test(rel) || /(^|\/)\.config\/mise\/conf\.d\/[^/]+\.toml$/.test(rel)) return "mise";
  // docker build -f takes any name; these are the conventional ones (Docker's docs and editors use
  // `*.dockerfile` in either case; Podman/Buildah read `Containerfile` by default).
  if (base === "Dockerfile" || base === "Containerfile" || /\.dockerfile$/i.test(base) || base.startsWith("Dockerfile.") || base.startsWith("Containerfile.")) return "dockerfile";
  // GitHub runs only the workflows of the repository root's .github/workflows.
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) return "workflow";
  return undefined;
}

function inside(root: string, target: string): boolean {
  const r = path.relative(root, target);
  return r === "" || (!r.startsWith("..") && !path.isAbsolute(r));
}

export function walkRepo(rootDir: string, limits: WalkLimits = DEFAULT_LIMITS): WalkResult {
  const root = fs.realpathSync(rootDir);
  const files: RepoFile[] = [];
  const skipped: Skipped[] = [];
  let entries = 0;
  let truncated: string | undefined;
  // Depth-first with an explicit stack, in name order, so output order is stable.
  const stack: Array<{ dir: string; rel: string; depth: number }> = [{ dir: root, rel: "", depth: 0 }];
  while (stack.length > 0 && truncated === undefined) {
    const { dir, rel, depth } = stack.pop()!;
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch (err) {
      skipped.push({ rel: rel || ".", reason: `directory cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})` });
      continue;
    }
    const subdirs: Array<{ dir: string; rel: string; depth: number }> = [];
    for (const name of names) {
      if (++entries > limits.maxEntries) {
        truncated = `the walk stopped after ${limits.maxEntries} directory entries (the entry cap), in ${rel || "."}; files beyond it were not judged`;
        break;
      }
      const abs = path.join(dir, name);
      const childRel = rel === "" ? name : `${rel}/${name}`;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(abs);
      } catch {
        continue;
      }
      const kind = kindOf(childRel);
      if (st.isSymbolicLink()) {
        let target: string;
        try {
          target = fs.realpathSync(abs);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (kind) skipped.push({ rel: childRel, kind, reason: code === "ELOOP" ? "a symlink loop" : "a symlink to nothing" });
          continue;
        }
        if (!inside(root, target)) {
          if (kind) skipped.push({ rel: childRel, kind, reason: "a symlink to a file outside the repository, which is not read" });
          continue;
        }
        let tst: fs.Stats;
        try {
          tst = fs.statSync(target);
        } catch {
          continue;
        }
        // A symlinked directory is not descended: its target is inside the root and walked there.
        if (tst.isFile() && kind) files.push({ kind, rel: childRel, abs: target });
        continue;
      }
      if (st.isDirectory()) {
        if (SKIPPED_DIRS.includes(name)) continue;
        if (depth + 1 > limits.maxDepth) {
          skipped.push({ rel: childRel, reason: `deeper than ${limits.maxDepth} directories (the depth cap), not walked`, capped: true });
          continue;
        }
        subdirs.push({ dir: abs, rel: childRel, depth: depth + 1 });
        continue;
      }
      if (st.isFile() && kind) files.push({ kind, rel: childRel, abs });
    }
    for (const s of subdirs.reverse()) stack.push(s);
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, skipped, entries: Math.min(entries, limits.maxEntries), ...(truncated !== undefined ? { truncated } : {}) };
}

export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

/** Reads a judged file as text: refused when over the size cap, holding NUL bytes, or not UTF-8. */
export function readJudged(abs: string, limits: WalkLimits = DEFAULT_LIMITS): ReadResult {
  let size: number;
  try {
    size = fs.statSync(abs).size;
  } catch (err) {
    return { ok: false, reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  }
  if (size > limits.maxFileBytes) return { ok: false, reason: `is ${size} bytes, over the ${limits.maxFileBytes}-byte cap for a judged file, so it was not read` };
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (err) {
    return { ok: false, reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  }
  if (buf.includes(0)) return { ok: false, reason: "is binary (it holds NUL bytes), not text" };
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(buf);
    return { ok: true, text };
  } catch {
    return { ok: false, reason: "is not UTF-8 text" };
  }
}
