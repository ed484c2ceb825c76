// Dockerfile words as BuildKit reads them (pure): the logical line of an instruction (continuations
// joined, comment and empty lines inside a continuation dropped), leading `--flag=value` words,
// whitespace-separated words that keep their quotes, and variable substitution with quote removal.
// These follow moby/buildkit frontend/dockerfile/parser (parser.go: trimContinuationCharacter,
// isComment, isEmptyContinuationLine; line_parsers.go: parseWords, parseNameVal;
// instructions/bflag.go) and frontend/dockerfile/shell/lex.go (processDollar, processSingleQuote,
// processDoubleQuote): character scanners, not regular expressions, so quotes and the escape
// directive are honoured exactly.

export interface Expanded {
  readonly value: string;
  /** Variables that were referenced but not set: BuildKit substitutes "", the pack cannot know what was meant. */
  readonly unresolved: readonly string[];
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

function trimEnd(s: string): string {
  let e = s.length;
  while (e > 0 && isSpace(s[e - 1])) e--;
  return s.slice(0, e);
}

/**
 * Joins an instruction's physical lines into its logical line. `lines[0]` is the text after the
 * keyword. Returns the logical text and how many physical lines it used (heredoc bodies follow).
 */
export function logicalLine(lines: readonly string[], escape: string): { text: string; used: number } {
  let text = "";
  let i = 0;
  for (; i < lines.length; i++) {
    const raw = lines[i];
    if (i > 0) {
      const t = raw.trimStart();
      // Inside a continuation, BuildKit skips comment lines and empty lines.
      if (t.startsWith("#")) continue;
      if (t === "") continue;
    }
    const trimmed = trimEnd(raw);
    if (trimmed.endsWith(escape)) {
      text += trimmed.slice(0, trimmed.length - escape.length);
      continue;
    }
    text += raw;
    return { text, used: i + 1 };
  }
  return { text, used: lines.length };
}

/** Leading `--name[=value]` words (RUN --mount, COPY --from, ADD --checksum, FROM --platform) and the rest. */
export function splitFlags(text: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let i = 0;
  for (let guard = 0; guard < 64; guard++) {
    while (i < text.length && isSpace(text[i])) i++;
    if (!text.startsWith("--", i)) break;
    let j = i;
    let quote = "";
    while (j < text.length && (quote !== "" || !isSpace(text[j]))) {
      const c = text[j];
      if (quote === "" && (c === '"' || c === "'")) quote = c;
      else if (quote !== "" && c === quote) quote = "";
      j++;
    }
    const word = text.slice(i + 2, j);
    const eq = word.indexOf("=");
    flags[eq >= 0 ? word.slice(0, eq) : word] = eq >= 0 ? unquote(word.slice(eq + 1)) : "";
    i = j;
  }
  return { flags, rest: text.slice(i).trim() };
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s;
}

/** BuildKit's parseWords: whitespace-separated words; quotes and escapes are kept in the word. */
export function parseWords(text: string, escape: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!inWord) {
      if (isSpace(c)) continue;
      inWord = true;
    }
    if (quote === "" && isSpace(c)) {
      words.push(word);
      word = "";
      inWord = false;
      continue;
    }
    if (c === escape && i + 1 < text.length && quote !== "'") {
      word += c + text[i + 1];
      i++;
      continue;
    }
    if (quote === "" && (c === '"' || c === "'")) quote = c;
    else if (c === quote) quote = "";
    word += c;
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * A variable map (ENV, ARG, shell variables): an object without a prototype, filled from `sources`.
 * On a plain object `vars["__proto__"] = v` sets the prototype instead of a variable, so a
 * Dockerfile's `ENV __proto__=-insecure` then `RUN GOFLAGS=$__proto__ go build` read as an empty
 * GOFLAGS while the shell gives `-insecure`. `__proto__` is a valid variable name for sh and
 * BuildKit; here it is a variable like any other.
 */
export function varMap(...sources: ReadonlyArray<Readonly<Record<string, string>> | undefined>): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, ...sources);
}

/** A variable map as a plain object (what the facts hand out, and what survives a JSON round trip), `__proto__` kept as a key. */
export function plainVars(vars: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars));
}

const NAME_START = (c: string): boolean => (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c === "_";
const NAME_CHAR = (c: string): boolean => NAME_START(c) || (c >= "0" && c <= "9");

/**
 * Substitutes `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:+a}`, `${V+a}` and removes quotes, as
 * BuildKit does for ENV, ARG, FROM, COPY, ADD (not RUN: the shell does that at build time).
 */
export function expandWord(word: string, vars: Readonly<Record<string, string>>, escape: string): Expanded {
  const unresolved: string[] = [];
  const lookup = (name: string): string | undefined => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined);
  let i = 0;
  const dollar = (): string => {
    // at "$"
    const next = word[i + 1];
    if (next === "{") {
      let j = i + 2;
      let name = "";
      while (j < word.length && NAME_CHAR(word[j])) name += word[j++];
      let op = "";
      if (word[j] === ":" && (word[j + 1] === "-" || word[j + 1] === "+" || word[j + 1] === "?")) {
        op = word.slice(j, j + 2);
        j += 2;
      } else if (word[j] === "-" || word[j] === "+" || word[j] === "?") {
        op = word[j];
        j += 1;
      }
      // The operand runs to the matching "}" (nested ${…} allowed).
      let depth = 0;
      let k = j;
      for (; k < word.length; k++) {
        if (word[k] === "{") depth++;
        else if (word[k] === "}") {
          if (depth === 0) break;
          depth--;
        }
      }
      const operand = word.slice(j, k);
      i = k + 1;
      const v = lookup(name);
      const set = v !== undefined;
      const nonEmpty = set && v !== "";
      const sub = (): string => {
        const e = expandWord(operand, vars, escape);
        unresolved.push(...e.unresolved);
        return e.value;
      };
      switch (op) {
        case ":-":
          return nonEmpty ? v! : sub();
        case "-":
          return set ? v! : sub();
        case ":+":
          return nonEmpty ? sub() : "";
        case "+":
          return set ? sub() : "";
        default:
          if (!set) unresolved.push(name);
          return v ?? "";
      }
    }
    if (next !== undefined && NAME_START(next)) {
      let j = i + 1;
      let name = "";
      while (j < word.length && NAME_CHAR(word[j])) name += word[j++];
      i = j;
      const v = lookup(name);
      if (v === undefined) unresolved.push(name);
      return v ?? "";
    }
    i += 1;
    return "$";
  };
  let out = "";
  while (i < word.length) {
    const c = word[i];
    if (c === escape) {
      out += i + 1 < word.length ? word[i + 1] : c;
      i += 2;
    } else if (c === "'") {
      const end = word.indexOf("'", i + 1);
      out += end < 0 ? word.slice(i + 1) : word.slice(i + 1, end);
      i = end < 0 ? word.length : end + 1;
    } else if (c === '"') {
      i++;
      while (i < word.length && word[i] !== '"') {
        if (word[i] === escape && i + 1 < word.length) {
          const n = word[i + 1];
          out += n === '"' || n === "$" || n === escape ? n : escape + n;
          i += 2;
        } else if (word[i] === "$") out += dollar();
        else out += word[i++];
      }
      i++;
    } else if (c === "$") out += dollar();
    else {
      out += c;
      i++;
    }
  }
  return { value: out, unresolved: [...new Set(unresolved)] };
}

/** ENV: `K=V K2="a b"`, or the legacy `K V` (the value is the rest of the line). Names in order. */
export function parseEnvPairs(text: string, escape: string): { pairs: Array<[string, string]>; error?: string } {
  const words = parseWords(text, escape);
  if (words.length === 0) return { pairs: [], error: "ENV needs at least one name=value" };
  if (!words[0].includes("=")) {
    // Legacy form: the first whitespace run separates the name from the value.
    const t = text.trimStart();
    let k = 0;
    while (k < t.length && !isSpace(t[k])) k++;
    const value = t.slice(k).trim();
    if (value === "") return { pairs: [], error: `ENV ${words[0]} has no value` };
    return { pairs: [[words[0], value]] };
  }
  const pairs: Array<[string, string]> = [];
  for (const w of words) {
    const eq = w.indexOf("=");
    if (eq <= 0) return { pairs, error: `ENV word "${w}" is not name=value` };
    pairs.push([w.slice(0, eq), w.slice(eq + 1)]);
  }
  return { pairs };
}

/** ARG: one or more `name[=default]`. */
export function parseArgDecls(text: string, escape: string): Array<{ name: string; def?: string }> {
  return parseWords(text, escape).map((w) => {
    const eq = w.indexOf("=");
    return eq > 0 ? { name: w.slice(0, eq), def: w.slice(eq + 1) } : { name: w };
  });
}
