// Build contexts on disk, and the paths the Docker Build provider receives for them.
//
// The provider resolves a relative context.location / dockerfile.location against its working
// directory, which is the directory Pulumi runs the program in: the project directory, or its
// `main` directory when Pulumi.yaml's `main` names a directory (GoGuard's does: stacks/). An
// absolute path would put the checkout's location into the resource's inputs, so two machines (or
// two CI runners) would see a diff and rebuild, and the rebuild would try to push onto an
// immutable tag. So the paths are handed over relative to that directory, with POSIX separators:
// the same checkout layout gives byte-identical inputs wherever it lives.
import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";

export interface BuildPaths {
  /** Absolute: the directory Pulumi runs the program and its providers in. */
  readonly workDir: string;
  /** Absolute: where build contexts are written (content-addressed subdirectories). */
  readonly outDir: string;
}

/** Problems with the two directories (pure): each names the field, the value and the fix. */
export function buildPathProblems(p: BuildPaths): string[] {
  const out: string[] = [];
  for (const [field, v] of [["workDir", p.workDir], ["outDir", p.outDir]] as const) {
    if (!path.isAbsolute(v)) out.push(`${field}: "${v}" is not an absolute path; give it as path.resolve(...) in the stack program (the component hands the provider paths relative to workDir)`);
  }
  if (out.length === 0 && path.isAbsolute(path.relative(p.workDir, p.outDir))) out.push(`outDir: "${p.outDir}" has no relative path from workDir "${p.workDir}" (another drive?); keep both in the checkout`);
  return out;
}

/** `abs` as the provider receives it: relative to `workDir`, POSIX separators, "." for workDir itself (pure). */
export function providerPath(workDir: string, abs: string): string {
  const rel = path.relative(workDir, abs);
  return rel === "" ? "." : rel.split(path.sep).join("/");
}

/**
 * Writes `files` into `<outDir>/<sha256 of names and contents, 16 hex>/` and returns that directory:
 * the same files always land in the same directory, changed ones elsewhere, and the directory holds
 * nothing else (the provider hashes the whole context). Writes are atomic (rename), so stacks
 * rendered in parallel may write the same context.
 */
export function writeBuildContext(outDir: string, files: Readonly<Record<string, string | Buffer>>): string {
  const names = Object.keys(files).sort();
  const h = createHash("sha256");
  for (const n of names) h.update(`${n}\0`).update(files[n]).update("\0");
  const dir = path.join(outDir, h.digest("hex").slice(0, 16));
  fs.mkdirSync(dir, { recursive: true });
  for (const n of names) {
    const file = path.join(dir, n);
    const want = Buffer.from(files[n]);
    if (fs.existsSync(file) && fs.readFileSync(file).equals(want)) continue;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, want);
    fs.renameSync(tmp, file);
  }
  return dir;
}
