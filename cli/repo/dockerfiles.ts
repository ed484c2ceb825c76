// A service repository's Dockerfiles, judged exactly as the pack judges an image's Dockerfile: the
// same reader (policies/lib/dockerfile.ts) and the same rule cores with the same messages
// (policies/rules/dockerfile.ts, images.ts; goenv.ts for the Go settings each `go` run sees). There
// are no build args here: an ARG counts with its default, as `docker build` without --build-arg.
import { bundledCatalog } from "../../components/toolchain/bundled";
import { checkGoSettings, hasGoSettings } from "../../components/toolchain/goenv";
import { imageName, parseImageRef } from "../../components/toolchain/image-ref";
import { dockerfileFacts } from "../../policies/lib/dockerfile";
import { downloadProblems, unparseableProblems, unpinnedQueryProblems } from "../../policies/rules/dockerfile";
import { digestProblems, golangTagProblems, latestProblems } from "../../policies/rules/images";
import { RULE_NAME } from "./settings";
import { findingFor, RepoContext, RepoFinding } from "./types";
import { judgeRelease } from "./versions";

export function checkDockerfile(file: string, text: string, ctx: RepoContext): RepoFinding[] {
  const facts = dockerfileFacts(text, {});
  const out: RepoFinding[] = [];
  const add = (rule: string, line: number, message: string): void => {
    out.push(...findingFor(ctx, rule, file, line, 1, message));
  };
  for (const p of unparseableProblems(file, facts.problems)) add("dockerfile-readable", p.line, p.message);
  for (const p of unpinnedQueryProblems(file, facts.queries)) add("go-install-pinned", p.line, p.message);
  const sums = bundledCatalog().checksumsByFilename();
  for (const d of facts.downloads) for (const m of downloadProblems(file, d, d.filename !== undefined ? sums.get(d.filename) : undefined)) add("go-download-verified", d.line, m);
  for (const i of facts.images) {
    const u = { ref: i.ref, where: `${file} line ${i.line} (${i.via}${i.written !== i.ref ? ` ${i.written}` : ""})` };
    for (const m of golangTagProblems(u, ctx.ruleConfig as Record<string, unknown>)) add("golang-image-full-patch", i.line, m);
    for (const m of digestProblems(u)) add("image-pinned-by-digest", i.line, m);
    for (const m of latestProblems(u)) add("image-no-latest", i.line, m);
    // A golang:X.Y.Z tag runs Go X.Y.Z, digest or not: it must be a release the lock allows.
    const ref = parseImageRef(i.ref);
    const m = ref && imageName(ref) === "golang" ? /^(\d+\.\d+\.\d+)(-|$)/.exec(ref.tag ?? "") : null;
    const verdict = m ? judgeRelease(m[1], `${u.where} image ${i.ref}`, ctx, (v) => `golang:${v}`) : undefined;
    if (verdict) add(verdict.rule, i.line, verdict.message);
  }
  for (const a of facts.archiveVersions) {
    const verdict = judgeRelease(a.version, `${file} line ${a.line} (${a.where})`, ctx, (v) => `the Go ${v} archive`);
    if (verdict) add(verdict.rule, a.line, verdict.message);
  }
  // The Go settings of every place `go` runs, as the pack's stackGoFindings reports them: once per
  // Dockerfile, rule and problem, at the first place it takes effect.
  const seen = new Set<string>();
  for (const g of facts.goSources) {
    if (!hasGoSettings(g.settings) && !g.complete) continue;
    for (const f of checkGoSettings(g.settings, ctx.policy, ctx.catalog, { complete: g.complete === true })) {
      const key = `${f.rule}\u0000${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(RULE_NAME[f.rule], g.line, `${file} ${g.where.replace(/^Dockerfile /, "")}: ${f.message}. Fix: ${f.fix}`);
    }
  }
  return out;
}
