// What a GOPRIVATE / GONOSUMDB / GONOPROXY / GOINSECURE pattern matches, decided exactly (pure).
//
// Go matches each pattern with module.MatchPrefixPatterns: a pattern with N slashes is path.Match'ed
// against the first N+1 elements of a module path. So a pattern stands for the set of (N+1)-element
// path prefixes it matches, and it is narrow enough exactly when every such prefix that a real module
// path can start with lies under one of the organisation's prefixes. Both sets are regular, so the
// question is answered by walking the product of three small automata (the pattern, a trie of the
// organisation's prefixes, and the shape of a module path) over a finite alphabet of representative
// characters. The walk is breadth-first, so the counter-example it returns is a shortest one.
//
// The shape of a module path (golang.org/x/mod/module.CheckPath): the first element is a host-like
// name of lower-case letters, digits, dots and dashes, containing a dot and not starting with a dot
// or dash; no element is empty. A pattern that can only match other strings (such as "none", the
// conventional GONOPROXY=none) matches no module Go could fetch.
//
// One more rule, on top of the exact walk: a pattern that reaches one of a few well-known public
// modules (PUBLIC_MODULE_EXAMPLES) is broad even when a configured prefix covers it, because such a
// prefix (github.com, golang.org/x) would exempt the public ecosystem rather than the organisation.
// Literal patterns (no glob characters) are decided directly; a property test checks that this fast
// path agrees with the walk.

import { GlobToken, parseGlob, patternElements, splitPatterns, tokenAccepts, tokensMatchPrefix } from "./go-syntax";

/** Well-known public module paths, used to name a familiar example when a pattern reaches them. */
export const PUBLIC_MODULE_EXAMPLES: readonly string[] = [
  "github.com/stretchr/testify",
  "golang.org/x/crypto",
  "google.golang.org/grpc",
  "gopkg.in/yaml.v3",
  "k8s.io/client-go",
  "sigs.k8s.io/yaml",
  "go.uber.org/zap",
  "gitlab.com/gitlab-org/api/client-go",
  "bitbucket.org/creachadair/shell",
  "cloud.google.com/go",
  "go.opentelemetry.io/otel",
];

export type PatternVerdict =
  /** Every module path the pattern matches lies under the given prefixes (or it matches none). */
  | { readonly kind: "narrow" }
  /** path.Match refuses the pattern, so Go ignores it. */
  | { readonly kind: "malformed" }
  | {
      readonly kind: "broad";
      /** A module path prefix the pattern matches that no given prefix covers. */
      readonly witness: string;
      /** A well-known public module it matches, when there is one. */
      readonly publicExample?: string;
      /** It matches every module path with at least as many elements as the pattern has. */
      readonly everything: boolean;
    }
  /** The pattern is too large to decide within the work bound. */
  | { readonly kind: "undecided" };

// Bounds: a setting's pattern is a few dozen characters; anything far larger is not judged as narrow.
const MAX_PATTERN = 256;
const MAX_STATES = 200_000;

function normalisePrefixes(prefixes: readonly string[]): string[] {
  return [...new Set(prefixes.map((p) => p.replace(/\/+$/, "")).filter((p) => p !== ""))];
}

// Trie of the prefixes. A prefix covers a string equal to it or continuing with "/".
interface Trie {
  readonly next: Array<Map<string, number>>;
  readonly terminal: boolean[];
}

function buildTrie(prefixes: readonly string[]): Trie {
  const next: Array<Map<string, number>> = [new Map()];
  const terminal = [false];
  for (const p of prefixes) {
    let s = 0;
    for (const c of p) {
      let t = next[s].get(c);
      if (t === undefined) {
        t = next.length;
        next.push(new Map());
        terminal.push(false);
        next[s].set(c, t);
      }
      s = t;
    }
    terminal[s] = true;
  }
  return { next, terminal };
}

const COVERED = -1;
const DEAD = -2;

function trieStep(trie: Trie, s: number, c: string): number {
  if (s === COVERED || s === DEAD) return s;
  if (trie.terminal[s] && c === "/") return COVERED;
  return trie.next[s].get(c) ?? DEAD;
}

function trieCovers(trie: Trie, s: number): boolean {
  return s === COVERED || (s >= 0 && trie.terminal[s]);
}

// Module-path shape automaton. State: [slashes so far, chars in current element, first element saw a dot].
type Shape = readonly [number, number, boolean];
const HOST_CHAR = /^[a-z0-9.-]$/;

function shapeStep(s: Shape, c: string, slashes: number): Shape | undefined {
  const [n, len, dot] = s;
  if (c === "/") {
    if (len === 0 || n >= slashes || (n === 0 && !dot)) return undefined;
    return [n + 1, 0, dot];
  }
  if (n === 0) {
    if (!HOST_CHAR.test(c) || (len === 0 && (c === "." || c === "-"))) return undefined;
    return [0, 1, dot || c === "."];
  }
  return [n, Math.min(len + 1, 1), dot];
}

function shapeAccepts(s: Shape, slashes: number): boolean {
  const [n, len, dot] = s;
  return n === slashes && len > 0 && (slashes > 0 || dot);
}

/** Representative characters: one per class of characters no automaton here tells apart. */
function alphabet(tokens: readonly GlobToken[], prefixes: readonly string[]): string[] {
  const bounds = new Set<number>([0, "/".codePointAt(0)!, "/".codePointAt(0)! + 1, 0x2e, 0x2f, 0x2d, 0x2e, 0x61, 0x7b, 0x30, 0x3a]);
  const point = (cp: number): void => {
    bounds.add(cp);
    bounds.add(cp + 1);
  };
  for (const t of tokens) {
    if (t.t === "lit") point(t.c.codePointAt(0)!);
    if (t.t === "class") {
      for (const [lo, hi] of t.ranges) {
        bounds.add(lo);
        bounds.add(hi + 1);
      }
    }
  }
  for (const p of prefixes) for (const c of p) point(c.codePointAt(0)!);
  const sorted = [...bounds].filter((b) => b >= 0 && b <= 0x10ffff).sort((a, b) => a - b);
  const reps: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const lo = sorted[i];
    const hi = i + 1 < sorted.length ? sorted[i + 1] - 1 : 0x10ffff;
    // Prefer a lower-case letter, then a digit, so counter-examples read like module paths.
    const pick = [0x61, 0x30].map((base) => (lo <= base + 25 && hi >= base ? Math.max(lo, base) : -1)).find((cp) => cp >= 0 && cp <= hi);
    const cp = pick !== undefined && pick >= 0 ? pick : lo;
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    reps.push(String.fromCodePoint(cp));
  }
  // Letters first: the breadth-first walk then finds readable counter-examples.
  return reps.sort((a, b) => rank(a) - rank(b) || a.codePointAt(0)! - b.codePointAt(0)!);
}

function rank(c: string): number {
  if (/[a-z]/.test(c)) return 0;
  if (/[0-9]/.test(c)) return 1;
  if (c === "." || c === "-" || c === "/") return 2;
  return 3;
}

// Pattern NFA: state i = tokens[0..i) consumed. A star at i may be skipped (epsilon to i+1).
function closure(tokens: readonly GlobToken[], states: Iterable<number>): number[] {
  const out = new Set<number>();
  const stack = [...states];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (out.has(s)) continue;
    out.add(s);
    if (s < tokens.length && tokens[s].t === "star") stack.push(s + 1);
  }
  return [...out].sort((a, b) => a - b);
}

function patternStep(tokens: readonly GlobToken[], states: readonly number[], c: string): number[] {
  const next: number[] = [];
  for (const s of states) {
    if (s >= tokens.length) continue;
    const t = tokens[s];
    if (!tokenAccepts(t, c)) continue;
    next.push(t.t === "star" ? s : s + 1);
  }
  return closure(tokens, next);
}

interface Search<S> {
  readonly start: S;
  readonly key: (s: S) => string;
  readonly step: (s: S, c: string) => S | undefined;
  readonly goal: (s: S) => boolean;
}

/** Breadth-first search for a shortest string reaching a goal; undefined if none; "limit" if too large. */
function shortest<S>(search: Search<S>, chars: readonly string[]): string | undefined | "limit" {
  const seen = new Map<string, { parent: string | undefined; c: string }>();
  const k0 = search.key(search.start);
  seen.set(k0, { parent: undefined, c: "" });
  let frontier: Array<[S, string]> = [[search.start, k0]];
  const spell = (k: string): string => {
    const cs: string[] = [];
    for (let cur: string | undefined = k; cur !== undefined; ) {
      const e: { parent: string | undefined; c: string } = seen.get(cur)!;
      cs.push(e.c);
      cur = e.parent;
    }
    return cs.reverse().join("");
  };
  while (frontier.length > 0) {
    const next: Array<[S, string]> = [];
    for (const [s, k] of frontier) {
      if (search.goal(s)) return spell(k);
      for (const c of chars) {
        const t = search.step(s, c);
        if (t === undefined) continue;
        const kt = search.key(t);
        if (seen.has(kt)) continue;
        seen.set(kt, { parent: k, c });
        if (seen.size > MAX_STATES) return "limit";
        next.push([t, kt]);
      }
    }
    frontier = next;
  }
  return undefined;
}

/**
 * Judges one pattern (as it appears between commas) against the organisation's prefixes: narrow
 * when every module path prefix it matches lies under one of them.
 */
export function judgePattern(pattern: string, prefixes: readonly string[]): PatternVerdict {
  const glob = pattern.endsWith("/") ? pattern.slice(0, -1) : pattern;
  if (glob === "") return { kind: "narrow" };
  const tokens = parseGlob(glob);
  if (!tokens) return { kind: "malformed" };
  if ([...glob].length > MAX_PATTERN) return { kind: "undecided" };
  const own = normalisePrefixes(prefixes);
  // A well-known public module the pattern reaches makes it broad even when a configured prefix
  // covers it too: a prefix such as github.com would exempt the public ecosystem, not the organisation.
  const elements = patternElements(glob);
  if (!/[*?[\\]/.test(glob)) {
    const example = PUBLIC_MODULE_EXAMPLES.find((m) => m === glob || m.startsWith(`${glob}/`));
    return judgeLiteral(glob, own, example);
  }
  const publicExample = PUBLIC_MODULE_EXAMPLES.find((m) => tokensMatchPrefix(tokens, elements, m));
  const trie = buildTrie(own);
  const slashes = patternElements(glob) - 1;
  const chars = alphabet(tokens, own);

  type Uncovered = { p: readonly number[]; t: number; u: Shape };
  const witness = shortest<Uncovered>(
    {
      start: { p: closure(tokens, [0]), t: 0, u: [0, 0, false] },
      key: (s) => `${s.p.join(",")}|${s.t}|${s.u.join(",")}`,
      step: (s, c) => {
        const p = patternStep(tokens, s.p, c);
        const u = shapeStep(s.u, c, slashes);
        if (p.length === 0 || u === undefined) return undefined;
        return { p, t: trieStep(trie, s.t, c), u };
      },
      goal: (s) => s.p.includes(tokens.length) && shapeAccepts(s.u, slashes) && !trieCovers(trie, s.t),
    },
    chars,
  );
  if (witness === "limit" && publicExample === undefined) return { kind: "undecided" };
  if (witness === undefined && publicExample === undefined) return { kind: "narrow" };

  // Does some module path escape the pattern? If not, it matches every path of its length.
  type Missed = { p: readonly number[]; u: Shape };
  const missed = shortest<Missed>(
    {
      start: { p: closure(tokens, [0]), u: [0, 0, false] },
      key: (s) => `${s.p.join(",")}|${s.u.join(",")}`,
      step: (s, c) => {
        const u = shapeStep(s.u, c, slashes);
        return u === undefined ? undefined : { p: patternStep(tokens, s.p, c), u };
      },
      goal: (s) => !s.p.includes(tokens.length) && shapeAccepts(s.u, slashes),
    },
    chars,
  );
  const shown = publicExample ?? (witness as string);
  return { kind: "broad", witness: shown, everything: missed === undefined, ...(publicExample !== undefined ? { publicExample } : {}) };
}

// A pattern without glob characters matches exactly the paths that start with it (element-wise), so
// it is narrow when it equals or lies under a prefix, or when it cannot begin a module path at all;
// otherwise it is its own counter-example. Same answers as the automata, without the walk.
function judgeLiteral(glob: string, own: readonly string[], publicExample: string | undefined): PatternVerdict {
  if (publicExample !== undefined) return { kind: "broad", witness: publicExample, everything: false, publicExample };
  let shape: Shape | undefined = [0, 0, false];
  const slashes = patternElements(glob) - 1;
  for (const c of glob) {
    shape = shapeStep(shape, c, slashes);
    if (shape === undefined) return { kind: "narrow" };
  }
  if (!shapeAccepts(shape, slashes)) return { kind: "narrow" };
  if (own.some((o) => glob === o || glob.startsWith(`${o}/`))) return { kind: "narrow" };
  return { kind: "broad", witness: glob, everything: false };
}

/** Judges every pattern of a comma list, in order, as Go walks them. */
export function judgePatternList(globs: string, prefixes: readonly string[]): Array<{ pattern: string; verdict: PatternVerdict }> {
  return splitPatterns(globs).map((pattern) => ({ pattern, verdict: judgePattern(pattern, prefixes) }));
}
