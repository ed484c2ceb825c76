// go.mod and go.work, read as the go command reads them (pure).
//
// Follows golang.org/x/mod/modfile: read.go (the lexer and the line/block grammar) and rule.go /
// work.go (what each directive accepts), written from their behaviour, not copied:
//
//   - tokens: identifiers (any printable, non-space rune except ( ) [ ] { } ,), "interpreted" and
//     `raw` strings (one line each), the punctuation ( ) [ ] { } , and newlines; spaces, tabs and
//     CR separate tokens; `//` starts a comment to the end of the line; `/*` is an error.
//   - a statement is the tokens of one line; `verb (` at the end of a line opens a block whose
//     lines each carry the verb; `)` closes it and must end its line; `verb ()` is an empty block.
//   - a `//` comment alone on its line is a whole-line comment; after tokens it is a suffix comment
//     of that line (`// indirect` on a require line marks it indirect).
//   - directives: go.mod knows module, go, toolchain, godebug, require, exclude, replace, retract,
//     tool, ignore (blocks for all but go and toolchain); go.work knows go, toolchain, godebug, use,
//     replace (blocks for godebug, use, replace). Anything else is an error, as in Parse (strict).
//
// Every node carries its start and end Position: line, column (UTF-16 code units, as SARIF and
// editors count), Go's rune column, the UTF-8 byte offset Go reports, and the string index to
// slice `text` with. Errors are GoModSyntaxError, positioned; the messages are Go's own.
//
// One deliberate difference: Go positions a lexer error at the lexer's read-ahead point; here it is
// the offending token or character, which is where a reader has to look.

export interface ModPosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column in UTF-16 code units (SARIF's default columnKind). */
  readonly column: number;
  /** 1-based column in runes, as modfile's Position.LineRune. */
  readonly rune: number;
  /** 0-based UTF-8 byte offset, as modfile's Position.Byte. */
  readonly byte: number;
  /** 0-based index into the JavaScript string (for slicing and editing). */
  readonly offset: number;
}

export interface ModComment {
  readonly start: ModPosition;
  /** The comment text from `//`, without the line end. */
  readonly text: string;
  /** True after tokens on the same line; false for a comment alone on its line. */
  readonly suffix: boolean;
}

export interface ModToken {
  /** The token as written (strings keep their quotes). */
  readonly text: string;
  readonly start: ModPosition;
  readonly end: ModPosition;
}

export interface ModLine {
  readonly kind: "line";
  readonly tokens: readonly ModToken[];
  /** True for a line inside a `verb ( … )` block: its tokens do not repeat the verb. */
  readonly inBlock: boolean;
  readonly start: ModPosition;
  /** End of the last token (before any suffix comment). */
  readonly end: ModPosition;
  /** Whole-line comments directly above. */
  readonly before: readonly ModComment[];
  /** The `//` comment after the tokens on the same line, if any. */
  readonly suffix?: ModComment;
}

export interface ModBlock {
  readonly kind: "block";
  /** The tokens before `(` (normally just the verb). */
  readonly tokens: readonly ModToken[];
  readonly start: ModPosition;
  readonly lparen: ModPosition;
  readonly rparen: ModPosition;
  readonly lines: readonly ModLine[];
  readonly before: readonly ModComment[];
  readonly suffix?: ModComment;
}

export interface ModCommentBlock {
  readonly kind: "comments";
  readonly start: ModPosition;
  readonly comments: readonly ModComment[];
}

export type ModStatement = ModLine | ModBlock | ModCommentBlock;

export interface ModSyntax {
  readonly statements: readonly ModStatement[];
  /** Every comment in file order. */
  readonly comments: readonly ModComment[];
}

export interface GoModErrorDetail {
  readonly message: string;
  readonly position: ModPosition;
}

/** A go.mod / go.work the go command would refuse; `position` is the first error's. */
export class GoModSyntaxError extends Error {
  readonly position: ModPosition;
  readonly errors: readonly GoModErrorDetail[];
  constructor(readonly filename: string, errors: readonly GoModErrorDetail[]) {
    super(errors.map((e) => `${filename}:${e.position.line}:${e.position.column}: ${e.message}`).join("\n"));
    this.name = "GoModSyntaxError";
    this.errors = errors;
    this.position = errors[0].position;
  }
}

// ---------------------------------------------------------------------------------------------
// Lexer

type Kind = "eof" | "eolcomment" | "comment" | "ident" | "string" | "\n" | "(" | ")" | "[" | "]" | "{" | "}" | ",";

interface Tok {
  readonly kind: Kind;
  readonly text: string;
  readonly start: ModPosition;
  readonly end: ModPosition;
}

// unicode.IsSpace for the runes that can reach isIdent (Go's White_Space set).
const WHITE_SPACE_RE = /^[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]$/u;
// unicode.IsPrint minus ASCII space: letters, marks, numbers, punctuation, symbols.
const PRINT_RE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isIdentRune(c: string): boolean {
  switch (c) {
    case " ":
    case "(":
    case ")":
    case "[":
    case "]":
    case "{":
    case "}":
    case ",":
      return false;
    default:
      return !WHITE_SPACE_RE.test(c) && PRINT_RE.test(c);
  }
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

class Lexer {
  private line = 1;
  private column = 1;
  private rune = 1;
  private byte = 0;
  private offset = 0;
  readonly comments: ModComment[] = [];

  constructor(private readonly text: string, private readonly filename: string) {}

  pos(): ModPosition {
    return { line: this.line, column: this.column, rune: this.rune, byte: this.byte, offset: this.offset };
  }

  fail(message: string, at: ModPosition = this.pos()): never {
    throw new GoModSyntaxError(this.filename, [{ message, position: at }]);
  }

  private peekChar(): string {
    if (this.offset >= this.text.length) return "";
    return String.fromCodePoint(this.text.codePointAt(this.offset)!);
  }

  private startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.offset);
  }

  private readChar(): string {
    const c = this.peekChar();
    const cp = c.codePointAt(0)!;
    this.offset += c.length;
    this.byte += utf8Length(cp);
    if (c === "\n") {
      this.line++;
      this.column = 1;
      this.rune = 1;
    } else {
      this.column += c.length;
      this.rune++;
    }
    return c;
  }

  private token(kind: Kind, start: ModPosition): Tok {
    let text = this.text.slice(start.offset, this.offset);
    if (kind === "comment" || kind === "eolcomment") {
      // A single trailing LF or CRLF is not part of a comment's text.
      text = text.endsWith("\r\n") ? text.slice(0, -2) : text.endsWith("\n") ? text.slice(0, -1) : text;
    }
    return { kind, text, start, end: this.pos() };
  }

  next(): Tok {
    while (this.offset < this.text.length) {
      const c = this.peekChar();
      if (c === " " || c === "\t" || c === "\r") {
        this.readChar();
        continue;
      }
      if (this.startsWith("//")) {
        const start = this.pos();
        // A comment is a suffix comment when anything but white space precedes it on its line.
        const lineStart = this.text.lastIndexOf("\n", this.offset - 1) + 1;
        const suffix = this.text.slice(lineStart, this.offset).trim().length > 0;
        this.readChar();
        this.readChar();
        while (this.offset < this.text.length && this.readChar() !== "\n") {
          // consume to the end of the line, newline included
        }
        const tok = this.token(suffix ? "eolcomment" : "comment", start);
        this.comments.push({ start, text: tok.text, suffix });
        return tok;
      }
      if (this.startsWith("/*")) this.fail("mod files must use // comments (not /* */ comments)");
      break;
    }
    const start = this.pos();
    if (this.offset >= this.text.length) return this.token("eof", start);
    const c = this.peekChar();
    switch (c) {
      case "\n":
      case "(":
      case ")":
      case "[":
      case "]":
      case "{":
      case "}":
      case ",":
        this.readChar();
        return this.token(c, start);
      case '"':
      case "`": {
        this.readChar();
        for (;;) {
          if (this.offset >= this.text.length) this.fail("unexpected EOF in string", start);
          if (this.peekChar() === "\n") this.fail("unexpected newline in string");
          const d = this.readChar();
          if (d === c) break;
          if (d === "\\" && c !== "`") {
            if (this.offset >= this.text.length) this.fail("unexpected EOF in string", start);
            this.readChar();
          }
        }
        return this.token("string", start);
      }
      default:
        break;
    }
    if (!isIdentRune(c)) this.fail(`unexpected input character ${goQuoteRune(c)}`);
    while (this.offset < this.text.length && isIdentRune(this.peekChar())) {
      if (this.startsWith("//")) break;
      if (this.startsWith("/*")) this.fail("mod files must use // comments (not /* */ comments)");
      this.readChar();
    }
    return this.token("ident", start);
  }
}

// %#q of a rune: backquoted when printable, else a quoted escape (enough for an error message).
function goQuoteRune(c: string): string {
  const cp = c.codePointAt(0)!;
  if (PRINT_RE.test(c) && c !== "`") return "`" + c + "`";
  if (cp < 0x10000) return `'\\u${cp.toString(16).padStart(4, "0")}'`;
  return `'\\U${cp.toString(16).padStart(8, "0")}'`;
}

function isEOL(k: Kind): boolean {
  return k === "eof" || k === "eolcomment" || k === "\n";
}

// ---------------------------------------------------------------------------------------------
// Parser (read.go: parseFile, parseStmt, parseLineBlock, parseLine)

class Parser {
  private tok: Tok;
  private readonly lexer: Lexer;

  constructor(text: string, private readonly filename: string) {
    this.lexer = new Lexer(text, filename);
    this.tok = this.lexer.next();
  }

  private peek(): Kind {
    return this.tok.kind;
  }

  private lex(): Tok {
    const t = this.tok;
    this.tok = this.lexer.next();
    return t;
  }

  parseFile(): ModSyntax {
    const statements: ModStatement[] = [];
    let pending: ModComment[] = [];
    let pendingStart: ModPosition | undefined;
    const flush = (): void => {
      if (pendingStart !== undefined) statements.push({ kind: "comments", start: pendingStart, comments: pending });
      pending = [];
      pendingStart = undefined;
    };
    for (;;) {
      switch (this.peek()) {
        case "\n":
          this.lex();
          flush();
          break;
        case "comment": {
          const t = this.lex();
          if (pendingStart === undefined) pendingStart = t.start;
          pending.push({ start: t.start, text: t.text, suffix: false });
          break;
        }
        case "eof":
          flush();
          return { statements, comments: this.lexer.comments };
        default: {
          // A comment block directly above a statement belongs to it.
          statements.push(this.parseStmt(pending));
          pending = [];
          pendingStart = undefined;
        }
      }
    }
  }

  private parseStmt(before: readonly ModComment[]): ModStatement {
    const first = this.lex();
    const tokens: ModToken[] = [toToken(first)];
    let end = first.end;
    for (;;) {
      const t = this.lex();
      if (isEOL(t.kind)) {
        return { kind: "line", tokens, inBlock: false, start: first.start, end, before, ...suffixOf(t) };
      }
      if (t.kind === "(") {
        const next = this.peek();
        if (isEOL(next)) return this.parseLineBlock(first.start, tokens, t, before);
        if (next === ")") {
          const rparen = this.lex();
          if (isEOL(this.peek())) {
            const eol = this.lex();
            return { kind: "block", tokens, start: first.start, lparen: t.start, rparen: rparen.start, lines: [], before, ...suffixOf(eol) };
          }
          // `( )` in the middle of a line is two ordinary tokens.
          tokens.push(toToken(t), toToken(rparen));
          end = rparen.end;
          continue;
        }
        tokens.push(toToken(t));
        end = t.end;
        continue;
      }
      tokens.push(toToken(t));
      end = t.end;
    }
  }

  private parseLineBlock(start: ModPosition, tokens: ModToken[], lparen: Tok, before: readonly ModComment[]): ModBlock {
    let suffix: ModComment | undefined;
    if (this.peek() === "eolcomment") suffix = commentOf(this.tok);
    const lines: ModLine[] = [];
    let comments: ModComment[] = [];
    for (;;) {
      switch (this.peek()) {
        case "eolcomment":
        case "\n":
          this.lex();
          break;
        case "comment":
          comments.push(commentOf(this.lex()));
          break;
        case "eof":
          this.lexer.fail(`syntax error (unterminated block started at ${this.filename}:${start.line}:${start.rune})`, this.tok.start);
        // falls through: fail never returns
        case ")": {
          const rparen = this.lex();
          if (!isEOL(this.peek())) this.lexer.fail("syntax error (expected newline after closing paren)", this.tok.start);
          this.lex();
          return { kind: "block", tokens, start, lparen: lparen.start, rparen: rparen.start, lines, before, ...(suffix ? { suffix } : {}) };
        }
        default:
          lines.push(this.parseLine(comments));
          comments = [];
      }
    }
  }

  private parseLine(before: readonly ModComment[]): ModLine {
    const first = this.lex();
    const tokens: ModToken[] = [toToken(first)];
    let end = first.end;
    for (;;) {
      const t = this.lex();
      if (isEOL(t.kind)) return { kind: "line", tokens, inBlock: true, start: first.start, end, before, ...suffixOf(t) };
      tokens.push(toToken(t));
      end = t.end;
    }
  }
}

function toToken(t: Tok): ModToken {
  return { text: t.text, start: t.start, end: t.end };
}

function commentOf(t: Tok): ModComment {
  return { start: t.start, text: t.text, suffix: t.kind === "eolcomment" };
}

function suffixOf(t: Tok): { suffix?: ModComment } {
  return t.kind === "eolcomment" ? { suffix: commentOf(t) } : {};
}

/** The syntax tree alone (read.go's parse): throws GoModSyntaxError on a lexical or block error. */
export function parseModSyntax(text: string, filename = "go.mod"): ModSyntax {
  return new Parser(text, filename).parseFile();
}

// ---------------------------------------------------------------------------------------------
// Directives (rule.go / work.go)

/** modfile.GoVersionRE: the `go` line's language version. */
export const GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
/** modfile.ToolchainRE: deliberately loose, for forward compatibility. */
export const TOOLCHAIN_RE = /^default$|^go1($|\.)/;

export interface ModValue {
  /** The value after unquoting. */
  readonly value: string;
  readonly line: ModLine;
  /** The argument token (for a precise column and for edits). */
  readonly token: ModToken;
}

export interface ModRequire {
  readonly path: string;
  readonly version: string;
  /** `// indirect` (or `// indirect; …`) as the first suffix comment. */
  readonly indirect: boolean;
  readonly line: ModLine;
}

export interface ModReplace {
  readonly oldPath: string;
  readonly oldVersion?: string;
  readonly newPath: string;
  readonly newVersion?: string;
  readonly line: ModLine;
}

export interface ModGodebug {
  readonly key: string;
  readonly value: string;
  readonly line: ModLine;
}

export interface ModRetract {
  readonly low: string;
  readonly high: string;
  readonly line: ModLine;
}

export type ModFileKind = "go.mod" | "go.work";

export interface ModFile {
  readonly kind: ModFileKind;
  readonly syntax: ModSyntax;
  readonly module?: ModValue;
  readonly go?: ModValue;
  readonly toolchain?: ModValue;
  readonly godebug: readonly ModGodebug[];
  readonly require: readonly ModRequire[];
  readonly exclude: readonly ModRequire[];
  readonly replace: readonly ModReplace[];
  readonly retract: readonly ModRetract[];
  readonly tool: readonly ModValue[];
  readonly ignore: readonly ModValue[];
  /** go.work only. */
  readonly use: readonly ModValue[];
}

const MOD_BLOCKS = new Set(["module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"]);
const WORK_BLOCKS = new Set(["godebug", "use", "replace"]);

/** isIndirect: the first suffix comment is `// indirect` or starts `// indirect;`. */
export function isIndirectComment(comment: ModComment | undefined): boolean {
  if (comment === undefined) return false;
  const fields = comment.text.replace(/^\/\//, "").trim().split(/\s+/).filter((f) => f !== "");
  return (fields.length === 1 && fields[0] === "indirect") || (fields.length > 1 && fields[0] === "indirect;");
}

class DirectiveError extends Error {}

// strconv.Unquote for the two quote kinds the lexer produces.
function unquoteGo(t: string): string {
  if (t.startsWith("`")) {
    if (t.length < 2 || !t.endsWith("`")) throw new DirectiveError("invalid syntax");
    return t.slice(1, -1);
  }
  if (t.length < 2 || !t.endsWith('"')) throw new DirectiveError("invalid syntax");
  const body = t.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"') throw new DirectiveError("invalid syntax");
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"' };
    if (e !== undefined && e in simple) {
      out += simple[e];
      continue;
    }
    const hex = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (hex > 0) {
      const digits = body.slice(i + 1, i + 1 + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) throw new DirectiveError("invalid syntax");
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000 && e !== "x")) throw new DirectiveError("invalid syntax");
      out += e === "x" ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      i += hex;
      continue;
    }
    if (e !== undefined && /[0-7]/.test(e)) {
      const digits = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) throw new DirectiveError("invalid syntax");
      out += String.fromCharCode(parseInt(digits, 8));
      i += 2;
      continue;
    }
    throw new DirectiveError("invalid syntax");
  }
  return out;
}

// parseString: a leading `"` means a Go string; any other quote inside an unquoted token is refused.
// (A raw `…` token is refused too: modfile reserves the other quotes.)
function parseString(t: string): string {
  if (t.startsWith('"')) {
    try {
      return unquoteGo(t);
    } catch {
      throw new DirectiveError("invalid quoted string: invalid syntax");
    }
  }
  if (/["'`]/.test(t)) throw new DirectiveError("invalid quoted string: unquoted string cannot contain quote");
  return t;
}

// semver.IsValid (golang.org/x/mod/semver): v, major, optional .minor and .patch (shorthands),
// optional -prerelease, optional +build; no leading zeros in numbers.
const SEMVER_RE = /^v(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?)?(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

function parseVersionToken(verb: string, path: string, t: string): string {
  let v: string;
  try {
    v = parseString(t);
  } catch (e) {
    throw new DirectiveError(`${verb} ${path}: ${t}: ${(e as Error).message.replace(/^invalid quoted string: /, "")}`);
  }
  const m = SEMVER_RE.exec(v);
  if (!m) throw new DirectiveError(`${verb} ${path}: version "${v}" invalid: must be of the form v1.2.3`);
  if (m[4] !== undefined && (m[2] === undefined || m[3] === undefined)) {
    // semver.IsValid refuses a pre-release on a shorthand (v1.2-pre).
    throw new DirectiveError(`${verb} ${path}: version "${v}" invalid: must be of the form v1.2.3`);
  }
  // module.CanonicalVersion: fill the shorthand, drop build metadata except +incompatible.
  const canonical = `v${m[1]}.${m[2] ?? "0"}.${m[3] ?? "0"}${m[4] !== undefined ? `-${m[4]}` : ""}`;
  return m[5] === "incompatible" ? `${canonical}+incompatible` : canonical;
}

// module.SplitPathVersion + CheckPathMajor: a /vN (N >= 2) or gopkg.in .vN suffix must match the
// version's major; without one only v0, v1 or +incompatible are accepted.
function checkPathMajor(verb: string, path: string, version: string): void {
  const major = /^v(\d+)/.exec(version)![1];
  const gopkg = /^gopkg\.in\/.*\.(v(?:0|[1-9][0-9]*))(?:-unstable)?$/.exec(path);
  const slash = /\/(v(?:[2-9]|[1-9][0-9]+))$/.exec(path);
  const suffix = gopkg ? gopkg[1] : slash ? slash[1] : undefined;
  // The old pseudo-version bug modfile still accepts: v0.0.0-… for a gopkg.in .v1 path.
  if (gopkg && suffix === "v1" && version.startsWith("v0.0.0-")) return;
  if (suffix !== undefined) {
    if (`v${major}` !== suffix) throw new DirectiveError(`${verb} ${path}: version "${version}" invalid: should be ${suffix}, not v${major}`);
    return;
  }
  if (Number(major) >= 2 && !version.endsWith("+incompatible")) throw new DirectiveError(`${verb} ${path}: version "${version}" invalid: should be v0 or v1, not v${major}`);
}

// IsDirectoryPath: ./ ../ rooted, or a Windows drive.
function isDirectoryPath(ns: string): boolean {
  return ns === "." || ns.startsWith("./") || ns.startsWith(".\\") || ns === ".." || ns.startsWith("../") || ns.startsWith("..\\") || ns.startsWith("/") || ns.startsWith("\\") || /^[A-Za-z]:/.test(ns);
}

function parseReplaceArgs(verb: string, args: readonly string[]): Omit<ModReplace, "line"> {
  const arrow = args.length >= 2 && args[1] === "=>" ? 1 : 2;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args[arrow] !== "=>") {
    throw new DirectiveError(`usage: ${verb} module/path [v1.2.3] => other/module v1.4\n\t or ${verb} module/path [v1.2.3] => ../local/directory`);
  }
  const oldPath = parseString(args[0]);
  let oldVersion: string | undefined;
  if (arrow === 2) {
    oldVersion = parseVersionToken(verb, oldPath, args[1]);
    checkPathMajor(verb, oldPath, oldVersion);
  }
  const newPath = parseString(args[arrow + 1]);
  let newVersion: string | undefined;
  if (args.length === arrow + 2) {
    if (!isDirectoryPath(newPath)) {
      if (newPath.includes("@")) throw new DirectiveError("replacement module must match format 'path version', not 'path@version'");
      throw new DirectiveError("replacement module without version must be directory path (rooted or starting with . or ..)");
    }
    if (newPath.includes("\\")) throw new DirectiveError("replacement directory appears to be Windows path (on a non-windows system)");
  } else {
    newVersion = parseVersionToken(verb, newPath, args[arrow + 2]);
    if (isDirectoryPath(newPath)) throw new DirectiveError(`replacement module directory path "${newPath}" cannot have version`);
  }
  return { oldPath, ...(oldVersion !== undefined ? { oldVersion } : {}), newPath, ...(newVersion !== undefined ? { newVersion } : {}) };
}

// parseVersionInterval: `v1.2.3` or `[v1.0.0, v1.2.0]`, nothing after.
function parseRetractArgs(args: readonly string[]): { low: string; high: string } {
  if (args.length === 0 || args[0] === "(") throw new DirectiveError("expected '[' or version");
  if (args[0] !== "[") {
    const v = parseVersionToken("retract", "", args[0]);
    if (args.length > 1) throw new DirectiveError(`unexpected token after version: "${args[1]}"`);
    return { low: v, high: v };
  }
  if (args.length < 2) throw new DirectiveError("expected version after '['");
  const low = parseVersionToken("retract", "", args[1]);
  if (args[2] !== ",") throw new DirectiveError("expected ',' after version");
  if (args.length < 4) throw new DirectiveError("expected version after ','");
  const high = parseVersionToken("retract", "", args[3]);
  if (args[4] !== "]") throw new DirectiveError("expected ']' after version");
  if (args.length > 5) throw new DirectiveError(`unexpected token after version: "${args[5]}"`);
  return { low, high };
}

interface Building {
  module?: ModValue;
  go?: ModValue;
  toolchain?: ModValue;
  godebug: ModGodebug[];
  require: ModRequire[];
  exclude: ModRequire[];
  replace: ModReplace[];
  retract: ModRetract[];
  tool: ModValue[];
  ignore: ModValue[];
  use: ModValue[];
}

function addDirective(kind: ModFileKind, f: Building, line: ModLine, verb: string, argTokens: readonly ModToken[]): void {
  const args = argTokens.map((t) => t.text);
  const one = (usage: string): ModToken => {
    if (args.length !== 1) throw new DirectiveError(usage);
    return argTokens[0];
  };
  const known = kind === "go.mod" ? ["go", "toolchain", "module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"] : ["go", "toolchain", "godebug", "use", "replace"];
  if (!known.includes(verb)) throw new DirectiveError(`unknown directive: ${verb}`);
  switch (verb) {
    case "go": {
      if (f.go) throw new DirectiveError("repeated go statement");
      const t = one("go directive expects exactly one argument");
      if (!GO_VERSION_RE.test(t.text)) throw new DirectiveError(`invalid go version '${t.text}': must match format 1.23.0`);
      f.go = { value: t.text, line, token: t };
      return;
    }
    case "toolchain": {
      if (f.toolchain) throw new DirectiveError("repeated toolchain statement");
      const t = one("toolchain directive expects exactly one argument");
      if (!TOOLCHAIN_RE.test(t.text)) throw new DirectiveError(`invalid toolchain version '${t.text}': must match format go1.23.0 or default`);
      f.toolchain = { value: t.text, line, token: t };
      return;
    }
    case "module": {
      if (f.module) throw new DirectiveError("repeated module statement");
      const t = one("usage: module module/path");
      f.module = { value: parseString(t.text), line, token: t };
      return;
    }
    case "godebug": {
      if (args.length !== 1 || /["`',]/.test(args[0]) || !args[0].includes("=")) throw new DirectiveError("usage: godebug key=value");
      const i = args[0].indexOf("=");
      f.godebug.push({ key: args[0].slice(0, i), value: args[0].slice(i + 1), line });
      return;
    }
    case "require":
    case "exclude": {
      if (args.length !== 2) throw new DirectiveError(`usage: ${verb} module/path v1.2.3`);
      const path = parseString(args[0]);
      const version = parseVersionToken(verb, path, args[1]);
      checkPathMajor(verb, path, version);
      (verb === "require" ? f.require : f.exclude).push({ path, version, indirect: verb === "require" && isIndirectComment(line.suffix), line });
      return;
    }
    case "replace":
      f.replace.push({ ...parseReplaceArgs(verb, args), line });
      return;
    case "retract":
      f.retract.push({ ...parseRetractArgs(args), line });
      return;
    case "tool":
    case "ignore":
    case "use": {
      const usage = verb === "use" ? "usage: use local/dir" : `${verb} directive expects exactly one argument`;
      const t = one(usage);
      (verb === "tool" ? f.tool : verb === "ignore" ? f.ignore : f.use).push({ value: parseString(t.text), line, token: t });
      return;
    }
    default:
      throw new DirectiveError(`unknown directive: ${verb}`);
  }
}

/**
 * Parses a go.mod (kind "go.mod", Parse's strict mode) or go.work (kind "go.work", ParseWork).
 * Throws GoModSyntaxError listing every error with its position; never anything else.
 */
export function parseModFile(text: string, options: { readonly kind?: ModFileKind; readonly filename?: string } = {}): ModFile {
  const kind = options.kind ?? "go.mod";
  const filename = options.filename ?? kind;
  const syntax = parseModSyntax(text, filename);
  const f: Building = { godebug: [], require: [], exclude: [], replace: [], retract: [], tool: [], ignore: [], use: [] };
  const errors: GoModErrorDetail[] = [];
  const blocks = kind === "go.mod" ? MOD_BLOCKS : WORK_BLOCKS;
  const run = (line: ModLine, verb: string, args: readonly ModToken[], at: ModPosition): void => {
    try {
      addDirective(kind, f, line, verb, args);
    } catch (e) {
      if (!(e instanceof DirectiveError)) throw e;
      errors.push({ message: e.message, position: at });
    }
  };
  for (const stmt of syntax.statements) {
    if (stmt.kind === "line") run(stmt, stmt.tokens[0].text, stmt.tokens.slice(1), stmt.start);
    else if (stmt.kind === "block") {
      const verb = stmt.tokens.map((t) => t.text).join(" ");
      if (stmt.tokens.length > 1 || !blocks.has(verb)) {
        errors.push({ message: `unknown block type: ${verb}`, position: stmt.start });
        continue;
      }
      for (const line of stmt.lines) run(line, verb, line.tokens, line.start);
    }
  }
  if (kind === "go.mod" && f.retract.length > 0 && f.module === undefined) {
    errors.push({ message: "no module directive found, so retract cannot be used", position: f.retract[0].line.start });
  }
  if (errors.length > 0) throw new GoModSyntaxError(filename, errors);
  return { kind, syntax, ...f };
}

// ---------------------------------------------------------------------------------------------
// Editing

/**
 * Sets the `toolchain` line to `name` (such as "go1.26.7"), changing nothing else: an existing
 * line has only its argument replaced (comments, spacing, CRLF untouched); otherwise a new line is
 * inserted as `go mod edit -toolchain` places it — after the go line (else the module line, else at
 * the end), separated by a blank line — in the file's own line ending, and a file without a
 * trailing newline keeps having none.
 */
export function setToolchain(text: string, name: string, options: { readonly kind?: ModFileKind; readonly filename?: string } = {}): string {
  if (!TOOLCHAIN_RE.test(name) || /[\s"'`()[\]{},]|\/\//.test(name)) {
    throw new Error(`toolchain name must look like "go1.26.7" (modfile.ToolchainRE, one token); got ${JSON.stringify(name)}`);
  }
  const file = parseModFile(text, options);
  if (file.toolchain !== undefined) {
    const t = file.toolchain.token;
    return text.slice(0, t.start.offset) + name + text.slice(t.end.offset);
  }
  const eol = /\r\n/.test(text) && !/(^|[^\r])\n/.test(text) ? "\r\n" : "\n";
  const hintLine = file.go?.line ?? file.module?.line;
  // A hint inside a block (`module ( … )`) places the new line after the whole block.
  const hint = hintLine === undefined ? undefined : hintLine.inBlock ? file.syntax.statements.find((s): s is ModBlock => s.kind === "block" && s.lines.includes(hintLine)) : hintLine;
  const newLine = `toolchain ${name}`;
  if (hint === undefined) {
    if (text.length === 0) return newLine + eol;
    const endsWithEol = text.endsWith("\n");
    return endsWithEol ? text + eol + newLine + eol : text + eol + eol + newLine;
  }
  const nl = text.indexOf("\n", hint.kind === "block" ? hint.rparen.offset : hint.end.offset);
  if (nl < 0) return text + eol + eol + newLine;
  return text.slice(0, nl + 1) + eol + newLine + eol + text.slice(nl + 1);
}
