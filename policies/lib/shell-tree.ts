// A shell script's syntax tree as plain data: what mvdan.cc/sh's parser (the GopherJS build published
// as `mvdan-sh`) makes of the script, copied out of the GopherJS objects into ordinary JavaScript
// objects that keep only the fields dockerfile-shell.ts reads, each node tagged with its Go type name
// in `T`. Two reasons:
//   - Every read of a GopherJS node crosses its $externalize boundary; the plain tree is read
//     as cheaply as any object, and the visitor reads some fields many times.
//   - The tree depends on nothing but the script and the parser, so it can be kept: in memory for
//     the process (a Dockerfile's scripts come back at every stack and every rule), and where the
//     goguard loader runs (the CLI and its stack workers), in the loader's 0700 cache with its
//     sha256 integrity check, so a check whose Dockerfiles did not change loads neither the 2 MB
//     parser nor parses again. The key includes the parser's version and this file's converter, so a
//     change to either makes new entries. The published pack, under the engine, parses each time.

import { deepFreeze } from "../../components/toolchain/freeze";
import { loaderTextCache } from "../../components/toolchain/loader-cache";

/** A node of the plain tree: `T` is the Go type name (CallExpr, Lit, …); the other fields as mvdan.cc/sh names them. */
export interface ShNode {
  readonly T: string;
  readonly [field: string]: unknown;
}

/** A parsed script, or the parser's error message (a script the shell cannot parse). */
export type ShParse = { readonly file: ShNode } | { readonly error: string };

/**
 * The fields kept, per node type: every field dockerfile-shell.ts reads. A type not listed keeps only
 * its name (the visitor treats it as a command or word part it cannot know). Flags are kept as
 * booleans, sub-nodes converted, lists converted element by element.
 */
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  File: ["Stmts"],
  Stmt: ["Cmd", "Redirs"],
  CallExpr: ["Assigns", "Args"],
  Assign: ["Name", "Value", "Naked"],
  DeclClause: ["Variant", "Args"],
  BinaryCmd: ["Op", "X", "Y"],
  Subshell: ["Stmts"],
  Block: ["Stmts"],
  IfClause: ["Cond", "Then", "Else"],
  WhileClause: ["Cond", "Do"],
  ForClause: ["Do"],
  CaseClause: ["Word", "Items"],
  CaseItem: ["Patterns", "Stmts"],
  FuncDecl: ["Body"],
  TimeClause: ["Stmt"],
  CoprocClause: ["Stmt"],
  TestClause: ["X"],
  BinaryTest: ["X", "Y"],
  Word: ["Parts"],
  Lit: ["Value"],
  SglQuoted: ["Value"],
  DblQuoted: ["Parts"],
  ParamExp: ["Param", "Exp", "Length", "Excl", "Slice", "Repl", "Index"],
  Expansion: ["Op", "Word"],
  CmdSubst: ["Stmts"],
  Redirect: ["Op", "Word", "Hdoc"],
};

/** Bounds the copy of a hostile script's tree (the visitor itself stops after 5,000 statements). */
const MAX_NODES = 200_000;
const MAX_DEPTH = 500;

let shSyntax: any;
/** mvdan.cc/sh's syntax package, loaded on first use (~2 MB of GopherJS: most commands never parse a script). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sh = (): any => (shSyntax ??= require("mvdan-sh").syntax);

/** The node's Go type name: the GopherJS object's constructor carries it (syntax.NodeType formats it with %T, slowly). */
function typeName(n: any): string {
  const t = n?.__internal_object__?.constructor?.string;
  if (typeof t === "string") return t.slice(Math.max(t.lastIndexOf("."), t.lastIndexOf("*"), t.lastIndexOf("]")) + 1);
  return String(sh().NodeType(n)).replace(/^.*[.*]/, "");
}

class TooLarge extends Error {}

/** Copies a GopherJS syntax tree into plain objects (see FIELDS). */
export function plainTree(root: any): ShNode {
  let nodes = 0;
  const copy = (n: any, depth: number): ShNode => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) throw new TooLarge();
    const T = typeName(n);
    const out: Record<string, unknown> = { T };
    for (const f of FIELDS[T] ?? []) {
      const v = n[f];
      if (v === undefined || v === null) continue;
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[f] = v;
      else if (Array.isArray(v)) out[f] = v.map((e) => copy(e, depth + 1));
      else if (typeof v === "object") out[f] = copy(v, depth + 1);
    }
    return out as ShNode;
  };
  return copy(root, 0);
}

/** Parses with mvdan.cc/sh and copies the tree; a parse error (or a tree too large to copy) is returned, never thrown. */
export function parseFresh(script: string): ShParse {
  let file: any;
  try {
    // A fresh parser per script: mvdan.cc/sh reuses its node allocations across Parse calls.
    file = sh().NewParser().Parse(script, "RUN");
  } catch (err) {
    const text = err && typeof (err as { Error?: unknown }).Error === "function" ? String((err as { Error: () => string }).Error()) : String(err);
    return { error: text };
  }
  try {
    return { file: plainTree(file) };
  } catch (err) {
    if (err instanceof TooLarge) return { error: `the script's syntax tree has more than ${MAX_NODES} nodes or ${MAX_DEPTH} levels` };
    throw err;
  }
}

/** What a cache entry is keyed on besides the script: the parser's version and this converter. */
let converterKey: readonly unknown[] | undefined;
function cacheKey(): readonly unknown[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  converterKey ??= ["mvdan-sh plain tree v1", (require("mvdan-sh/package.json") as { version: string }).version, FIELDS, String(plainTree), String(parseFresh), MAX_NODES, MAX_DEPTH];
  return converterKey;
}

/** In-process memo, bounded: scripts repeat across stacks and rules, hostile inputs must not grow it without end. */
const memo = new Map<string, ShParse>();
const MEMO_MAX = 256;

/** The script's plain tree (frozen: shared by every caller), from the memo, the loader's cache, or the parser. */
export function parseScript(script: string): ShParse {
  const hit = memo.get(script);
  if (hit) return hit;
  const cache = loaderTextCache();
  let parsed: ShParse;
  if (cache) {
    const text = cache([...cacheKey(), script], () => JSON.stringify(parseFresh(script)));
    try {
      parsed = JSON.parse(text) as ShParse;
    } catch {
      parsed = parseFresh(script);
    }
  } else parsed = parseFresh(script);
  deepFreeze(parsed);
  if (memo.size >= MEMO_MAX) memo.delete(memo.keys().next().value as string);
  memo.set(script, parsed);
  return parsed;
}
