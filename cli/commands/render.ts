import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { Io } from "../io";
import { UsageError, unknownValue, writeFileAtomic } from "../files";
import { jobFor, runStacks } from "./check";
import { STACKS } from "../stack-files";
import { renderStack } from "../render";
import { toDisplay } from "../harness/wire";
import { makeRedactor } from "../harness/redact";
import { PROJECT_ROOT } from "../files";
import { programWorkDir, pulumiMain } from "../../policies/lib/resources";

/** What render wrote into a directory, so a later render replaces exactly that and nothing else. */
export const RENDER_MANIFEST = ".goguard-render.json";

interface RenderManifest {
  readonly goguardRender: 1;
  readonly stack: string;
  readonly files: string[];
}

function readManifest(dir: string): RenderManifest | undefined {
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, RENDER_MANIFEST), "utf8"));
    if (doc?.goguardRender === 1 && Array.isArray(doc.files) && doc.files.every((f: unknown) => typeof f === "string")) return doc as RenderManifest;
  } catch {
    /* no manifest, or not ours */
  }
  return undefined;
}

/** A path of a manifest entry, kept inside `dir` (a hand-edited manifest must not delete elsewhere). */
function inside(dir: string, rel: string): string | undefined {
  const abs = path.resolve(dir, rel);
  const r = path.relative(dir, abs);
  return r && !r.startsWith("..") && !path.isAbsolute(r) ? abs : undefined;
}

/**
 * Checks `--out` before anything runs: not empty, not a file, writable, and either absent, empty, or
 * a directory render wrote before (its manifest lists what it wrote). Returns the absolute path and
 * the previous manifest.
 */
export function checkOutDir(out: string): { dir: string; previous?: RenderManifest } {
  if (out.trim() === "") throw new UsageError('--out "" names no directory; give the directory to write, such as --out build/render-prod');
  const dir = path.resolve(out);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(dir);
  } catch {
    st = undefined;
  }
  if (st && !st.isDirectory()) throw new UsageError(`--out ${out} is a file, not a directory; choose a directory path`);
  if (!st) {
    // The nearest existing parent must be a writable directory.
    let parent = path.dirname(dir);
    while (!fs.existsSync(parent) && path.dirname(parent) !== parent) parent = path.dirname(parent);
    if (!fs.statSync(parent).isDirectory()) throw new UsageError(`--out ${out}: ${parent} is a file, not a directory; choose another path`);
    try {
      fs.accessSync(parent, fs.constants.W_OK);
    } catch {
      throw new UsageError(`--out ${out}: ${parent} is not writable; choose a directory you can write`);
    }
    return { dir };
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out} is not writable; choose a directory you can write`);
  }
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return { dir };
  const previous = readManifest(dir);
  if (!previous) throw new UsageError(`--out ${out} is not empty and was not written by goguard render (no ${RENDER_MANIFEST}); choose an empty or new directory`);
  return { dir, previous };
}

export function registerRender(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command("render")
    .description("Write what a stack would deploy, offline: Kubernetes YAML (one file per object), Dockerfiles, a summary.")
    .requiredOption("--stack <name>", "dev, staging or prod")
    .requiredOption("--out <dir>", "output directory: new, empty, or one render wrote before (its files are replaced)")
    .option("--program <file>", "another program file (.ts or .js) inside the project")
    .option("--config <file>", "another stack config file")
    .action(async (opts: { stack: string; out: string; program?: string; config?: string }) => {
      if (!(STACKS as readonly string[]).includes(opts.stack)) throw unknownValue("--stack", "stack", opts.stack, STACKS);
      const { dir: out, previous } = checkOutDir(opts.out);
      const [result] = await runStacks([jobFor(opts.stack, opts, true)]);
      if (result.error !== null) {
        io.err(`goguard: stack ${opts.stack}: the program refused its input: ${result.error}\n`);
        setCode(1);
        return;
      }
      const redact = makeRedactor(result.secretValues ?? []);
      const dockerfiles = new Map<string, string>();
      // Relative build paths are relative to the directory Pulumi runs the program in (Pulumi.yaml's main).
      const workDir = programWorkDir(PROJECT_ROOT, pulumiMain(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")));
      for (const r of result.captured ?? []) {
        let file: string | undefined;
        if (r.type === "docker:index/image:Image") {
          const build = toDisplay(r.inputs.build) as { context?: string; dockerfile?: string } | undefined;
          file = build?.dockerfile ? path.resolve(workDir, build.dockerfile) : undefined;
        } else if (r.type === "docker-build:index:Image") {
          const d = toDisplay(r.inputs.dockerfile) as { inline?: unknown; location?: unknown } | undefined;
          const c = toDisplay(r.inputs.context) as { location?: unknown } | undefined;
          if (typeof d?.inline === "string") {
            dockerfiles.set(r.name, redact(d.inline));
            continue;
          }
          const loc = typeof d?.location === "string" ? d.location : path.posix.join(typeof c?.location === "string" ? c.location : ".", "Dockerfile");
          file = path.resolve(workDir, loc);
        }
        // A Dockerfile is read from disk, outside the run: the run's secrets are redacted from it too.
        if (file && fs.existsSync(file)) dockerfiles.set(r.name, redact(fs.readFileSync(file, "utf8")));
      }
      const files = renderStack(result, dockerfiles);
      // Only what the previous render wrote is removed; anything else in the directory stays.
      for (const rel of previous?.files ?? []) {
        const abs = inside(out, rel);
        if (abs) fs.rmSync(abs, { force: true });
      }
      fs.mkdirSync(out, { recursive: true });
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(out, f.path)), { recursive: true });
        fs.writeFileSync(path.join(out, f.path), redact(f.text));
      }
      const manifest: RenderManifest = { goguardRender: 1, stack: opts.stack, files: files.map((f) => f.path) };
      writeFileAtomic(path.join(out, RENDER_MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
      io.out(`wrote ${files.length} file(s) to ${out}\n${files.map((f) => `  ${f.path}`).join("\n")}\n`);
      setCode(result.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0);
    });
}
