// `goguard check-repo`: walk a service repository (bounded), read each judged file once, and judge
// it against the environment's lock and Go settings policy.
import * as fs from "fs";
import * as path from "path";
import { checkDockerfile } from "./dockerfiles";
import { checkModFile } from "./gomod";
import { judgeEnv } from "./settings";
import { findingFor, READABLE_RULE, RepoContext, RepoFinding } from "./types";
import { checkGoVersionFile, checkMise, checkToolVersions, dotenvVars } from "./versions";
import { DEFAULT_LIMITS, readJudged, ReadResult, RepoFile, walkRepo, WalkLimits } from "./walk";
import { checkWorkflow } from "./workflows";

export interface RepoResult {
  readonly env: string;
  readonly root: string;
  /** Every judged file, relative, in order. */
  readonly files: readonly string[];
  readonly findings: readonly RepoFinding[];
  /** What was not judged and why (caps, symlinks), for the output's notes. */
  readonly notes: readonly string[];
}

const LEVEL_ORDER = { mandatory: 0, advisory: 1 } as const;

export function sortFindings(findings: readonly RepoFinding[]): RepoFinding[] {
  return [...findings].sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line !== b.line ? a.line - b.line : a.column !== b.column ? a.column - b.column : a.level !== b.level ? LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] : a.rule !== b.rule ? (a.rule < b.rule ? -1 : 1) : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

export function judgeFile(f: RepoFile, text: string, ctx: RepoContext, read: (rel: string) => ReadResult | undefined): RepoFinding[] {
  switch (f.kind) {
    case "go.mod":
    case "go.work":
      return checkModFile(f.rel, f.kind, text, ctx);
    case "go-version":
      return checkGoVersionFile(f.rel, text, ctx);
    case "tool-versions":
      return checkToolVersions(f.rel, text, ctx);
    case "mise": {
      const m = checkMise(f.rel, text, ctx);
      // A mise template ({{ env.X }}, {{ exec(...) }}) is rendered only when mise runs.
      const vars = m.env.map((v) => (/\{\{/.test(v.value) ? { ...v, unresolved: v.value } : v));
      const loaded: RepoFinding[] = [];
      for (const p of m.envFiles ?? []) {
        // A templated or out-of-repository path is decided only where mise runs: not judged.
        if (/\{\{/.test(p) || path.posix.isAbsolute(p)) continue;
        const rel = path.posix.normalize(path.posix.join(path.posix.dirname(f.rel), p));
        if (rel.startsWith("..")) continue;
        const r = read(rel);
        if (r === undefined) continue;
        if (!r.ok) {
          loaded.push(...findingFor(ctx, READABLE_RULE, rel, 1, 1, `${rel} (loaded by ${f.rel} [env] _.file) ${r.reason}, so it cannot be judged. Fix: keep it a small text file.`));
          continue;
        }
        const dv = dotenvVars(r.text).map((v) => (/\{\{|\$/.test(v.value) ? { ...v, unresolved: v.value } : v));
        loaded.push(...judgeEnv(rel, `(loaded by ${f.rel} [env] _.file)`, dv, Object.fromEntries(vars.filter((v) => !("unresolved" in v)).map((v) => [v.name, v.value])), ctx));
      }
      return [...m.findings, ...judgeEnv(f.rel, "[env]", vars, {}, ctx), ...loaded];
    }
    case "dockerfile":
      return checkDockerfile(f.rel, text, ctx);
    case "workflow":
      return checkWorkflow(f.rel, text, ctx, read);
    default: {
      const never: never = f.kind;
      throw new Error(`unhandled file kind ${String(never)}`);
    }
  }
}

export function checkRepo(dir: string, ctx: RepoContext, limits: WalkLimits = DEFAULT_LIMITS): RepoResult {
  const walk = walkRepo(dir, limits);
  const root = fs.realpathSync(dir);
  const byRel = new Map(walk.files.map((f) => [f.rel, f]));
  const cache = new Map<string, ReadResult>();
  const readFile = (f: RepoFile): ReadResult => {
    let r = cache.get(f.rel);
    if (r === undefined) {
      r = readJudged(f.abs, limits);
      cache.set(f.rel, r);
    }
    return r;
  };
  // setup-go's go-version-file may name any file of the repository (not only judged kinds), so
  // it is looked up through the same bounded reader and the same symlink rule.
  const read = (rel: string): ReadResult | undefined => {
    const known = byRel.get(rel);
    if (known) return readFile(known);
    const walked = resolveInside(root, rel);
    if (walked.kind === "absent") return undefined;
    if (walked.kind === "outside") return { ok: false, reason: "is a symlink out of the repository, which is not read" };
    return readJudged(walked.real, limits);
  };
  const findings: RepoFinding[] = [];
  const notes: string[] = [];
  for (const f of walk.files) {
    const r = readFile(f);
    if (!r.ok) {
      findings.push(...findingFor(ctx, READABLE_RULE, f.rel, 1, 1, `${f.rel} ${r.reason}, so it cannot be judged. Fix: keep it a small text file.`));
      continue;
    }
    findings.push(...judgeFile(f, r.text, ctx, read));
  }
  for (const s of walk.skipped) {
    if (s.kind !== undefined) findings.push(...findingFor(ctx, READABLE_RULE, s.rel, 1, 1, `${s.rel} is ${s.reason}, so it cannot be judged. Fix: commit the file itself inside the repository.`));
    else notes.push(`${s.rel}: ${s.reason}`);
    // Fail closed: what a cap left unwalked may hold judged files.
    if (s.capped) findings.push(...findingFor(ctx, READABLE_RULE, s.rel, 1, 1, `${s.rel} is ${s.reason}, so the files under it were not judged. Fix: keep the repository's tree shallower, or check that directory on its own.`));
  }
  if (walk.truncated !== undefined) {
    findings.push(...findingFor(ctx, READABLE_RULE, ".", 1, 1, `${walk.truncated}. Fix: check a smaller directory, or keep generated trees out of the repository.`));
    notes.push(walk.truncated);
  }
  return { env: ctx.env, root, files: walk.files.map((f) => f.rel), findings: sortFindings(findings), notes };
}

/** A path under the (real) root, with symlinks resolved: absent, outside the root, or a regular file inside. */
function resolveInside(root: string, rel: string): { kind: "absent" } | { kind: "outside" } | { kind: "file"; real: string } {
  let real: string;
  try {
    real = fs.realpathSync(path.join(root, rel));
  } catch {
    return { kind: "absent" };
  }
  const r = path.relative(root, real);
  if (r.startsWith("..") || path.isAbsolute(r)) return { kind: "outside" };
  try {
    return fs.statSync(real).isFile() ? { kind: "file", real } : { kind: "absent" };
  } catch {
    return { kind: "absent" };
  }
}
