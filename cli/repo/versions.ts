// Go versions a repository asks for, judged against the environment's lock (pure): the one judge
// for every place a version is written (.go-version, .tool-versions, mise.toml, setup-go, golang
// image tags, archive names), built on the shared pin validator (components/toolchain/pin.ts).
import { parse as parseToml, TomlError } from "smol-toml";
import { checkPinnedVersion } from "../../components/toolchain/pin";
import { findingFor, READABLE_RULE, RepoContext, RepoFinding } from "./types";

export const EXACT_RULE = "go-version-exact-release";
export const ALLOWED_RULE = "go-version-allowed";

/** What each non-version spelling of asdf and mise means, so the message says what would run. */
const SPECIAL: ReadonlyArray<[RegExp, string]> = [
  [/^ref:/, "builds Go from source at a git ref, not a released archive"],
  [/^path:/, "runs a Go found at a local path, which nothing verifies"],
  [/^prefix:/, "installs the newest release with that prefix at install time"],
  [/^sub-\d/, "is a version relative to the newest release, which moves"],
  [/^latest(:|$)/, "installs whatever is newest at install time"],
  [/^system$/, "uses whatever Go is installed on the machine"],
];

export interface ReleaseVerdict {
  readonly rule: string;
  readonly message: string;
}

/**
 * `what` names the place (".go-version", "ci.yml line 9: setup-go go-version"); the message is a full
 * sentence with its fix, the right spelling written by `spell`. Undefined when the version is an allowed full release of the environment.
 */
export function judgeRelease(value: string, what: string, ctx: RepoContext, spell: (version: string) => string = (v) => v): ReleaseVerdict | undefined {
  const allowedText = ctx.allowed.join(", ");
  const fix = `Fix: write ${spell(ctx.defaultVersion)}, the ${ctx.env} lock's default (it allows ${allowedText}).`;
  const special = SPECIAL.find(([re]) => re.test(value));
  if (special) return { rule: EXACT_RULE, message: `${what}: ${JSON.stringify(value)} ${special[1]}. ${fix}` };
  const pin = checkPinnedVersion(value, ctx.catalog, { allowPrerelease: ctx.allowPrereleases });
  // The pin validator's own suggestion (the catalog's newest) gives way to the lock's version in the fix.
  if (!pin.ok) return { rule: EXACT_RULE, message: `${what}: ${pin.reason.replace(/: pin (a|exactly one) (patch|stable)[^:]*$/, "")}. ${fix}` };
  if (!ctx.allowed.includes(value)) {
    return { rule: ALLOWED_RULE, message: `${what}: Go ${value} is not allowed by the ${ctx.env} lock (it allows ${allowedText}). Fix: write ${spell(ctx.defaultVersion)}, or have the platform team allow ${value} (${allowCommands(ctx.env, value)}).` };
  }
  return undefined;
}

/**
 * The commands that bring a version into an environment, as the CLI accepts them: only dev takes a
 * version directly; staging and prod take one by promotion from the environment before them.
 */
export function allowCommands(env: string, version: string): string {
  const steps = [`goguard lock allow dev ${version}`];
  if (env === "staging" || env === "prod") steps.push(`goguard lock promote dev staging --version ${version} --reason "<why>"`);
  if (env === "prod") steps.push(`goguard lock promote staging prod --version ${version} --reason "<why>"`);
  return steps.length === 1 ? steps[0] : `${steps.slice(0, -1).join(", ")}, then ${steps[steps.length - 1]}`;
}

function at(ctx: RepoContext, v: ReleaseVerdict | undefined, file: string, line: number, column: number): RepoFinding[] {
  return v ? findingFor(ctx, v.rule, file, line, column, v.message) : [];
}

/** 1-based line and column of a string index. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const nl = before.lastIndexOf("\n");
  return { line: before.split("\n").length, column: offset - nl };
}

/**
 * .go-version: goenv reads its first word; setup-go's go-version-file reads the whole file, trimmed.
 * The stricter reader decides: the trimmed content must be exactly one allowed release.
 */
export function checkGoVersionFile(file: string, text: string, ctx: RepoContext): RepoFinding[] {
  const trimmed = text.trim();
  const { line, column } = lineCol(text, trimmed === "" ? 0 : text.length - text.trimStart().length);
  return at(ctx, judgeRelease(trimmed, file, ctx), file, line, column);
}

/**
 * .tool-versions (asdf): `tool version [fallback …]` per line, `#` comments. Go is `golang` (the
 * asdf-golang plugin) or `go` (mise reads the file too); every listed version can be installed, so
 * each must be an allowed release.
 */
export function checkToolVersions(file: string, text: string, ctx: RepoContext): RepoFinding[] {
  const out: RepoFinding[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, i) => {
    const body = raw.replace(/\r$/, "").replace(/#.*$/, "");
    const fields = [...body.matchAll(/\S+/g)];
    if (fields.length === 0 || (fields[0][0] !== "golang" && fields[0][0] !== "go")) return;
    const tool = fields[0][0];
    if (fields.length === 1) {
      out.push(...findingFor(ctx, EXACT_RULE, file, i + 1, 1, `${file} line ${i + 1}: ${tool} has no version, so asdf cannot pick one. Fix: write ${tool} ${ctx.defaultVersion}.`));
      return;
    }
    for (const f of fields.slice(1)) out.push(...at(ctx, judgeRelease(f[0], `${file} line ${i + 1}: ${tool}`, ctx, (v) => `${tool} ${v}`), file, i + 1, f.index! + 1));
  });
  return out;
}

// mise tool names for Go: the registry's `go` (alias `golang`), and the explicit core backend.
const MISE_GO_KEYS = ["go", "golang", "core:go"];

/** Where a key is written in a TOML file, inside a given table (`tools`, `env`), found by scanning lines. */
function tomlKeyPosition(text: string, table: string, key: string): { line: number; column: number; lineText: string } | undefined {
  const lines = text.split("\n");
  let current = "";
  const q = (k: string): string => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const inTable = new RegExp(`^\\s*(["']?)${q(key)}\\1\\s*=`);
  const dotted = new RegExp(`^\\s*${q(table)}\\s*\\.\\s*(["']?)${q(key)}\\1\\s*=`);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const header = /^\s*\[\s*([^\]]+?)\s*\]/.exec(l);
    if (header && !l.trimStart().startsWith("[[")) {
      current = header[1];
      // `[tools.go]` with `version = "…"` under it: the table header is where the tool is named.
      if (new RegExp(`^${q(table)}\\s*\\.\\s*(["']?)${q(key)}\\1$`).test(current)) return { line: i + 1, column: l.length - l.trimStart().length + 1, lineText: l };
      continue;
    }
    if ((current === table && inTable.test(l)) || (current === "" && dotted.test(l))) {
      return { line: i + 1, column: l.length - l.trimStart().length + 1, lineText: l };
    }
  }
  return undefined;
}

/** The column of `value` written on a line (quoted), else the key's column. */
function valueColumn(pos: { column: number; lineText: string }, value: string): number {
  for (const quoted of [`"${value}"`, `'${value}'`]) {
    const i = pos.lineText.indexOf(quoted);
    if (i >= 0) return i + 2;
  }
  return pos.column;
}

export interface MiseRead {
  readonly findings: RepoFinding[];
  /** `[env]` string values, for the Go settings judge; with the line of each key. */
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string; readonly line: number; readonly column: number }>;
  /** `[env] _.file` dotenv paths (a string, a list, or `{ path = … }` entries), as written. */
  readonly envFiles?: readonly string[];
}

/**
 * mise.toml: `[tools] go = "1.26.7"`, a list of versions, or `{ version = "…" }`; mise also takes
 * fuzzy prefixes (`1.26`), `latest`, `prefix:`, `ref:`, `path:`, `system` — all refused. `[env]` Go
 * settings are returned for the settings judge.
 */
export function checkMise(file: string, text: string, ctx: RepoContext): MiseRead {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const e = err as TomlError;
    const first = String(e.message).split("\n")[0];
    return { findings: findingFor(ctx, READABLE_RULE, file, e.line ?? 1, e.column ?? 1, `${file} is not valid TOML (${first}), so mise refuses it and its Go version cannot be judged. Fix: correct the TOML.`), env: [] };
  }
  const out: RepoFinding[] = [];
  const tools = doc.tools !== null && typeof doc.tools === "object" && !Array.isArray(doc.tools) ? (doc.tools as Record<string, unknown>) : {};
  for (const key of MISE_GO_KEYS) {
    if (!Object.prototype.hasOwnProperty.call(tools, key)) continue;
    const pos = tomlKeyPosition(text, "tools", key) ?? { line: 1, column: 1, lineText: "" };
    const raw = tools[key];
    const items = Array.isArray(raw) ? raw : [raw];
    for (const item of items) {
      const version = typeof item === "string" ? item : item !== null && typeof item === "object" && typeof (item as Record<string, unknown>).version === "string" ? ((item as Record<string, unknown>).version as string) : undefined;
      if (version === undefined) {
        out.push(...findingFor(ctx, EXACT_RULE, file, pos.line, pos.column, `${file} line ${pos.line}: [tools] ${key} is ${JSON.stringify(item)}, not a version string, so which Go mise installs cannot be judged. Fix: write ${key} = "${ctx.defaultVersion}".`));
        continue;
      }
      out.push(...at(ctx, judgeRelease(version, `${file} line ${pos.line}: [tools] ${key}`, ctx, (v) => `${key} = "${v}"`), file, pos.line, valueColumn(pos, version)));
    }
  }
  const env: Array<{ name: string; value: string; line: number; column: number }> = [];
  const envTable = doc.env !== null && typeof doc.env === "object" && !Array.isArray(doc.env) ? (doc.env as Record<string, unknown>) : {};
  for (const [name, value] of Object.entries(envTable)) {
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") continue;
    const pos = tomlKeyPosition(text, "env", name) ?? { line: 1, column: 1, lineText: "" };
    env.push({ name, value: String(value), line: pos.line, column: pos.column });
  }
  // `[env] _.file = ".env"` (or a list) makes mise load dotenv files into the same environment.
  const under = envTable._ !== null && typeof envTable._ === "object" && !Array.isArray(envTable._) ? (envTable._ as Record<string, unknown>).file : undefined;
  const envFiles = (Array.isArray(under) ? under : under === undefined ? [] : [under])
    .map((x) => (typeof x === "string" ? x : x !== null && typeof x === "object" && typeof (x as Record<string, unknown>).path === "string" ? ((x as Record<string, unknown>).path as string) : undefined))
    .filter((x): x is string => x !== undefined);
  return { findings: out, env, ...(envFiles.length > 0 ? { envFiles } : {}) };
}

/** A dotenv file's NAME=value lines (optional `export`, quotes removed, `#` comments dropped), bounded. */
export function dotenvVars(text: string): Array<{ name: string; value: string; line: number; column: number }> {
  const out: Array<{ name: string; value: string; line: number; column: number }> = [];
  text.split("\n").slice(0, 5000).forEach((raw, i) => {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/.exec(raw.replace(/\r$/, ""));
    if (!m) return;
    let v = m[3];
    if (/^"[^"]*"/.test(v)) v = /^"([^"]*)"/.exec(v)![1];
    else if (/^'[^']*'/.test(v)) v = /^'([^']*)'/.exec(v)![1];
    else v = v.replace(/\s+#.*$/, "");
    out.push({ name: m[2], value: v, line: i + 1, column: m[1].length + 1 });
  });
  return out;
}
