import fc from "fast-check";
import { GoModSyntaxError, ModFile, ModStatement, parseModFile, parseModSyntax, setToolchain } from "../../components/toolchain/gomod";

// The example go.mod of the Go Modules Reference (go.dev/ref/mod#go-mod-file), plus a toolchain line.
const REFERENCE = `module example.com/my/thing

go 1.23.0
toolchain go1.23.4

require example.com/other/thing v1.0.2
require example.com/new/thing/v2 v2.3.4
exclude example.com/old/thing v1.2.3
replace example.com/bad/thing v1.4.5 => example.com/good/thing v1.4.5
retract [v1.9.0, v1.9.5]
`;

function summary(f: ModFile): unknown {
  return {
    module: f.module?.value,
    go: f.go?.value,
    toolchain: f.toolchain?.value,
    godebug: f.godebug.map((g) => [g.key, g.value]),
    require: f.require.map((r) => [r.path, r.version, r.indirect, r.line.start.line]),
    exclude: f.exclude.map((r) => [r.path, r.version]),
    replace: f.replace.map((r) => [r.oldPath, r.oldVersion, r.newPath, r.newVersion]),
    retract: f.retract.map((r) => [r.low, r.high]),
    tool: f.tool.map((t) => t.value),
    ignore: f.ignore.map((t) => t.value),
    use: f.use.map((t) => t.value),
  };
}

function errorOf(fn: () => unknown): GoModSyntaxError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GoModSyntaxError) return e;
    throw e;
  }
  throw new Error("expected a GoModSyntaxError");
}

describe("go.mod directives (modfile rule.go)", () => {
  test("the Go Modules Reference example", () => {
    expect(summary(parseModFile(REFERENCE))).toEqual({
      module: "example.com/my/thing",
      go: "1.23.0",
      toolchain: "go1.23.4",
      godebug: [],
      require: [
        ["example.com/other/thing", "v1.0.2", false, 6],
        ["example.com/new/thing/v2", "v2.3.4", false, 7],
      ],
      exclude: [["example.com/old/thing", "v1.2.3"]],
      replace: [["example.com/bad/thing", "v1.4.5", "example.com/good/thing", "v1.4.5"]],
      retract: [["v1.9.0", "v1.9.5"]],
      tool: [],
      ignore: [],
      use: [],
    });
  });

  test("blocks, quoted paths, // indirect, godebug, tool, ignore, directory replacements", () => {
    const text = [
      "// Deprecated: use example.com/v2.",
      'module "example.com/m"',
      "",
      "go 1.24 // language version",
      "",
      "godebug (",
      "\tdefault=go1.21",
      "\tpanicnil=1",
      ")",
      "",
      "require (",
      "\tgolang.org/x/mod v0.20.0 // indirect",
      "\tgolang.org/x/text v0.3 // indirect; keep",
      "\texample.com/old v2.0.0+incompatible",
      "\tgopkg.in/yaml.v3 v3.0.1 // indirect but not really",
      ")",
      "",
      "replace example.com/x => ../x",
      "replace example.com/y v1.0.0 => example.com/z v1.1.0",
      "tool golang.org/x/tools/cmd/stringer",
      "ignore ./node_modules",
      "",
    ].join("\n");
    expect(summary(parseModFile(text))).toEqual({
      module: "example.com/m",
      go: "1.24",
      toolchain: undefined,
      godebug: [
        ["default", "go1.21"],
        ["panicnil", "1"],
      ],
      require: [
        ["golang.org/x/mod", "v0.20.0", true, 12],
        ["golang.org/x/text", "v0.3.0", true, 13],
        ["example.com/old", "v2.0.0+incompatible", false, 14],
        ["gopkg.in/yaml.v3", "v3.0.1", false, 15],
      ],
      exclude: [],
      replace: [
        ["example.com/x", undefined, "../x", undefined],
        ["example.com/y", "v1.0.0", "example.com/z", "v1.1.0"],
      ],
      retract: [],
      tool: ["golang.org/x/tools/cmd/stringer"],
      ignore: ["./node_modules"],
      use: [],
    });
  });

  test("go.work: go, toolchain, use block, replace", () => {
    const text = 'go 1.25.0\ntoolchain go1.26.7\n\nuse (\n\t./api\n\t"./web app"\n)\nreplace example.com/a => ./a\n';
    expect(summary(parseModFile(text, { kind: "go.work" }))).toEqual({
      module: undefined,
      go: "1.25.0",
      toolchain: "go1.26.7",
      godebug: [],
      require: [],
      exclude: [],
      replace: [["example.com/a", undefined, "./a", undefined]],
      retract: [],
      tool: [],
      ignore: [],
      use: ["./api", "./web app"],
    });
  });

  // Each message is modfile's own; the position is the statement's start (rule.go's line.Start),
  // or for lexer errors the offending character.
  test.each<[string, string, string, number, number]>([
    ["go twice", "module m\ngo 1.21\ngo 1.22\n", "repeated go statement", 3, 1],
    ["go 1.26 with go prefix", "module m\ngo go1.26\n", "invalid go version 'go1.26': must match format 1.23.0", 2, 1],
    ["go without argument", "module m\ngo\n", "go directive expects exactly one argument", 2, 1],
    ["go with a leading zero", "go 1.021\n", "invalid go version '1.021': must match format 1.23.0", 1, 1],
    ["toolchain without go", "toolchain 1.26.7\n", "invalid toolchain version '1.26.7': must match format go1.23.0 or default", 1, 1],
    ["toolchain twice", "toolchain go1.26.7\ntoolchain go1.26.6\n", "repeated toolchain statement", 2, 1],
    ["toolchain in a block", "toolchain (\n\tgo1.26.7\n)\n", "unknown block type: toolchain", 1, 1],
    ["unknown directive", "module m\nrequires x v1.0.0\n", "unknown directive: requires", 2, 1],
    ["use in go.mod", "use ./x\n", "unknown directive: use", 1, 1],
    ["require without version", "require example.com/x\n", "usage: require module/path v1.2.3", 1, 1],
    ["require with a bad version", "require example.com/x 1.2.3\n", 'require example.com/x: version "1.2.3" invalid: must be of the form v1.2.3', 1, 1],
    ["v2 without /v2", "require example.com/x v2.0.0\n", 'require example.com/x: version "v2.0.0" invalid: should be v0 or v1, not v2', 1, 1],
    ["/v3 with v2", "require example.com/x/v3 v2.0.0\n", 'require example.com/x/v3: version "v2.0.0" invalid: should be v3, not v2', 1, 1],
    ["gopkg.in .v1 with v0", "require gopkg.in/check.v1 v0.1.0\n", 'require gopkg.in/check.v1: version "v0.1.0" invalid: should be v1, not v0', 1, 1],
    ["godebug without =", "godebug panicnil\n", "usage: godebug key=value", 1, 1],
    ["replace to a module without version", "replace a.com/x => b.com/y\n", "replacement module without version must be directory path (rooted or starting with . or ..)", 1, 1],
    ["retract without module", "retract v1.0.0\n", "no module directive found, so retract cannot be used", 1, 1],
    ["raw string path", "module `m`\n", "invalid quoted string: unquoted string cannot contain quote", 1, 1],
    ["unterminated block", "module m\nrequire (\n\tx.com/y v1.0.0\n", "syntax error (unterminated block started at go.mod:2:1)", 4, 1],
    ["text after )", "require (\n\tx.com/y v1.0.0\n) x\n", "syntax error (expected newline after closing paren)", 3, 3],
    ["block comment", "module m /* c */\n", "mod files must use // comments (not /* */ comments)", 1, 10],
    ["newline in string", 'module "m\n"\n', "unexpected newline in string", 1, 10],
    ["end of file in string", 'module "m', "unexpected EOF in string", 1, 8],
    ["a control character", "module m\x0b\n", "unexpected input character '\\u000b'", 1, 9],
  ])("%s is refused at its line", (_name, text, message, line, column) => {
    const err = errorOf(() => parseModFile(text));
    expect(err.errors.map((e) => [e.message, e.position.line, e.position.column])).toEqual([[message, line, column]]);
    expect(err.message).toBe(`go.mod:${line}:${column}: ${message}`);
  });

  // CheckPathMajor's accepted cases, each as modfile canonicalises it.
  test.each<[string, string]>([
    ["require gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405\n", "v0.0.0-20161208181325-20d25e280405"],
    ["require gopkg.in/yaml.v3 v3.0.1\n", "v3.0.1"],
    ["require example.com/x/v2 v2.0.0+incompatible\n", "v2.0.0+incompatible"],
    ["require example.com/x v3.1.0+incompatible\n", "v3.1.0+incompatible"],
    ["require example.com/x v1.2.3-pre.1+build.5\n", "v1.2.3-pre.1"],
    ["require example.com/x v1\n", "v1.0.0"],
  ])("accepts %j as %s", (text, version) => {
    expect(parseModFile(text).require.map((r) => r.version)).toEqual([version]);
  });

  test("every directive error is reported, in file order", () => {
    const err = errorOf(() => parseModFile("module m\ngo 1\nfoo\nrequire x.com/y v1.0.0\n", { filename: "svc/go.mod" }));
    expect(err.message).toBe(["svc/go.mod:2:1: invalid go version '1': must match format 1.23.0", "svc/go.mod:3:1: unknown directive: foo"].join("\n"));
  });

  test("go.work refuses go.mod-only directives", () => {
    const err = errorOf(() => parseModFile("go 1.22\nrequire x.com/y v1.0.0\n", { kind: "go.work", filename: "go.work" }));
    expect(err.message).toBe("go.work:2:1: unknown directive: require");
  });
});

describe("syntax tree positions (read.go)", () => {
  test("lines, blocks, comment blocks and suffix comments, with CRLF and multi-byte runes", () => {
    const text = "// top\r\n\r\nmodule ex.com/é // mine\r\nrequire ( // deps\r\n\t// first\r\n\tx.com/😀 v1.0.0\r\n)\r\n";
    const syntax = parseModSyntax(text);
    const shape = (s: ModStatement): unknown =>
      s.kind === "comments"
        ? ["comments", s.start.line, s.comments.map((c) => c.text)]
        : s.kind === "line"
          ? ["line", s.start.line, s.tokens.map((t) => t.text), s.suffix?.text, s.before.map((c) => c.text)]
          : ["block", s.start.line, s.rparen.line, s.suffix?.text, s.lines.map((l) => [l.start.line, l.tokens.map((t) => t.text), l.before.map((c) => c.text)])];
    expect(syntax.statements.map(shape)).toEqual([
      ["comments", 1, ["// top"]],
      ["line", 3, ["module", "ex.com/é"], "// mine", []],
      ["block", 4, 7, "// deps", [[6, ["x.com/😀", "v1.0.0"], ["// first"]]]],
    ]);
    const block = syntax.statements[2];
    if (block.kind !== "block") throw new Error("expected a block");
    const version = block.lines[0].tokens[1];
    const offset = text.indexOf("v1.0.0");
    // "\tx.com/😀 ": the emoji is 2 UTF-16 units, 1 rune, 4 UTF-8 bytes; é is 2 bytes.
    expect(version.start).toEqual({ line: 6, column: 11, rune: 10, byte: offset + 1 + 2, offset });
  });
});

describe("setToolchain", () => {
  test.each<[string, string, string]>([
    ["replaces the argument only", "module m\n\ngo 1.25.0\n\ntoolchain  go1.25.1   // pinned\n", "module m\n\ngo 1.25.0\n\ntoolchain  go1.26.7   // pinned\n"],
    ["inserts after the go line with a blank line, as go mod edit does", "module m\n\ngo 1.25.0\n\nrequire x.com/y v1.0.0\n", "module m\n\ngo 1.25.0\n\ntoolchain go1.26.7\n\nrequire x.com/y v1.0.0\n"],
    ["keeps CRLF", "module m\r\n\r\ngo 1.25.0 // lang\r\n", "module m\r\n\r\ngo 1.25.0 // lang\r\n\r\ntoolchain go1.26.7\r\n"],
    ["keeps a missing trailing newline", "module m\n\ngo 1.25.0", "module m\n\ngo 1.25.0\n\ntoolchain go1.26.7"],
    ["after the module line without a go line", "module m\nrequire x.com/y v1.0.0\n", "module m\n\ntoolchain go1.26.7\nrequire x.com/y v1.0.0\n"],
    ["after a module block", "module (\n\tm\n)\nrequire x.com/y v1.0.0\n", "module (\n\tm\n)\n\ntoolchain go1.26.7\nrequire x.com/y v1.0.0\n"],
    ["at the end of a go.mod with neither", "// nothing yet\n", "// nothing yet\n\ntoolchain go1.26.7\n"],
    ["an empty file", "", "toolchain go1.26.7\n"],
  ])("%s", (_name, before, after) => {
    expect(setToolchain(before, "go1.26.7")).toBe(after);
    expect(parseModFile(after).toolchain?.value).toBe("go1.26.7");
  });

  test("go.work files too", () => {
    expect(setToolchain("go 1.25.0\n\nuse ./a\n", "go1.26.7", { kind: "go.work" })).toBe("go 1.25.0\n\ntoolchain go1.26.7\n\nuse ./a\n");
  });

  test.each([["1.26.7"], ["go1.26.7 // x"], ["go1.26(7)"], [""]])("refuses the toolchain name %j", (name) => {
    expect(() => setToolchain("module m\n", name)).toThrow(`toolchain name must look like "go1.26.7" (modfile.ToolchainRE, one token); got ${JSON.stringify(name)}`);
  });

  test("a go.mod that does not parse is refused with its position, not edited", () => {
    const err = errorOf(() => setToolchain("module m\ngo 1.2x\n", "go1.26.7"));
    expect(err.message).toBe("go.mod:2:1: invalid go version '1.2x': must match format 1.23.0");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const FRAGMENTS = ["module", "go", "toolchain", "require", "replace", "retract", "godebug", "use", " ", "\t", "\n", "\r\n", "\r", "(", ")", "[", "]", ",", "//", "/*", '"', "`", "\\", "=>", "v1.2.3", "1.26", "go1.26.7", "x.com/m", "indirect", "é", "😀", "\u00a0", "\x0b", "="];
const arbitraryText = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(""));

function expectPositioned(text: string, err: GoModSyntaxError): void {
  expect(err.errors.length).toBeGreaterThan(0);
  for (const e of err.errors) {
    const p = e.position;
    expect(p.offset).toBeGreaterThanOrEqual(0);
    expect(p.offset).toBeLessThanOrEqual(text.length);
    const before = text.slice(0, p.offset);
    expect(p.line).toBe(before.split("\n").length);
    expect(p.column).toBe(before.length - before.lastIndexOf("\n"));
    expect(p.byte).toBe(Buffer.byteLength(before, "utf8"));
  }
}

// Valid go.mod files built from the grammar: optional lines in any order, comments, blank lines,
// blocks, either line ending, with or without a final newline.
const line = fc.constantFrom(
  "module example.com/svc",
  "go 1.25.0",
  "go 1.26 // language",
  "toolchain go1.25.3",
  "toolchain default // pinned elsewhere",
  "// a comment",
  "",
  "require golang.org/x/mod v0.20.0 // indirect",
  "require (\n\tx.com/a v1.0.0\n\t// why\n\tx.com/b/v2 v2.1.0 // indirect\n)",
  "replace x.com/a => ./a",
  "godebug panicnil=1",
  "exclude x.com/c v1.2.3",
  "tool x.com/cmd/gen",
);
const validGoMod = fc
  .tuple(fc.uniqueArray(line, { maxLength: 9, selector: (l) => (l.startsWith("go ") ? "go" : l.startsWith("toolchain") ? "toolchain" : l.startsWith("module") ? "module" : l) }), fc.boolean(), fc.boolean())
  .map(([lines, crlf, finalNewline]) => {
    const eol = crlf ? "\r\n" : "\n";
    const body = lines.join("\n").replace(/\n/g, eol);
    return finalNewline && body !== "" ? body + eol : body;
  });
const toolchainName = fc.constantFrom("go1.26.7", "go1.25.9", "go1.27rc1", "default");

describe("properties", () => {
  test("parsing never throws anything but a positioned GoModSyntaxError", () => {
    fc.assert(
      fc.property(arbitraryText, fc.constantFrom<"go.mod" | "go.work">("go.mod", "go.work"), (text, kind) => {
        try {
          parseModFile(text, { kind });
        } catch (e) {
          expect(e).toBeInstanceOf(GoModSyntaxError);
          expectPositioned(text, e as GoModSyntaxError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("every token's positions slice back to its text", () => {
    fc.assert(
      fc.property(arbitraryText, (text) => {
        let syntax;
        try {
          syntax = parseModSyntax(text);
        } catch {
          return;
        }
        const lines = syntax.statements.flatMap((s) => (s.kind === "line" ? [s] : s.kind === "block" ? [...s.lines] : []));
        for (const l of lines) {
          for (const t of l.tokens) {
            expect(text.slice(t.start.offset, t.end.offset)).toBe(t.text);
            expect(t.start.byte).toBe(Buffer.byteLength(text.slice(0, t.start.offset), "utf8"));
          }
        }
        for (const c of syntax.comments) expect(text.startsWith(c.text, c.start.offset)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  test("setToolchain changes only the toolchain line and keeps every other byte", () => {
    fc.assert(
      fc.property(validGoMod, toolchainName, (text, name) => {
        const before = parseModFile(text);
        const after = setToolchain(text, name);
        expect(parseModFile(after).toolchain?.value).toBe(name);
        if (before.toolchain !== undefined) {
          const t = before.toolchain.token;
          expect(after).toBe(text.slice(0, t.start.offset) + name + text.slice(t.end.offset));
          return;
        }
        // Some single stretch of `after` is the new line (with line ends), and removing it gives back
        // the original byte for byte.
        const n = after.length - text.length;
        const shape = new RegExp(`^(\\r?\\n)*toolchain ${name}(\\r?\\n)*$`);
        const cuts = [...Array(after.length - n + 1).keys()].filter((i) => shape.test(after.slice(i, i + n)) && after.slice(0, i) + after.slice(i + n) === text);
        expect(cuts.length).toBeGreaterThan(0);
        // A CRLF file gets no bare LF.
        if (/\r\n/.test(text) && !/(^|[^\r])\n/.test(text)) expect(/(^|[^\r])\n/.test(after)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  test("round trips: setting twice is setting the last, and setting the present name changes nothing", () => {
    fc.assert(
      fc.property(validGoMod, toolchainName, toolchainName, (text, a, b) => {
        expect(setToolchain(setToolchain(text, a), b)).toBe(setToolchain(text, b));
        const once = setToolchain(text, a);
        expect(setToolchain(once, a)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});
