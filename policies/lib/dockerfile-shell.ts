// What a RUN's shell script does, read with a real shell parser (mvdan.cc/sh, the GopherJS build
// published as `mvdan-sh`): the Go commands it runs and the environment each one sees, module
// queries (`go install|get|run pkg@…`, `go get -u`), `go env -w`, downloads (curl, wget), sha256
// checks and extractions. Pure: the Dockerfile reader (dockerfile.ts) feeds it one script at a time
// with the stage's state and collects the events.
//
// The environment a `go` process sees is its process environment: the stage's ENV and the ARGs in
// scope (BuildKit passes both to RUN), then `export`s earlier in the same shell, then the command's
// own `K=V go …` or `env K=V go …`. The go env file written by `go env -w` is read only for
// variables the process environment does not set (cmd/go/internal/cfg: the OS environment is
// consulted first, then $GOENV, then $GOROOT/go.env), so ENV beats `go env -w`.

import { parseScript } from "./shell-tree";
import { varMap } from "./dockerfile-words";
import { GO_SETTINGS } from "../../components/toolchain/go-setting-names";

const GO_SETTING_NAMES: ReadonlySet<string> = new Set(GO_SETTINGS);

/** The node's Go type name (CallExpr, BinaryCmd, …), as shell-tree.ts tags it. */
function nodeType(n: any): string | undefined {
  return n?.T;
}

/** mvdan.cc/sh token numbers (syntax/tokens.go) as the GopherJS build exposes them. */
const OP = { orOr: 11, pipe: 12, pipeAll: 13, redirOut: 54, appOut: 55, hdoc: 61, dashHdoc: 62, wordHdoc: 63, plus: 68, colPlus: 69, minus: 70, colMinus: 71, assgn: 74, colAssgn: 75 } as const;

export interface GoRun {
  readonly line: number;
  /** `go build`, `go test`, … */
  readonly command: string;
  /** The environment the go process sees, with the go env file underneath it. */
  readonly settings: Readonly<Record<string, string>>;
}

export interface ModuleQuery {
  readonly line: number;
  readonly command: string;
  readonly target: string;
  /** After the "@"; undefined for an implicit upgrade (`go get pkg`, `go get -u`). */
  readonly version?: string;
  readonly written: string;
}

export interface DownloadEvent {
  readonly seq: number;
  readonly line: number;
  readonly via: "curl" | "wget" | "ADD";
  readonly url: string;
  /** Variables in the URL that have no value at build time. */
  readonly unresolved: readonly string[];
  /** The local file name (basename), or undefined when written to stdout. */
  readonly file?: string;
  /** ADD --checksum. */
  readonly checksum?: string;
}

export interface CheckEvent {
  readonly seq: number;
  readonly line: number;
  readonly how: "sha256sum -c" | "equality test" | "ADD --checksum";
  /** The file checked (basename); undefined when the check's input is unknown. */
  readonly file?: string;
  /** The sum checked against (lower case); undefined when it comes from a file the Dockerfile did not write. */
  readonly sum?: string;
  /** Where an unknown sum comes from (`cat /tmp/go.tgz.sha256`), when the Dockerfile says. */
  readonly sumFrom?: string;
  /** A failure of the check does not stop the build (`check || true`, or `check; next` without set -e). */
  ignored?: boolean;
  /** The check's failure is handled (`check || exit 1`, an if condition). */
  guarded?: boolean;
}

export interface ExtractEvent {
  readonly seq: number;
  readonly line: number;
  readonly file?: string;
  /** Downloads piped straight into the extraction. */
  readonly fromDownloads: readonly number[];
}

export interface PrintEvent {
  readonly seq: number;
  readonly line: number;
  readonly file: string;
}

export interface ShellEvents {
  seq: number;
  readonly goRuns: GoRun[];
  readonly queries: ModuleQuery[];
  readonly downloads: DownloadEvent[];
  readonly checks: CheckEvent[];
  readonly extracts: ExtractEvent[];
  readonly prints: PrintEvent[];
  readonly problems: Array<{ line: number; message: string }>;
  /** Contents of files the scripts wrote (`echo … > sums`), by basename. */
  readonly files: Record<string, string>;
}

export function newEvents(): ShellEvents {
  return { seq: 0, goRuns: [], queries: [], downloads: [], checks: [], extracts: [], prints: [], problems: [], files: varMap() };
}

export interface ShellState {
  /** Exported variables (the process environment). */
  exported: Record<string, string>;
  /** Shell variables, exported ones included. */
  vars: Record<string, string>;
  /** The stage's go env file (persists across RUN). */
  readonly goEnvFile: Record<string, string>;
  /** Shell variables holding `$(sha256sum FILE …)`: variable → FILE. */
  hashVars?: Record<string, string>;
  /** `set -e` (or a SHELL with -e) is in effect: a failing command stops the RUN. */
  errexit?: boolean;
}

interface Ctx {
  readonly line: number;
  readonly label: string;
  readonly ev: ShellEvents;
  readonly st: ShellState;
  readonly depth: number;
  /** Statements left to visit (bounds the work on hostile input). */
  readonly budget: { left: number };
}

interface W {
  readonly value: string;
  readonly known: boolean;
  /** argv of the commands inside command substitutions of this word. */
  readonly substCalls: ReadonlyArray<readonly string[]>;
}

type Stdout = { kind: "text"; text: string; /** What produced parts of the text that cannot be known (`cat go.tgz.sha256`). */ unknownFrom?: string } | { kind: "download"; seqs: number[] } | { kind: "hash"; file?: string } | { kind: "other" };

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"]);
const WRAPPERS = new Set(["sudo", "nice", "nohup", "exec", "command", "time", "doas"]);
const MAX_DEPTH = 4;
const MAX_STMTS = 5000;

/** The file name of a path or URL (query and fragment dropped). */
/**
 * env(1)'s operands before the command it runs: NAME=VALUE assignments, whether -i clears the
 * environment first, and the index of the command (`values.length` when there is none).
 */
export function envOperands(values: readonly string[]): { assigns: Record<string, string>; clear: boolean; next: number } {
  const assigns = varMap();
  let clear = false;
  let i = 0;
  for (; i < values.length; i++) {
    const a = values[i];
    if (a === "-i" || a === "-" || a === "--ignore-environment") clear = true;
    else if (a === "-u" || a === "--unset") i++;
    else if (a.startsWith("-")) continue;
    else if (a.indexOf("=") > 0) assigns[a.slice(0, a.indexOf("="))] = a.slice(a.indexOf("=") + 1);
    else break;
  }
  return { assigns, clear, next: i };
}

export function basename(p: string): string {
  const q = p.replace(/[?#].*$/, "");
  const i = q.lastIndexOf("/");
  return i >= 0 ? q.slice(i + 1) : q;
}

function has(o: Record<string, string>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** Parses a script; a syntax error is recorded as a problem (fail closed), never thrown. */
export function analyzeScript(script: string, line: number, label: string, ev: ShellEvents, st: ShellState, depth = 0, budget = { left: MAX_STMTS }): void {
  const parsed = parseScript(script);
  if ("error" in parsed) {
    ev.problems.push({ line, message: `the shell cannot parse this ${label} (${parsed.error.replace(/^RUN:/, "script line ")}), so what it runs cannot be judged` });
    return;
  }
  visitStmts(parsed.file.Stmts as any[] | undefined, { line, label, ev, st, depth, budget });
}

function visitStmts(stmts: any[] | null | undefined, c: Ctx): void {
  const list = (stmts ?? []) as any[];
  list.forEach((s, i) => {
    const before = c.ev.checks.length;
    visitStmt(s, c, { kind: "other" });
    // Without set -e, a failing statement followed by another one does not stop the shell.
    if (i < list.length - 1 && !c.st.errexit) markChecks(c, before, "ignored");
  });
}

function markChecks(c: Ctx, from: number, mark: "ignored" | "guarded"): void {
  for (const ch of c.ev.checks.slice(from)) {
    if (mark === "guarded") ch.guarded = true;
    else if (!ch.guarded) ch.ignored = true;
  }
}

/** Whether a statement ends in failure (`exit 1`, `false`, `return 1`), so `check || <it>` stops the build. */
function fails(stmt: any, c: Ctx): boolean {
  const cmd = stmt?.Cmd;
  if (!cmd) return false;
  switch (nodeType(cmd)) {
    case "CallExpr": {
      const argv = ((cmd.Args ?? []) as any[]).map((w) => evalWord(w, c).value);
      return argv[0] === "false" || ((argv[0] === "exit" || argv[0] === "return") && argv[1] !== undefined && argv[1] !== "0");
    }
    case "Block":
    case "Subshell": {
      const last = (cmd.Stmts ?? []) as any[];
      return last.length > 0 && fails(last[last.length - 1], c);
    }
    case "BinaryCmd":
      return fails(cmd.Y, c);
    default:
      return false;
  }
}

function visitStmt(stmt: any, c: Ctx, stdin: Stdout): Stdout {
  if (--c.budget.left < 0) return { kind: "other" };
  if (!stmt || !stmt.Cmd) return { kind: "other" };
  const cmd = stmt.Cmd;
  const redirs: any[] = stmt.Redirs ?? [];
  switch (nodeType(cmd)) {
    case "CallExpr":
      return call(cmd, redirs, c, stdin);
    case "DeclClause":
      decl(cmd, c);
      return { kind: "other" };
    case "BinaryCmd": {
      if (cmd.Op === OP.pipe || cmd.Op === OP.pipeAll) {
        const out = visitStmt(cmd.X, c, stdin);
        return visitStmt(cmd.Y, c, out);
      }
      const before = c.ev.checks.length;
      visitStmt(cmd.X, c, stdin);
      if (cmd.Op === OP.orOr) markChecks(c, before, fails(cmd.Y, c) ? "guarded" : "ignored");
      return visitStmt(cmd.Y, c, stdin);
    }
    case "Subshell": {
      // A subshell's exports end with it; the go env file is on disk and persists.
      const sub: Ctx = { ...c, st: { exported: varMap(c.st.exported), vars: varMap(c.st.vars), goEnvFile: c.st.goEnvFile } };
      visitStmts(cmd.Stmts, sub);
      return { kind: "other" };
    }
    case "Block":
      visitStmts(cmd.Stmts, c);
      return { kind: "other" };
    case "IfClause": {
      for (let n = cmd, guard = 0; n && guard < 100; n = n.Else, guard++) {
        // A check in a condition decides what runs next: its failure is handled.
        const before = c.ev.checks.length;
        visitStmts(n.Cond, c);
        markChecks(c, before, "guarded");
        visitStmts(n.Then, c);
      }
      return { kind: "other" };
    }
    case "WhileClause":
      visitStmts(cmd.Cond, c);
      visitStmts(cmd.Do, c);
      return { kind: "other" };
    case "ForClause":
      visitStmts(cmd.Do, c);
      return { kind: "other" };
    case "CaseClause": {
      // With a known word, only the first matching branch runs; otherwise every branch might.
      const word = evalWord(cmd.Word, c);
      const items = (cmd.Items ?? []) as any[];
      const hit = word.known ? items.find((item) => ((item.Patterns ?? []) as any[]).some((p) => globMatch(evalWord(p, c).value, word.value))) : undefined;
      if (word.known) {
        if (hit) visitStmts(hit.Stmts, c);
      } else for (const item of items) visitStmts(item.Stmts, c);
      return { kind: "other" };
    }
    case "FuncDecl":
      // A function body runs when called; judging it once is the conservative reading.
      if (cmd.Body) visitStmt(cmd.Body, c, stdin);
      return { kind: "other" };
    case "TimeClause":
    case "CoprocClause":
      if (cmd.Stmt) return visitStmt(cmd.Stmt, c, stdin);
      return { kind: "other" };
    case "TestClause":
      testClause(cmd, c);
      return { kind: "other" };
    default:
      return { kind: "other" };
  }
}

/** Shell pattern matching for case: `*`, `?` and literals (bracket classes compared literally). */
function globMatch(pattern: string, text: string): boolean {
  let re = "^";
  for (const ch of pattern) re += ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`${re}$`, "s").test(text);
}

function unescapeUnquoted(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && i + 1 < s.length) {
      if (s[i + 1] !== "\n") out += s[i + 1];
      i++;
    } else out += s[i];
  }
  return out;
}

function unescapeDouble(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const n = s[i + 1];
    if (s[i] === "\\" && n !== undefined && (n === "$" || n === "`" || n === '"' || n === "\\" || n === "\n")) {
      if (n !== "\n") out += n;
      i++;
    } else out += s[i];
  }
  return out;
}

function collectCalls(stmts: any[] | null | undefined, c: Ctx, depth = 0): string[][] {
  // The commands of a command substitution, in order (sh.Walk is slow under GopherJS).
  const out: string[][] = [];
  if (depth > MAX_DEPTH) return out;
  const visit = (stmt: any): void => {
    const cmd = stmt?.Cmd;
    if (!cmd) return;
    switch (nodeType(cmd)) {
      case "CallExpr":
        out.push(((cmd.Args ?? []) as any[]).map((w) => evalWord(w, c).value));
        break;
      case "BinaryCmd":
        visit(cmd.X);
        visit(cmd.Y);
        break;
      case "Subshell":
      case "Block":
        out.push(...collectCalls(cmd.Stmts, c, depth + 1));
        break;
      default:
        break;
    }
  };
  for (const s of stmts ?? []) visit(s);
  return out;
}

function evalParts(parts: any[], c: Ctx, quoted: boolean): W {
  let value = "";
  let known = true;
  const substCalls: Array<readonly string[]> = [];
  for (const p of parts ?? []) {
    switch (nodeType(p)) {
      case "Lit":
        value += quoted ? unescapeDouble(p.Value) : unescapeUnquoted(p.Value);
        break;
      case "SglQuoted":
        value += p.Value;
        break;
      case "DblQuoted": {
        const w = evalParts(p.Parts, c, true);
        value += w.value;
        known &&= w.known;
        substCalls.push(...w.substCalls);
        break;
      }
      case "ParamExp": {
        const hashed = c.st.hashVars?.[p.Param?.Value ?? ""];
        if (hashed !== undefined) substCalls.push(["sha256sum", hashed]);
        const r = paramExp(p, c);
        value += r.value;
        known &&= r.known;
        break;
      }
      case "CmdSubst":
        known = false;
        substCalls.push(...collectCalls(p.Stmts, c));
        break;
      default:
        known = false;
    }
  }
  return { value, known, substCalls };
}

function paramExp(p: any, c: Ctx): { value: string; known: boolean } {
  const name: string = p.Param?.Value ?? "";
  if (p.Length || p.Excl || p.Slice || p.Repl || p.Index || (p.Exp && ![OP.plus, OP.colPlus, OP.minus, OP.colMinus, OP.assgn, OP.colAssgn].includes(p.Exp.Op))) return { value: "", known: false };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { value: "", known: false };
  const set = has(c.st.vars, name);
  const v = set ? c.st.vars[name] : "";
  const nonEmpty = set && v !== "";
  if (!p.Exp) return { value: v, known: set };
  const word = (): { value: string; known: boolean } => (p.Exp.Word ? evalParts(p.Exp.Word.Parts, c, false) : { value: "", known: true });
  switch (p.Exp.Op) {
    case OP.colMinus:
      return nonEmpty ? { value: v, known: true } : word();
    case OP.minus:
      return set ? { value: v, known: true } : word();
    case OP.colPlus:
      return nonEmpty ? word() : { value: "", known: true };
    case OP.plus:
      return set ? word() : { value: "", known: true };
    default: {
      // := and = assign the default when unset.
      if ((p.Exp.Op === OP.colAssgn && !nonEmpty) || (p.Exp.Op === OP.assgn && !set)) {
        const w = word();
        c.st.vars[name] = w.value;
        return w;
      }
      return { value: v, known: true };
    }
  }
}

function evalWord(w: any, c: Ctx): W {
  return w ? evalParts(w.Parts, c, false) : { value: "", known: true, substCalls: [] };
}

function decl(cmd: any, c: Ctx): void {
  const variant: string = cmd.Variant?.Value ?? "";
  const words = (cmd.Args ?? []) as any[];
  // `declare -x` / `typeset -x` export like `export`.
  const exporting = variant === "export" || words.some((a) => a.Naked && a.Value && evalWord(a.Value, c).value.startsWith("-") && evalWord(a.Value, c).value.includes("x"));
  for (const a of words) {
    if (!a.Name) continue;
    const name: string = a.Name.Value;
    if (a.Naked) {
      if (exporting && has(c.st.vars, name)) c.st.exported[name] = c.st.vars[name];
      continue;
    }
    const v = a.Value ? evalWord(a.Value, c).value : "";
    c.st.vars[name] = v;
    if (exporting || has(c.st.exported, name)) c.st.exported[name] = v;
  }
}

function heredocText(redirs: any[], c: Ctx): string | undefined {
  for (const r of redirs) {
    if (r.Op === OP.hdoc || r.Op === OP.dashHdoc) {
      const body = r.Hdoc ? evalParts(r.Hdoc.Parts, c, true).value : "";
      // <<- strips leading tabs from every line of the body.
      return r.Op === OP.dashHdoc ? body.split("\n").map((l) => l.replace(/^\t+/, "")).join("\n") : body;
    }
    if (r.Op === OP.wordHdoc) return `${evalWord(r.Word, c).value}\n`;
  }
  return undefined;
}

function outputFile(redirs: any[], c: Ctx): string | undefined {
  for (const r of redirs) if (r.Op === OP.redirOut || r.Op === OP.appOut) return basename(evalWord(r.Word, c).value);
  return undefined;
}

function call(node: any, redirs: any[], c: Ctx, stdin: Stdout): Stdout {
  const assigns = (node.Assigns ?? []) as any[];
  const argv: W[] = ((node.Args ?? []) as any[]).map((w) => evalWord(w, c));
  if (argv.length === 0) {
    for (const a of assigns) {
      const w = a.Value ? evalWord(a.Value, c) : undefined;
      const v = w ? w.value : "";
      const hashed = w ? hashedFile(w.substCalls) : undefined;
      if (hashed !== undefined) (c.st.hashVars ??= varMap())[a.Name.Value] = hashed;
      c.st.vars[a.Name.Value] = v;
      // Assigning to an already exported variable changes the environment of later commands.
      if (has(c.st.exported, a.Name.Value)) c.st.exported[a.Name.Value] = v;
    }
    return { kind: "other" };
  }
  const inline = varMap();
  for (const a of assigns) inline[a.Name.Value] = a.Value ? evalWord(a.Value, c).value : "";
  return command(argv, inline, false, redirs, c, stdin);
}

/** Runs argv with extra environment `inline` (`K=V cmd`, `env K=V cmd`). */
function command(argv: W[], inline: Record<string, string>, cleared: boolean, redirs: any[], c: Ctx, stdin: Stdout): Stdout {
  if (argv.length === 0) return { kind: "other" };
  const name = basename(argv[0].value);
  const args = argv.slice(1);
  const values = args.map((a) => a.value);
  if (name === "env") {
    const e = envOperands(values);
    return command(args.slice(e.next), varMap(inline, e.assigns), cleared || e.clear, redirs, c, stdin);
  }
  if (WRAPPERS.has(name)) {
    let i = 0;
    while (i < values.length && values[i].startsWith("-")) i++;
    return command(args.slice(i), inline, cleared, redirs, c, stdin);
  }
  if (name === "timeout") {
    // coreutils timeout [-s SIGNAL] [-k DURATION] [--foreground] [--preserve-status] DURATION COMMAND…
    let i = 0;
    for (; i < values.length && values[i].startsWith("-") && values[i] !== "-"; i++) if (values[i] === "-s" || values[i] === "-k" || values[i] === "--signal" || values[i] === "--kill-after") i++;
    return command(args.slice(i + 1), inline, cleared, redirs, c, stdin);
  }
  if (SHELLS.has(name)) {
    const ci = values.findIndex((v) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(v));
    const script = ci >= 0 ? values[ci + 1] : values.find((v) => !v.startsWith("-")) === undefined ? (heredocText(redirs, c) ?? (stdin.kind === "text" ? stdin.text : undefined)) : undefined;
    if (script !== undefined && c.depth < MAX_DEPTH) {
      // A child shell sees the exported environment only.
      const env = cleared ? varMap(inline) : varMap(c.st.exported, inline);
      const errexit = values.slice(0, ci >= 0 ? ci + 1 : values.length).some((v) => /^-[a-zA-Z]+$/.test(v) && v.includes("e"));
      analyzeScript(script, c.line, c.label, c.ev, { exported: env, vars: varMap(env), goEnvFile: c.st.goEnvFile, errexit }, c.depth + 1, c.budget);
    }
    return { kind: "other" };
  }
  switch (name) {
    case "set":
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if ((/^-[a-zA-Z]+$/.test(v) && v.includes("e")) || (v === "-o" && values[i + 1] === "errexit")) c.st.errexit = true;
        if ((/^\+[a-zA-Z]+$/.test(v) && v.includes("e")) || (v === "+o" && values[i + 1] === "errexit")) c.st.errexit = false;
      }
      return { kind: "other" };
    case "go":
      goCommand(values, varMap(c.st.goEnvFile, cleared ? undefined : c.st.exported, inline), c);
      return { kind: "other" };
    case "curl":
    case "wget":
      return download(name, args, c);
    case "sha256sum":
    case "shasum":
    case "sha256":
      return hash(name, values, redirs, c, stdin);
    case "[":
    case "test":
      equality(args, c);
      return { kind: "other" };
    case "tar":
      extract(values, c, stdin);
      return { kind: "other" };
    case "echo":
    case "printf":
    case "cat": {
      const text = name === "echo" ? `${values.filter((v, i) => !(i === 0 && /^-[neE]+$/.test(v))).join(" ")}\n` : name === "printf" ? printf(values) : (heredocText(redirs, c) ?? "");
      const out = outputFile(redirs, c);
      if (out !== undefined) c.ev.files[out] = text;
      // `echo "$(cat go.tgz.sha256)  go.tgz"`: the sum is whatever that file holds, which the
      // Dockerfile does not; keep what produced it so a check on this text can say so.
      const unknownFrom = name === "echo" || name === "printf" ? args.filter((a) => !a.known).flatMap((a) => a.substCalls.map((argv) => argv.join(" "))).join("; ") : "";
      return { kind: "text", text, ...(unknownFrom !== "" ? { unknownFrom } : {}) };
    }
    default:
      // `GONOSUMDB=* make deps`, `env GOFLAGS=-mod=mod ./build.sh`: an assignment written before a
      // command is in that command's environment and every process it starts (make's recipes, a
      // script's go; POSIX sh 2.9.1), so it is judged where it is written, as a go run.
      if (Object.keys(inline).some((k) => GO_SETTING_NAMES.has(k))) c.ev.goRuns.push({ line: c.line, command: name, settings: varMap(c.st.goEnvFile, cleared ? undefined : c.st.exported, inline) });
      return { kind: "other" };
  }
}

/** printf FORMAT ARGS…: enough of printf(1) for `printf '%s  %s\n' "$SUM" go.tgz`. */
function printf(values: readonly string[]): string {
  const [fmt = "", ...rest] = values;
  let i = 0;
  return fmt.replace(/%s|%%|\\n|\\t/g, (m) => (m === "%s" ? (rest[i++] ?? "") : m === "%%" ? "%" : m === "\\n" ? "\n" : "\t"));
}

// Flags of go build/install/run/get that take a separate value.
const GO_VALUE_FLAGS = new Set(["-C", "-o", "-p", "-asmflags", "-buildmode", "-buildvcs", "-compiler", "-gccgoflags", "-gcflags", "-installsuffix", "-ldflags", "-mod", "-modfile", "-overlay", "-pgo", "-pkgdir", "-tags", "-toolexec", "-coverpkg", "-covermode", "-exec", "-json"]);

function goCommand(values: readonly string[], settings: Record<string, string>, c: Ctx): void {
  const sub = values.find((v) => !v.startsWith("-"));
  if (sub === undefined) return;
  const rest = values.slice(values.indexOf(sub) + 1);
  if (sub === "env") {
    const w = rest.includes("-w");
    const u = rest.includes("-u");
    for (const a of rest) {
      if (a.startsWith("-")) continue;
      const eq = a.indexOf("=");
      if (w && eq > 0) c.st.goEnvFile[a.slice(0, eq)] = a.slice(eq + 1);
      else if (u) delete c.st.goEnvFile[a];
    }
    if (w || u) return;
  }
  c.ev.goRuns.push({ line: c.line, command: `go ${sub}`, settings });
  if (sub !== "install" && sub !== "get" && sub !== "run") return;
  const operands: string[] = [];
  let upgrade = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--") continue;
    if (a.startsWith("-")) {
      const flag = a.split("=")[0].replace(/^--/, "-");
      if (flag === "-u" && sub === "get") upgrade = true;
      if (GO_VALUE_FLAGS.has(flag) && !a.includes("=")) i++;
      continue;
    }
    operands.push(a);
    // go run's first operand is the package; the rest are the program's arguments.
    if (sub === "run") break;
  }
  const command = `go ${sub}`;
  if (upgrade) c.ev.queries.push({ line: c.line, command, target: operands.join(" ") || "(the main module's dependencies)", written: `go get ${values.slice(values.indexOf(sub) + 1).join(" ")}`.trim() });
  for (const o of operands) {
    const at = o.lastIndexOf("@");
    if (at > 0) {
      if (!upgrade) c.ev.queries.push({ line: c.line, command, target: o.slice(0, at), version: o.slice(at + 1), written: o });
    } else if (sub === "get" && !upgrade && !o.startsWith(".") && !o.startsWith("/") && (o.split("/")[0] ?? "").includes(".")) {
      // `go get example.com/pkg` means example.com/pkg@upgrade.
      c.ev.queries.push({ line: c.line, command, target: o, written: o });
    }
  }
}

function download(tool: "curl" | "wget", words: readonly W[], c: Ctx): Stdout {
  const values = words.map((w) => w.value);
  const unknownUrl = new Set(words.filter((w) => w.value.includes("://") && !w.known).map((w) => w.value));
  const urls: string[] = [];
  let output: string | undefined;
  let remoteName = false;
  for (let i = 0; i < values.length; i++) {
    const a = values[i];
    if (a.includes("://")) {
      urls.push(a);
      continue;
    }
    if (tool === "curl") {
      if (a === "-o" || a === "--output") output = values[++i];
      else if (a.startsWith("--output=")) output = a.slice(9);
      else if (a === "-O" || a === "--remote-name") remoteName = true;
      else if (/^-[a-zA-Z]+$/.test(a) && a.length > 2) {
        if (a.endsWith("o")) output = values[++i];
        else if (a.includes("O")) remoteName = true;
      }
    } else {
      if (a === "-O" || a === "--output-document") output = values[++i];
      else if (a.startsWith("--output-document=")) output = a.slice(18);
      else if (a === "-P" || a === "--directory-prefix") i++;
      else if (/^-[a-zA-Z]+$/.test(a) && a.includes("O")) {
        const after = a.slice(a.indexOf("O") + 1);
        output = after !== "" ? after : values[++i];
      } else if (/^-[a-zA-Z]*O-$/.test(a)) output = "-";
    }
  }
  const seqs: number[] = [];
  for (const url of urls) {
    const toStdout = output === "-" || (tool === "curl" && output === undefined && !remoteName);
    const file = toStdout ? undefined : output !== undefined ? basename(output) : basename(url);
    const seq = ++c.ev.seq;
    seqs.push(seq);
    // An unknown part (a variable with no value, a command substitution) leaves the URL undecided.
    c.ev.downloads.push({ seq, line: c.line, via: tool, url, unresolved: unknownUrl.has(url) ? ["(a variable with no value at build time)"] : [], ...(file !== undefined ? { file } : {}) });
  }
  return seqs.length > 0 ? { kind: "download", seqs } : { kind: "other" };
}

function sumLines(text: string, c: Ctx, unknownFrom?: string): void {
  for (const l of text.split("\n")) {
    const parts = l.trim().split(/\s+/).filter((p) => p !== "");
    // The sum part came from a command substitution (its text is empty here): the check is on
    // the file, against a sum the Dockerfile does not hold.
    if (parts.length === 1 && unknownFrom !== undefined) {
      c.ev.checks.push({ seq: ++c.ev.seq, line: c.line, how: "sha256sum -c", file: basename(parts[0].replace(/^\*/, "")), sumFrom: unknownFrom });
      continue;
    }
    if (parts.length < 2) continue;
    c.ev.checks.push({ seq: ++c.ev.seq, line: c.line, how: "sha256sum -c", sum: parts[0].toLowerCase(), file: basename(parts[1].replace(/^\*/, "")) });
  }
}

function hash(tool: string, values: readonly string[], redirs: any[], c: Ctx, stdin: Stdout): Stdout {
  if (tool === "shasum" && !values.some((v, i) => (v === "-a" && values[i + 1] === "256") || v === "-a256" || v === "--algorithm=256")) return { kind: "other" };
  const check = values.some((v) => v === "--check" || /^-[a-zA-Z]*c[a-zA-Z]*$/.test(v));
  const files = values.filter((v, i) => !v.startsWith("-") && !(values[i - 1] === "-a"));
  if (!check) {
    for (const f of files) c.ev.prints.push({ seq: ++c.ev.seq, line: c.line, file: basename(f) });
    return { kind: "hash", ...(files[0] !== undefined ? { file: basename(files[0]) } : {}) };
  }
  const sources = files.filter((f) => f !== "-");
  const stdinText = heredocText(redirs, c) ?? (stdin.kind === "text" ? stdin.text : undefined);
  if (sources.length === 0) {
    if (stdinText !== undefined) sumLines(stdinText, c, stdin.kind === "text" ? stdin.unknownFrom : undefined);
    else c.ev.checks.push({ seq: ++c.ev.seq, line: c.line, how: "sha256sum -c" });
  }
  for (const f of sources) {
    const text = c.ev.files[basename(f)];
    if (text !== undefined) sumLines(text, c);
    else c.ev.checks.push({ seq: ++c.ev.seq, line: c.line, how: "sha256sum -c" });
  }
  return { kind: "other" };
}

function hashedFile(calls: ReadonlyArray<readonly string[]>): string | undefined {
  for (const argv of calls) {
    const name = basename(argv[0] ?? "");
    if (name === "sha256sum" || (name === "shasum" && argv.includes("256"))) {
      const f = argv.slice(1).find((a, i, all) => !a.startsWith("-") && all[i - 1] !== "-a");
      if (f !== undefined) return basename(f);
    }
  }
  return undefined;
}

function recordEquality(left: W, right: W, c: Ctx): void {
  for (const [h, s] of [[left, right], [right, left]] as const) {
    const file = hashedFile(h.substCalls);
    if (file !== undefined && s.known) c.ev.checks.push({ seq: ++c.ev.seq, line: c.line, how: "equality test", file, sum: s.value.trim().toLowerCase() });
  }
}

function equality(args: readonly W[], c: Ctx): void {
  // `=`/`==` guard the next step with &&; `!=` fails the build from an if/|| branch: both compare.
  const op = args.findIndex((a) => a.value === "=" || a.value === "==" || a.value === "!=");
  if (op <= 0 || op + 1 >= args.length) return;
  recordEquality(args[op - 1], args[op + 1], c);
}

function testClause(node: any, c: Ctx): void {
  const x = node.X;
  if (x && nodeType(x) === "BinaryTest" && x.X && x.Y && nodeType(x.X) === "Word" && nodeType(x.Y) === "Word") recordEquality(evalWord(x.X, c), evalWord(x.Y, c), c);
}

function extract(values: readonly string[], c: Ctx, stdin: Stdout): void {
  let isExtract = false;
  let file: string | undefined;
  for (let i = 0; i < values.length; i++) {
    const a = values[i];
    if (a === "--extract" || a === "--get") isExtract = true;
    else if (a.startsWith("--file=")) file = a.slice(7);
    else if (a === "--file") file = values[++i];
    else if ((i === 0 && /^[a-zA-Z]+$/.test(a)) || /^-[a-zA-Z]+$/.test(a)) {
      if (a.includes("x")) isExtract = true;
      if (a.endsWith("f")) file = values[++i];
      else if (a.includes("f")) file = a.slice(a.indexOf("f") + 1);
    }
  }
  if (!isExtract) return;
  const fromStdin = file === undefined || file === "-";
  c.ev.extracts.push({ seq: ++c.ev.seq, line: c.line, ...(fromStdin ? {} : { file: basename(file!) }), fromDownloads: fromStdin && stdin.kind === "download" ? stdin.seqs : [] });
}

/** Exec form (`RUN ["go","env","-w","GOSUMDB=off"]`): argv without a shell; `["sh","-c","…"]` runs the script. */
export function analyzeExec(argv: readonly string[], line: number, label: string, ev: ShellEvents, st: ShellState): void {
  const words: W[] = argv.map((value) => ({ value, known: true, substCalls: [] }));
  command(words, {}, false, [], { line, label, ev, st, depth: 0, budget: { left: MAX_STMTS } }, { kind: "other" });
}
