// GitHub workflows of a service repository (pure: text and a file reader in, findings out), read
// with `yaml` and its LineCounter so every finding points at the line and column of the value.
//
// - actions/setup-go: `go-version` must be an allowed full release (setup-go resolves `stable`,
//   `1.26`, `1.26.x`, `^1.26`, `>=1.26` to whatever is newest when the job runs). A
//   `${{ matrix.x }}` is resolved from a literal matrix and a `${{ env.X }}` from the literal
//   workflow, job and step env; any other expression cannot be checked offline and is reported as such. `go-version-file` is read as setup-go reads it (its
//   parseGoVersionFile, src/installer.ts): go.mod/go.work give the `toolchain` line's version unless
//   GOTOOLCHAIN=local is set for the step, else the `go` line; .tool-versions its `golang` line; any
//   other file its whole trimmed content. go-version wins when both are given (setup-go warns).
// - workflow, job and step `env`: the Go settings the job's `go` commands see, judged by the pack's
//   implementation (settings.ts), each finding at the variable's own line.
// - `run:` scripts, read by the pack's shell reader: module queries (go-install-pinned) and the Go
//   settings the script itself sets (export, inline, `go env -w`, which later steps also read).
// - a job's `container` and `services` images: the pack's image rules.
import * as path from "path";
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, Pair, parseDocument, Scalar, YAMLMap } from "yaml";
import { checkGoSettings, hasGoSettings, VERSION_SETTINGS } from "../../components/toolchain/goenv";
import { imageName, parseImageRef } from "../../components/toolchain/image-ref";
import { toolchainName } from "../../components/toolchain/version";
import { githubEnvWrites } from "./githubenv";
import { analyzeScript, newEvents } from "../../policies/lib/dockerfile-shell";
import { unpinnedQueryProblems } from "../../policies/rules/dockerfile";
import { digestProblems, golangTagProblems, latestProblems } from "../../policies/rules/images";
import { EnvVar, judgeEnv, RULE_NAME } from "./settings";
import { findingFor, READABLE_RULE, RepoContext, RepoFinding } from "./types";
import { EXACT_RULE, judgeRelease } from "./versions";

/** Reads a file of the repository by its relative path; undefined when absent or outside it. */
export type RepoReader = (rel: string) => { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string } | undefined;

const EXPR = /\$\{\{/;
const MATRIX_REF = /^\$\{\{\s*matrix\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}$/;
const ENV_REF = /^\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

function pos(lc: LineCounter, node: Node | null | undefined): { line: number; column: number } {
  const offset = node?.range?.[0] ?? 0;
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

function pair(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key) as Pair | undefined;
}

function child(map: unknown, key: string): unknown {
  return pair(map, key)?.value ?? undefined;
}

/** The string Actions hands an input or env value: numbers and booleans as their JSON text. */
function scalarText(node: unknown): { value: string; written: string } | undefined {
  if (!isScalar(node)) return undefined;
  const v = (node as Scalar).value;
  const written = (node as Scalar).source ?? String(v);
  if (v === null) return { value: "", written };
  if (typeof v === "string") return { value: v, written };
  return { value: String(v), written };
}

/**
 * GitHub reads YAML anchors and aliases (`env: *go-env`): each alias is replaced by the node it names,
 * so the reader sees the values and findings point at the anchored definition, the line to change.
 * Replaced nodes are not walked again (they are walked where they are defined), so a recursive alias
 * cannot loop; the walk is bounded in depth and nodes.
 */
function inlineAliases(doc: Document): void {
  // Every alias is resolved before any is replaced: Alias.resolve walks the document, which must
  // still be a tree (a replaced recursive alias would make it cyclic).
  const found: Array<{ alias: Alias; set: (n: unknown) => void }> = [];
  let budget = 100000;
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64 || --budget < 0) return;
    if (isMap(node)) {
      for (const p of node.items) {
        if (!isPair(p)) continue;
        if (isAlias(p.value)) found.push({ alias: p.value, set: (n) => (p.value = n) });
        else walk(p.value, depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (isAlias(item)) found.push({ alias: item, set: (n) => (node.items[i] = n) });
        else walk(item, depth + 1);
      });
    }
  };
  walk(doc.contents, 0);
  const targets = found.map((f) => f.alias.resolve(doc));
  found.forEach((f, i) => {
    if (targets[i] !== undefined) f.set(targets[i]);
  });
}

function envVars(lc: LineCounter, map: unknown): EnvVar[] {
  if (!isMap(map)) return [];
  const out: EnvVar[] = [];
  for (const p of (map as YAMLMap).items) {
    if (!isScalar(p.key)) continue;
    const name = String((p.key as Scalar).value);
    const t = scalarText(p.value);
    const { line, column } = pos(lc, p.key as Node);
    if (t === undefined) continue;
    out.push({ name, value: t.value, line, column, ...(EXPR.test(t.value) ? { unresolved: t.value } : {}) });
  }
  return out;
}

function literal(vars: readonly EnvVar[]): Record<string, string> {
  return Object.fromEntries(vars.filter((v) => v.unresolved === undefined).map((v) => [v.name, v.value]));
}

/** setup-go's parseGoVersionFile: the version it would install from a go-version-file. */
export function setupGoFileVersion(rel: string, text: string, gotoolchain: string | undefined): { version: string; from: string } {
  const base = path.posix.basename(rel);
  if (base === "go.mod" || base === "go.work") {
    if (gotoolchain !== "local") {
      const t = /^toolchain go(1\.\d+(?:\.\d+|rc\d+)?)/m.exec(text);
      if (t) return { version: t[1], from: "its toolchain line" };
    }
    const g = /^go (\d+(\.\d+)*)/m.exec(text);
    return { version: g ? g[1] : "", from: gotoolchain === "local" ? "its go line (GOTOOLCHAIN=local makes setup-go ignore the toolchain line)" : "its go line (there is no toolchain line)" };
  }
  if (base === ".tool-versions") {
    const m = /^golang\s+([^\n#]+)/m.exec(text);
    return { version: m ? m[1].trim() : "", from: "its golang line" };
  }
  return { version: text.trim(), from: "its whole content" };
}

export function checkWorkflow(file: string, text: string, ctx: RepoContext, read: RepoReader): RepoFinding[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = e.linePos?.[0] ?? { line: 1, col: 1 };
    return findingFor(ctx, READABLE_RULE, file, p.line, p.col, `${file} is not valid YAML (${e.message.split("\n")[0]}), so GitHub refuses the workflow and its Go setup cannot be judged. Fix: correct the YAML.`);
  }
  inlineAliases(doc);
  const root = doc.contents;
  const fileLines = text.split("\n");
  const out: RepoFinding[] = [];
  const workflowEnv = envVars(lc, child(root, "env"));
  out.push(...judgeEnv(file, "workflow env", workflowEnv, {}, ctx));
  const jobs = child(root, "jobs");
  if (!isMap(jobs)) return out;
  for (const jp of (jobs as YAMLMap).items) {
    if (!isScalar(jp.key)) continue;
    const jobId = String((jp.key as Scalar).value);
    const job = jp.value;
    const jobEnv = envVars(lc, child(job, "env"));
    out.push(...judgeEnv(file, `job ${jobId} env`, jobEnv, literal(workflowEnv), ctx));
    // jobs.<id>.container.env is the container's own environment: every step of the job runs in it,
    // under the workflow, job and step env that GitHub passes on top.
    const jobContainer = child(job, "container");
    const containerEnv = isMap(jobContainer) ? envVars(lc, child(jobContainer, "env")) : [];
    out.push(...judgeEnv(file, `job ${jobId} container env`, containerEnv, {}, ctx));
    out.push(...jobImages(file, lc, jobId, job, ctx));
    const steps = child(job, "steps");
    if (!isSeq(steps)) continue;
    // `go env -w` in one step writes the runner's go env file, which later steps of the job read.
    const goEnvFile: Record<string, string> = {};
    // Settings a step appended to $GITHUB_ENV: the env of every later step of the job.
    const githubEnv: Record<string, string> = {};
    // A setting reaching several `go` runs of the job is reported where it first takes effect.
    const seen = new Set<string>();
    steps.items.forEach((step, i) => {
      const name = scalarText(child(step, "name"))?.value;
      const label = `job ${jobId} step ${i + 1}${name !== undefined ? ` (${name})` : ""}`;
      const stepEnv = envVars(lc, child(step, "env"));
      const inherited = { ...literal(containerEnv), ...literal(workflowEnv), ...literal(jobEnv), ...githubEnv };
      out.push(...judgeEnv(file, `${label} env`, stepEnv, inherited, ctx));
      const runNode = child(step, "run") as Node | undefined;
      const script = scalarText(runNode)?.value;
      if (script !== undefined && script !== "") {
        out.push(...judgeRunScript(file, fileLines, lc, label, runNode!, script, { ...inherited, ...literal(stepEnv) }, goEnvFile, seen, ctx));
        // What the script appends to $GITHUB_ENV is every later step's env: judged where it is written.
        const written = githubEnvVars(fileLines, lc, runNode!, script);
        out.push(...judgeEnv(file, `${label} $GITHUB_ENV`, written, { ...inherited, ...literal(stepEnv) }, ctx));
        Object.assign(githubEnv, literal(written));
      }
      const uses = scalarText(child(step, "uses"))?.value;
      // A `docker://` action runs its command in that image, like a job container.
      if (uses !== undefined && uses.startsWith("docker://")) out.push(...judgeImage(file, lc, child(step, "uses") as Node, uses.slice("docker://".length), `${label} uses`, ctx));
      if (uses === undefined || !/^actions\/setup-go@/.test(uses)) return;
      const effective = { ...inherited, ...literal(stepEnv) };
      out.push(...checkSetupGo(file, lc, label, step as Node, job, effective, ctx, read));
    });
  }
  return out;
}

function checkSetupGo(file: string, lc: LineCounter, label: string, step: Node, job: unknown, env: Readonly<Record<string, string>>, ctx: RepoContext, read: RepoReader): RepoFinding[] {
  const gotoolchain = env.GOTOOLCHAIN;
  const withMap = child(step, "with");
  const versionNode = child(withMap, "go-version") as Node | undefined;
  const fileNode = child(withMap, "go-version-file") as Node | undefined;
  const version = scalarText(versionNode);
  const versionFile = scalarText(fileNode);
  const at = (node: Node | undefined): { line: number; column: number } => pos(lc, node ?? step);
  const fixNote = `Fix: write go-version: "${ctx.defaultVersion}" (quoted), the ${ctx.env} lock's default.`;
  if (version !== undefined && version.value !== "") {
    const p = at(versionNode);
    const where = `${file} line ${p.line} ${label}: setup-go go-version`;
    const m = MATRIX_REF.exec(version.value.trim());
    if (m) return judgeMatrix(file, lc, where, m[1], job, ctx, p);
    const e = ENV_REF.exec(version.value.trim());
    if (e) {
      const name = e[1];
      if (!Object.prototype.hasOwnProperty.call(env, name)) {
        return findingFor(ctx, EXACT_RULE, file, p.line, p.column, `${where} is ${version.value}, which no workflow, job or step env sets literally: it is empty (setup-go then uses whatever Go the runner image has) or set where it cannot be read offline. ${fixNote}`);
      }
      // GO_VERSION and GOLANG_VERSION are judged where they are set, as Go settings.
      if (VERSION_SETTINGS.includes(name as (typeof VERSION_SETTINGS)[number])) return [];
      const v = judgeRelease(env[name], `${where} (${version.value}, set to ${JSON.stringify(env[name])})`, ctx, (x) => `${name}: "${x}"`);
      return v ? findingFor(ctx, v.rule, file, p.line, p.column, v.message) : [];
    }
    if (EXPR.test(version.value)) {
      return findingFor(ctx, EXACT_RULE, file, p.line, p.column, `${where} is the expression ${version.value}, which cannot be checked offline: which Go the job installs is decided only when it runs. ${fixNote}`);
    }
    const yamlNumber = version.written !== version.value ? ` (written ${version.written}, which YAML reads as the number ${version.value})` : "";
    const v = judgeRelease(version.value, `${where}${yamlNumber}`, ctx, (x) => `go-version: "${x}"`);
    return v ? findingFor(ctx, v.rule, file, p.line, p.column, v.message) : [];
  }
  if (versionFile !== undefined && versionFile.value !== "") {
    const p = at(fileNode);
    const where = `${file} line ${p.line} ${label}: setup-go go-version-file ${versionFile.value}`;
    if (EXPR.test(versionFile.value)) {
      return findingFor(ctx, EXACT_RULE, file, p.line, p.column, `${where} is an expression, which cannot be checked offline. Fix: name the file literally (go.mod with a toolchain line, or .go-version).`);
    }
    const rel = path.posix.normalize(versionFile.value.replace(/^\.\//, ""));
    const got = rel.startsWith("../") || rel === ".." || path.posix.isAbsolute(rel) ? undefined : read(rel);
    if (got === undefined) return findingFor(ctx, EXACT_RULE, file, p.line, p.column, `${where}: the file does not exist in the repository, so setup-go fails. Fix: point go-version-file at the repository's go.mod or .go-version.`);
    if (!got.ok) return findingFor(ctx, EXACT_RULE, file, p.line, p.column, `${where}: the file ${got.reason}, so the version setup-go installs cannot be judged. Fix: point go-version-file at a readable go.mod or .go-version.`);
    const d = setupGoFileVersion(rel, got.text, gotoolchain);
    if (d.version === "") return findingFor(ctx, EXACT_RULE, file, p.line, p.column, `${where}: setup-go finds no Go version in it (${d.from}) and fails. Fix: give ${rel} a toolchain go${ctx.defaultVersion} line, or use go-version: "${ctx.defaultVersion}".`);
    const isMod = /(^|\/)go\.(mod|work)$/.test(rel);
    const v = judgeRelease(d.version, `${where} (setup-go reads ${d.from})`, ctx, (x) => (isMod ? `toolchain ${toolchainName(x)} in ${rel}` : `${x} in ${rel}`));
    return v ? findingFor(ctx, v.rule, file, p.line, p.column, v.message) : [];
  }
  const p = at(undefined);
  return findingFor(ctx, EXACT_RULE, file, p.line, p.column, `${file} line ${p.line} ${label}: setup-go has neither go-version nor go-version-file, so the job uses whatever Go the runner image has on its PATH. ${fixNote}`);
}

/** `${{ matrix.go }}`: every value the literal matrix gives it (the axis and include entries) is judged. */
function judgeMatrix(file: string, lc: LineCounter, where: string, axis: string, job: unknown, ctx: RepoContext, refPos: { line: number; column: number }): RepoFinding[] {
  const matrix = child(child(job, "strategy"), "matrix");
  const offline = (why: string): RepoFinding[] =>
    findingFor(ctx, EXACT_RULE, file, refPos.line, refPos.column, `${where} is \${{ matrix.${axis} }}, which cannot be checked offline: ${why}. Fix: list the versions literally in strategy.matrix.${axis} (goguard export --format github-matrix prints the allowed ones).`);
  if (!isMap(matrix)) return offline(isScalar(matrix) ? `the matrix is the expression ${String((matrix as Scalar).value)}` : "the job has no literal strategy.matrix");
  const values: Node[] = [];
  const axisNode = child(matrix, axis);
  if (isSeq(axisNode)) values.push(...(axisNode.items as Node[]));
  else if (axisNode !== undefined) return offline(`strategy.matrix.${axis} is not a literal list`);
  const include = child(matrix, "include");
  if (isSeq(include)) for (const entry of include.items) if (child(entry, axis) !== undefined) values.push(child(entry, axis) as Node);
  if (values.length === 0) return offline(`strategy.matrix has no ${axis} values`);
  const out: RepoFinding[] = [];
  for (const node of values) {
    const t = scalarText(node);
    const p = pos(lc, node);
    if (t === undefined || EXPR.test(t.value)) {
      out.push(...findingFor(ctx, EXACT_RULE, file, p.line, p.column, `${where} takes strategy.matrix.${axis} values, and the one at line ${p.line} cannot be checked offline (not a literal string). Fix: list the versions literally.`));
      continue;
    }
    const yamlNumber = t.written !== t.value ? ` (written ${t.written}, which YAML reads as the number ${t.value})` : "";
    const v = judgeRelease(t.value, `${file} line ${p.line}: strategy.matrix.${axis} value ${JSON.stringify(t.value)}${yamlNumber}, the go-version of ${where.replace(`${file} line ${refPos.line} `, "").replace(/: setup-go go-version$/, " (setup-go)")}`, ctx, (x) => `"${x}" in strategy.matrix.${axis}`);
    if (v) out.push(...findingFor(ctx, v.rule, file, p.line, p.column, v.message));
  }
  return out;
}

/**
 * A `run:` script read by the pack's shell reader (policies/lib/dockerfile-shell.ts) as GitHub runs
 * it (bash -e, the step's env exported): module queries are judged by go-install-pinned, and the
 * Go settings a `go` command sees that the script itself sets (export, inline, go env -w) by the Go
 * settings rules. Downloads are not judged here, and a script the shell reader cannot parse (one
 * that splices `${{ }}` into the shell) is left unjudged: only `env:` values are then checked.
 */
function judgeRunScript(file: string, fileLines: readonly string[], lc: LineCounter, label: string, node: Node, script: string, env: Readonly<Record<string, string>>, goEnvFile: Record<string, string>, seen: Set<string>, ctx: RepoContext): RepoFinding[] {
  if (EXPR.test(script)) return [];
  const { line } = pos(lc, node);
  // A block scalar (run: |) starts on the next line.
  const first = isScalar(node) && ((node as Scalar).type === "BLOCK_LITERAL" || (node as Scalar).type === "BLOCK_FOLDED") ? line + 1 : line;
  const ev = newEvents();
  analyzeScript(script, first, "run: script", ev, { exported: { ...env }, vars: { ...env }, goEnvFile, errexit: true });
  const out: RepoFinding[] = [];
  // The shell reader places every event at the script's first line; the line that names the
  // command is found in the script's own text (a block scalar keeps one script line per file line).
  const lines = script.split("\n");
  const block = first !== line;
  const lineOf = (needle: string): number => {
    const i = block ? lines.findIndex((l) => l.includes(needle)) : -1;
    return i >= 0 ? first + i : first;
  };
  const columnOf = (at: number, needle: string): number => {
    const l = fileLines[at - 1] ?? "";
    const i = l.indexOf(needle);
    return i >= 0 ? i + 1 : l.length - l.trimStart().length + 1;
  };
  for (const q of ev.queries) {
    const at = lineOf(q.target);
    for (const p of unpinnedQueryProblems(file, [{ ...q, line: at }])) out.push(...findingFor(ctx, "go-install-pinned", file, at, columnOf(at, q.target), inWorkflow(p.message.replace(` (RUN `, ` ${label} (run: `))));
  }
  for (const r of ev.goRuns) {
    const own = Object.fromEntries(Object.entries(r.settings).filter(([k, v]) => env[k] !== v));
    if (!hasGoSettings(own)) continue;
    for (const f of checkGoSettings(r.settings, ctx.policy, ctx.catalog, { complete: false })) {
      if (!(f.setting in own) || seen.has(`${f.rule}${f.message}`)) continue;
      seen.add(`${f.rule}${f.message}`);
      const at = lineOf(r.command);
      out.push(...findingFor(ctx, RULE_NAME[f.rule], file, at, columnOf(at, r.command), `${file} line ${at} ${label} (run: ${r.command}): ${f.message}. Fix: ${f.fix}`));
    }
  }
  return out;
}

/** A job's `container` and `services` images: the pack's image rules, and a golang tag's release. */
function jobImages(file: string, lc: LineCounter, jobId: string, job: unknown, ctx: RepoContext): RepoFinding[] {
  const uses: Array<{ node: Node; what: string }> = [];
  const container = child(job, "container");
  const cimage = isMap(container) ? child(container, "image") : container;
  if (isScalar(cimage)) uses.push({ node: cimage as Node, what: "container" });
  const services = child(job, "services");
  if (isMap(services)) {
    for (const sp of (services as YAMLMap).items) {
      const simage = child(sp.value, "image");
      if (isScalar(sp.key) && isScalar(simage)) uses.push({ node: simage as Node, what: `service ${String((sp.key as Scalar).value)}` });
    }
  }
  const out: RepoFinding[] = [];
  for (const u of uses) out.push(...judgeImage(file, lc, u.node, scalarText(u.node)?.value ?? "", `job ${jobId} ${u.what}`, ctx));
  return out;
}

/** One image a job runs in (container, service or `docker://` step): the pack's image rules. */
function judgeImage(file: string, lc: LineCounter, node: Node, ref: string, what: string, ctx: RepoContext): RepoFinding[] {
  const out: RepoFinding[] = [];
  {
    // An image chosen by an expression is decided only when the job runs.
    if (ref === "" || EXPR.test(ref)) return out;
    const p = pos(lc, node);
    const use = { ref, where: `${file} line ${p.line} (${what})` };
    const add = (rule: string, messages: string[]): void => {
      for (const m of messages) out.push(...findingFor(ctx, rule, file, p.line, p.column, m));
    };
    add("golang-image-full-patch", golangTagProblems(use, ctx.ruleConfig as Record<string, unknown>));
    add("image-pinned-by-digest", digestProblems(use));
    add("image-no-latest", latestProblems(use));
    const parsed = parseImageRef(ref);
    const m = parsed && imageName(parsed) === "golang" ? /^(\d+\.\d+\.\d+)(-|$)/.exec(parsed.tag ?? "") : null;
    const v = m ? judgeRelease(m[1], `${use.where} image ${ref}`, ctx, (x) => `golang:${x}`) : undefined;
    if (v) out.push(...findingFor(ctx, v.rule, file, p.line, p.column, v.message));
  }
  return out;
}

/** A run script's $GITHUB_ENV writes as env entries at their file line (a block scalar keeps one line per line). */
function githubEnvVars(fileLines: readonly string[], lc: LineCounter, node: Node, script: string): EnvVar[] {
  const { line } = pos(lc, node);
  const block = isScalar(node) && ((node as Scalar).type === "BLOCK_LITERAL" || (node as Scalar).type === "BLOCK_FOLDED");
  return githubEnvWrites(script).map((w) => {
    const at = block ? line + 1 + w.index : line;
    const i = (fileLines[at - 1] ?? "").indexOf(w.raw);
    return { name: w.name, value: w.value ?? w.raw, line: at, column: i >= 0 ? i + 1 : 1, ...(w.value === undefined ? { unresolved: w.raw } : {}) };
  });
}

/** The pack's go-install-pinned wording speaks of image builds; a workflow's runs are job runs. */
function inWorkflow(message: string): string {
  return message.replace("when the image builds", "when the job runs").replace("two builds of the same Dockerfile", "two runs of the same workflow");
}
