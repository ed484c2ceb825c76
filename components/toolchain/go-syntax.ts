// How the go command itself reads its settings (pure). Each parser follows the Go source named
// beside it, so the rules in goenv.ts judge what Go will do, not what a value looks like:
//
//   GOFLAGS      cmd/internal/quoted.Split + cmd/go/internal/base/goflags.go (InitGOFLAGS, SetFromGOFLAGS)
//   GOPROXY      cmd/go/internal/modfetch/proxy.go (proxyList, newProxyRepo)
//   GOSUMDB      cmd/go/internal/modfetch/sumdb.go (dbDial), key.go (knownGOSUMDB),
//                golang.org/x/mod/sumdb/note (NewVerifier)
//   GOTOOLCHAIN  cmd/go/internal/toolchain/select.go (Select), cmd/go/internal/gover (FromToolchain)
//   patterns     golang.org/x/mod/module.MatchPrefixPatterns over path.Match (src/path/match.go),
//                used for GOPRIVATE, GONOSUMDB, GONOPROXY and GOINSECURE
//   defaults     cmd/go/internal/cfg (Getenv: an empty value falls back to $GOROOT/go.env;
//                GONOPROXY and GONOSUMDB default to GOPRIVATE)
//
// Written from those sources' behaviour, not copied.

import { createHash } from "crypto";

/** $GOROOT/go.env as Go ships it: what an unset or empty variable means. */
export const GO_DEFAULTS = {
  GOPROXY: "https://proxy.golang.org,direct",
  GOSUMDB: "sum.golang.org",
  GOTOOLCHAIN: "auto",
} as const;

/** modfetch/key.go knownGOSUMDB: the one database Go knows by name, with its built-in key. */
export const KNOWN_SUMDB_NAME = "sum.golang.org";
export const KNOWN_SUMDB_KEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
/** dbDial's one alias: GOSUMDB=sum.golang.google.cn means sum.golang.org served from that host. */
export const SUMDB_CN_ALIAS = "sum.golang.google.cn";

// ---------------------------------------------------------------------------------------------
// quoted.Split / quoted.Join

// quoted.isSpaceByte: only these four separate fields.
function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

export type SplitResult = { readonly ok: true; readonly fields: readonly string[] } | { readonly ok: false; readonly error: string };

/**
 * cmd/internal/quoted.Split: fields separated by spaces, tabs, CR, LF; a field that STARTS with a
 * single or double quote runs to the next same quote (no escapes inside, and the field ends at the
 * closing quote even if no space follows). Quotes further inside a field are ordinary characters.
 */
export function splitQuoted(s: string): SplitResult {
  const fields: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isSpace(s[i])) i++;
    if (i >= s.length) break;
    const c = s[i];
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) return { ok: false, error: `unterminated ${c} string` };
      fields.push(s.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !isSpace(s[j])) j++;
    fields.push(s.slice(i, j));
    i = j;
  }
  return { ok: true, fields };
}

/**
 * quoted.Join: the inverse of splitQuoted; undefined when a field holds both quote kinds. One
 * deliberate difference: Go's Join writes an empty field as nothing (so it is lost on Split); here it
 * is written '' so that every list round-trips.
 */
export function joinQuoted(fields: readonly string[]): string | undefined {
  const out: string[] = [];
  for (const f of fields) {
    const space = [...f].some(isSpace);
    const single = f.includes("'");
    const double = f.includes('"');
    if (!space && !single && !double && f !== "") out.push(f);
    else if (!single) out.push(`'${f}'`);
    else if (!double) out.push(`"${f}"`);
    else return undefined;
  }
  return out.join(" ");
}

// ---------------------------------------------------------------------------------------------
// GOFLAGS

export interface GoFlag {
  /** The field as Go sees it after splitting (`--mod=mod`, `-trimpath`). */
  readonly raw: string;
  /** The flag name without dashes (`mod`). */
  readonly name: string;
  /** The text after the first `=`, or undefined for a bare `-name`. */
  readonly value?: string;
}

export type GoFlagsResult = { readonly ok: true; readonly flags: readonly GoFlag[] } | { readonly ok: false; readonly error: string };

/**
 * GOFLAGS as base.InitGOFLAGS reads it: quoted.Split, then every field must look like -x, --x,
 * -x=value or --x=value (not "-", "--", "---…", "-=…", "--=…"); Go refuses to run otherwise.
 * Flag names Go does not know are also refused by Go; that list changes between releases, so only
 * names no release can have (quotes, spaces, punctuation) are refused here.
 */
export function parseGoFlags(value: string): GoFlagsResult {
  const split = splitQuoted(value);
  if (!split.ok) return { ok: false, error: split.error };
  const flags: GoFlag[] = [];
  for (const f of split.fields) {
    if (!f.startsWith("-") || f === "-" || f === "--" || f.startsWith("---") || f.startsWith("-=") || f.startsWith("--=")) {
      return { ok: false, error: `non-flag ${JSON.stringify(f)}` };
    }
    const body = f.startsWith("--") ? f.slice(2) : f.slice(1);
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    // No go command flag has a quote, space or other punctuation in its name, so Go is certain to
    // refuse such a name ("unknown flag"); other unknown names are left to the Go release.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return { ok: false, error: `unknown flag -${name}` };
    flags.push(eq < 0 ? { raw: f, name } : { raw: f, name, value: body.slice(eq + 1) });
  }
  return { ok: true, flags };
}

/** The last occurrence of a flag (Go's flag package applies them in order, so the last wins). */
export function lastFlag(flags: readonly GoFlag[], name: string): GoFlag | undefined {
  for (let i = flags.length - 1; i >= 0; i--) if (flags[i].name === name) return flags[i];
  return undefined;
}

/** strconv.ParseBool, which flag.Set uses for boolean flags. */
export function parseGoBool(text: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// GOPROXY

export type ProxyEntry =
  | { readonly kind: "direct"; readonly written: string; readonly fallBackOnError: boolean }
  | { readonly kind: "off"; readonly written: string; readonly fallBackOnError: boolean }
  | { readonly kind: "proxy"; readonly written: string; readonly url: string; readonly scheme: "http" | "https" | "file"; readonly host: string; readonly fallBackOnError: boolean };

export type ProxyListResult = { readonly ok: true; readonly entries: readonly ProxyEntry[]; readonly ignored: readonly string[] } | { readonly ok: false; readonly error: string; readonly written: string };

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):/;

function isAbsPath(s: string): boolean {
  return s.startsWith("/");
}

/**
 * GOPROXY as modfetch.proxyList reads it: entries separated by `,` (fall through to the next only
 * on 404/410) or `|` (fall through on any error), each trimmed, empty ones skipped; `off` and
 * `direct` end the list (later entries are ignored); an entry with `.`, `:` or `/` but no `:/`
 * that is not an absolute path gets `https://` prepended; then the URL must have scheme http,
 * https or file (file with a path only). The value must not be empty (an empty value is Go's
 * default, see GO_DEFAULTS) and must yield at least one entry.
 *
 * `fallBackOnError` is the separator AFTER the entry: whether any error from it moves on.
 */
export function parseProxyList(value: string): ProxyListResult {
  const entries: ProxyEntry[] = [];
  let rest = value;
  let ignored: string[] = [];
  while (rest !== "") {
    let piece: string;
    let fallBackOnError = false;
    const i = rest.search(/[,|]/);
    if (i >= 0) {
      piece = rest.slice(0, i);
      fallBackOnError = rest[i] === "|";
      rest = rest.slice(i + 1);
    } else {
      piece = rest;
      rest = "";
    }
    const url = piece.trim();
    if (url === "") continue;
    if (url === "off" || url === "direct") {
      entries.push(url === "off" ? { kind: "off", written: url, fallBackOnError } : { kind: "direct", written: url, fallBackOnError });
      ignored = rest.split(/[,|]/).map((s) => s.trim()).filter((s) => s !== "");
      break;
    }
    let full = url;
    if (/[.:/]/.test(url) && !url.includes(":/") && !isAbsPath(url)) full = `https://${url}`;
    const m = SCHEME_RE.exec(full);
    const scheme = m ? m[1].toLowerCase() : "";
    if (scheme === "") return { ok: false, error: `invalid proxy URL missing scheme: ${url}`, written: url };
    if (scheme !== "http" && scheme !== "https" && scheme !== "file") {
      return { ok: false, error: `invalid proxy URL scheme (must be https, http, file): ${url}`, written: url };
    }
    const afterScheme = full.slice(m![0].length);
    if (scheme === "file" && !afterScheme.startsWith("/")) {
      return { ok: false, error: `invalid file:// proxy URL with non-path elements: ${url}`, written: url };
    }
    let host = "";
    if (afterScheme.startsWith("//")) {
      const auth = afterScheme.slice(2).split(/[/?#]/, 1)[0];
      host = auth.replace(/^.*@/, "").toLowerCase();
    }
    if (scheme === "file" && (host !== "" || /[?#]/.test(afterScheme) || /^\/\/[^/]*@/.test(afterScheme))) {
      return { ok: false, error: `invalid file:// proxy URL with non-path elements: ${url}`, written: url };
    }
    entries.push({ kind: "proxy", written: url, url: full, scheme, host, fallBackOnError });
  }
  if (entries.length === 0) return { ok: false, error: "GOPROXY list is not the empty string, but contains no entries", written: value };
  return { ok: true, entries, ignored };
}

/** A proxy URL in the form two spellings of the same proxy share: lower-case scheme and host, no trailing slash. */
export function canonicalProxyUrl(url: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(url.trim());
  if (!m) return url.trim().replace(/\/+$/, "");
  return `${m[1].toLowerCase()}://${m[2].toLowerCase()}${m[3].replace(/\/+$/, "")}`;
}

// ---------------------------------------------------------------------------------------------
// GOSUMDB

export type SumdbResult =
  | { readonly kind: "off" }
  | {
      readonly kind: "db";
      /** The database name the verifier key names. */
      readonly name: string;
      /** The verifier key Go uses (the built-in one when only the name sum.golang.org was given). */
      readonly key: string;
      /** Whether the key is cmd/go's built-in key for sum.golang.org. */
      readonly builtinKey: boolean;
      /** The explicit URL (bypassing the GOPROXY proxies), if any. */
      readonly url?: string;
    }
  | { readonly kind: "invalid"; readonly error: string };

// Go's base64.StdEncoding: padded standard alphabet (it also skips CR/LF, which env values rarely hold).
function decodeStdBase64(text: string): Buffer | undefined {
  const t = text.replace(/[\r\n]/g, "");
  if (t.length === 0 || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  return Buffer.from(t, "base64");
}

/** note.NewVerifier: `name+hash+key`, hash = first 4 bytes of sha256(name "\n" key), key = Ed25519 (alg 1, 32 bytes). */
export function checkVerifierKey(vkey: string): { ok: true; name: string } | { ok: false; error: string } {
  const i = vkey.indexOf("+");
  const name = i < 0 ? vkey : vkey.slice(0, i);
  const rest = i < 0 ? "" : vkey.slice(i + 1);
  const j = rest.indexOf("+");
  const hash16 = j < 0 ? rest : rest.slice(0, j);
  const key64 = j < 0 ? "" : rest.slice(j + 1);
  const key = decodeStdBase64(key64);
  const validName = name !== "" && !/\s/u.test(name) && !name.includes("+");
  if (hash16.length !== 8 || !/^[0-9a-fA-F]{8}$/.test(hash16) || key === undefined || key.length === 0 || !validName) {
    return { ok: false, error: "malformed verifier id" };
  }
  const digest = createHash("sha256").update(Buffer.concat([Buffer.from(`${name}\n`, "utf8"), key])).digest();
  if (digest.readUInt32BE(0) !== parseInt(hash16, 16)) return { ok: false, error: "invalid verifier hash" };
  if (key[0] !== 1) return { ok: false, error: "unknown verifier algorithm" };
  if (key.length !== 33) return { ok: false, error: "malformed verifier id" };
  return { ok: true, name };
}

/**
 * GOSUMDB as modfetch.dbDial reads a non-empty value (empty means the default, sum.golang.org):
 * exactly `off` disables the database; `sum.golang.google.cn` is sum.golang.org through that
 * host; otherwise strings.Fields gives `key` or `key url`, where a key equal to a known name is
 * replaced by its built-in key, and the key must be a valid verifier key whose name is host[/path].
 */
export function parseSumdb(value: string): SumdbResult {
  if (value === "off") return { kind: "off" };
  const v = value === SUMDB_CN_ALIAS ? `${KNOWN_SUMDB_NAME} https://${SUMDB_CN_ALIAS}` : value;
  const fields = v.split(/\s+/).filter((f) => f !== "");
  if (fields.length === 0) return { kind: "invalid", error: "missing GOSUMDB" };
  if (fields.length > 2) return { kind: "invalid", error: "invalid GOSUMDB: too many fields" };
  const key = fields[0] === KNOWN_SUMDB_NAME ? KNOWN_SUMDB_KEY : fields[0];
  // The built-in key is cmd/go's own constant (valid by construction); others are checked as Go does.
  const checked = key === KNOWN_SUMDB_KEY ? { ok: true as const, name: KNOWN_SUMDB_NAME } : checkVerifierKey(key);
  if (!checked.ok) return { kind: "invalid", error: `invalid GOSUMDB: ${checked.error}` };
  if (!/^[^/?#@\s:]+(:\d+)?(\/[^?#\s]*[^/?#\s])?$/.test(checked.name) || checked.name.endsWith("/")) {
    return { kind: "invalid", error: `invalid sumdb name (must be host[/path]): ${checked.name}` };
  }
  return { kind: "db", name: checked.name, key, builtinKey: key === KNOWN_SUMDB_KEY, url: fields[1] };
}

// ---------------------------------------------------------------------------------------------
// GOTOOLCHAIN

export type ToolchainResult =
  | {
      readonly ok: true;
      /** `local`, or the minimum toolchain name (`go1.26.7`). */
      readonly min: string;
      /** The version FromToolchain derives from min (`1.26.7`), undefined for local. */
      readonly version?: string;
      /** "" (use min only), "auto" (go.mod may switch, downloading) or "path" (go.mod may switch, $PATH only). */
      readonly mode: "" | "auto" | "path";
    }
  | { readonly ok: false; readonly error: string };

// gover.IsValid: 1, 1.N, 1.N.P, 1.NrcK, 1.NbetaK (and 1.N.P with no leading zeros checked loosely).
function goverIsValid(v: string): boolean {
  return /^[1-9][0-9]*(\.(0|[1-9][0-9]*)((\.(0|[1-9][0-9]*))|((rc|beta)[1-9][0-9]*))?)?$/.test(v);
}

/** gover.FromToolchain: "go" + version, a suffix after -, space or tab dropped; no path separators. */
export function versionFromToolchain(name: string): string | undefined {
  if (/[\\/]/.test(name) || !name.startsWith("go")) return undefined;
  let v = name.slice(2);
  const i = v.search(/[ \t-]/);
  if (i >= 0) v = v.slice(0, i);
  return goverIsValid(v) ? v : undefined;
}

/** GOTOOLCHAIN as toolchain.Select reads a non-empty value (empty means the default, auto). */
export function parseToolchain(value: string): ToolchainResult {
  if (value === "auto") return { ok: true, min: "local", mode: "auto" };
  if (value === "path") return { ok: true, min: "local", mode: "path" };
  const plus = value.indexOf("+");
  const min = plus < 0 ? value : value.slice(0, plus);
  const suffix = plus < 0 ? "" : value.slice(plus + 1);
  let version: string | undefined;
  if (min !== "local") {
    version = versionFromToolchain(min);
    if (version === undefined) return { ok: false, error: plus >= 0 ? `invalid GOTOOLCHAIN: invalid minimum toolchain ${JSON.stringify(min)}` : "invalid GOTOOLCHAIN" };
  }
  if (plus >= 0 && suffix !== "auto" && suffix !== "path") return { ok: false, error: "invalid GOTOOLCHAIN: only version suffixes are +auto and +path" };
  // Select's sanity check before running another toolchain: its name must start with go1.
  if (min !== "local" && !min.startsWith("go1") && !min.includes("-go1")) return { ok: false, error: "invalid GOTOOLCHAIN" };
  return { ok: true, min, version, mode: suffix as "" | "auto" | "path" };
}

// ---------------------------------------------------------------------------------------------
// path.Match and module.MatchPrefixPatterns

export type GlobToken =
  | { readonly t: "star" }
  | { readonly t: "any" }
  | { readonly t: "lit"; readonly c: string }
  | { readonly t: "class"; readonly negated: boolean; readonly ranges: ReadonlyArray<readonly [number, number]> };

/**
 * The pattern grammar of path.Match: `*` any run of non-/ characters, `?` one non-/ character,
 * `[` [`^`] ranges `]` one character (a class may match `/`), `\c` the character c. Returns
 * undefined for a malformed pattern (path.ErrBadPattern): a trailing `\`, an empty or unclosed
 * class, a range bound that is `-` or `]` unescaped.
 */
export function parseGlob(pattern: string): GlobToken[] | undefined {
  const chars = [...pattern];
  const out: GlobToken[] = [];
  let i = 0;
  // A class character: escaped or not, never an unescaped - or ], and something must follow it.
  const classChar = (): string | undefined => {
    if (i >= chars.length || chars[i] === "-" || chars[i] === "]") return undefined;
    if (chars[i] === "\\") {
      i++;
      if (i >= chars.length) return undefined;
    }
    const c = chars[i++];
    return i >= chars.length ? undefined : c;
  };
  while (i < chars.length) {
    const c = chars[i];
    if (c === "*") {
      i++;
      if (out.length === 0 || out[out.length - 1].t !== "star") out.push({ t: "star" });
    } else if (c === "?") {
      i++;
      out.push({ t: "any" });
    } else if (c === "\\") {
      if (i + 1 >= chars.length) return undefined;
      out.push({ t: "lit", c: chars[i + 1] });
      i += 2;
    } else if (c === "[") {
      i++;
      let negated = false;
      if (i < chars.length && chars[i] === "^") {
        negated = true;
        i++;
      }
      const ranges: Array<[number, number]> = [];
      for (;;) {
        if (i < chars.length && chars[i] === "]" && ranges.length > 0) {
          i++;
          break;
        }
        const lo = classChar();
        if (lo === undefined) return undefined;
        let hi = lo;
        if (chars[i] === "-") {
          i++;
          const h = classChar();
          if (h === undefined) return undefined;
          hi = h;
        }
        ranges.push([lo.codePointAt(0)!, hi.codePointAt(0)!]);
      }
      out.push({ t: "class", negated, ranges });
    } else {
      out.push({ t: "lit", c });
      i++;
    }
  }
  return out;
}

/** Whether one glob token accepts the character c (a single code point). */
export function tokenAccepts(tok: GlobToken, c: string): boolean {
  switch (tok.t) {
    case "star":
    case "any":
      return c !== "/";
    case "lit":
      return tok.c === c;
    case "class": {
      const cp = c.codePointAt(0)!;
      return tok.ranges.some(([lo, hi]) => lo <= cp && cp <= hi) !== tok.negated;
    }
    default: {
      const never: never = tok;
      throw new Error(`unhandled glob token ${JSON.stringify(never)}`);
    }
  }
}

/** path.Match: whether the whole of name matches; `bad` for a malformed pattern (Go returns ErrBadPattern). */
export function pathMatch(pattern: string, name: string): { matched: boolean; bad: boolean } {
  const toks = parseGlob(pattern);
  if (!toks) return { matched: false, bad: true };
  return { matched: tokensMatch(toks, name), bad: false };
}

/** Whether parsed glob tokens match the whole of name (path.Match's semantics for a well-formed pattern). */
export function tokensMatch(toks: readonly GlobToken[], name: string): boolean {
  const s = [...name];
  // reach[j]: the tokens consumed so far can end exactly before s[j].
  let reach = new Array<boolean>(s.length + 1).fill(false);
  reach[0] = true;
  for (const tok of toks) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    if (tok.t === "star") {
      for (let j = 0; j <= s.length; j++) {
        if (reach[j]) next[j] = true;
        else if (j > 0 && next[j - 1] && s[j - 1] !== "/") next[j] = true;
      }
    } else {
      for (let j = 0; j < s.length; j++) if (reach[j] && tokenAccepts(tok, s[j])) next[j + 1] = true;
    }
    reach = next;
    if (!reach.includes(true)) return false;
  }
  return reach[s.length];
}

/**
 * The patterns of a GOPRIVATE-style list as MatchPrefixPatterns walks them: split at every comma
 * (no trimming: " x" is a pattern starting with a space), one trailing slash dropped, empty skipped.
 */
export function splitPatterns(globs: string): string[] {
  return globs
    .split(",")
    .map((g) => (g.endsWith("/") ? g.slice(0, -1) : g))
    .filter((g) => g !== "");
}

/** How many leading path elements a pattern is matched against (slashes in it, plus one). */
export function patternElements(glob: string): number {
  return [...glob].filter((c) => c === "/").length + 1;
}

/**
 * module.MatchPrefixPatterns: a pattern with N slashes is path.Match'ed against the first N+1
 * elements of target (and never matches a target with fewer); malformed patterns are ignored.
 */
export function matchPrefixPatterns(globs: string, target: string): boolean {
  return splitPatterns(globs).some((glob) => {
    const toks = parseGlob(glob);
    return toks !== undefined && tokensMatchPrefix(toks, patternElements(glob), target);
  });
}

/** One parsed pattern of n elements against the first n elements of target (MatchPrefixPatterns' step). */
export function tokensMatchPrefix(toks: readonly GlobToken[], elements: number, target: string): boolean {
  const parts = target.split("/");
  return parts.length >= elements && tokensMatch(toks, parts.slice(0, elements).join("/"));
}
