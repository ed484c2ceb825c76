// `goguard export --format gomod --fix`: the locked toolchain set in a go.mod, every other byte kept;
// a go line newer than the lock refused, naming both versions.
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { binaryString } from "../helpers/arbitraries";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { ExportError } from "../../components/toolchain/export";
import { fixGoModToolchain } from "../../components/toolchain/export-gomod";
import { parseModFile } from "../../components/toolchain/gomod";
import { parseLock } from "../../components/toolchain/lock";
import { resolveToolchain } from "../../components/toolchain/toolchain";

const lock = parseLock(JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8")));
const prod = resolveToolchain(lock, "prod", bundledCatalog());

describe("fixGoModToolchain", () => {
  test.each<[string, string, string]>([
    ["no toolchain line: added after the go line, a blank line between", "module example.com/hello\n\ngo 1.19\n\nrequire golang.org/x/text v0.14.0\n", "module example.com/hello\n\ngo 1.19\n\ntoolchain go1.26.7\n\nrequire golang.org/x/text v0.14.0\n"],
    ["an older toolchain: only its argument changes, the comment stays", "module m\n\ngo 1.21.0\n\ntoolchain go1.21.0 // set by go get\n", "module m\n\ngo 1.21.0\n\ntoolchain go1.26.7 // set by go get\n"],
    ["toolchain default: replaced", "module m\ngo 1.22\ntoolchain default\n", "module m\ngo 1.22\ntoolchain go1.26.7\n"],
    ["CRLF line endings are kept", "module m\r\n\r\ngo 1.26\r\n", "module m\r\n\r\ngo 1.26\r\n\r\ntoolchain go1.26.7\r\n"],
    ["no go line: after the module line", "module m // the service\n\nrequire example.com/x v1.0.0 // indirect\n", "module m // the service\n\ntoolchain go1.26.7\n\nrequire example.com/x v1.0.0 // indirect\n"],
    ["the locked version itself as go line", "module m\n\ngo 1.26.7\n", "module m\n\ngo 1.26.7\n\ntoolchain go1.26.7\n"],
    ["an older pre-release go line", "module m\n\ngo 1.26rc2\n", "module m\n\ngo 1.26rc2\n\ntoolchain go1.26.7\n"],
  ])("%s", (_name, before, after) => {
    expect(fixGoModToolchain(before, prod, "prod")).toEqual({ text: after, changed: true });
  });

  test("a go.mod that already names the locked toolchain is left as it is", () => {
    const text = "module m\n\ngo 1.26\n\ntoolchain go1.26.7\n";
    expect(fixGoModToolchain(text, prod, "prod")).toEqual({ text, changed: false });
  });

  test.each<[string, string]>([
    ["1.27.0", "go.mod:3: go 1.27.0 is newer than the locked Go 1.26.7 (prod): with GOTOOLCHAIN=local the build stops (\"go.mod requires go >= 1.27.0\"); lower the go line to 1.26.7 or below, or allow Go 1.27.0 in the lock and promote it to prod"],
    ["1.27", "go.mod:3: go 1.27 is newer than the locked Go 1.26.7 (prod): with GOTOOLCHAIN=local the build stops (\"go.mod requires go >= 1.27\"); lower the go line to 1.26.7 or below, or allow Go 1.27 in the lock and promote it to prod"],
    ["1.27rc1", "go.mod:3: go 1.27rc1 is newer than the locked Go 1.26.7 (prod): with GOTOOLCHAIN=local the build stops (\"go.mod requires go >= 1.27rc1\"); lower the go line to 1.26.7 or below, or allow Go 1.27rc1 in the lock and promote it to prod"],
    ["1.26.8", "go.mod:3: go 1.26.8 is newer than the locked Go 1.26.7 (prod): with GOTOOLCHAIN=local the build stops (\"go.mod requires go >= 1.26.8\"); lower the go line to 1.26.7 or below, or allow Go 1.26.8 in the lock and promote it to prod"],
  ])("a go line of %s is refused, naming both versions and the line", (goLine, message) => {
    expect(() => fixGoModToolchain(`module m\n\ngo ${goLine}\n`, prod, "prod")).toThrow(new ExportError(message));
  });

  test("a go.mod the go command refuses is refused with the parser's position", () => {
    expect(() => fixGoModToolchain("module m\n\ngo 1.21\nfrobnicate x\n", prod, "prod", "svc/go.mod")).toThrow(
      new ExportError('svc/go.mod:4:1: unknown directive: frobnicate\n(the go command refuses this go.mod too; fix it before setting the toolchain)'),
    );
  });

  const comment = binaryString(20).filter((s) => !/[\r\n]/.test(s));
  const parts = fc.record({
    eol: fc.constantFrom("\n", "\r\n"),
    lead: fc.array(comment, { maxLength: 2 }),
    go: fc.option(fc.constantFrom("1.19", "1.21.0", "1.26", "1.26rc2", "1.26.7"), { nil: undefined }),
    toolchain: fc.option(fc.constantFrom("go1.21.0", "go1.26.7", "default"), { nil: undefined }),
    note: fc.option(comment, { nil: undefined }),
    requires: fc.array(fc.record({ n: fc.nat(99), indirect: fc.boolean(), note: comment }), { maxLength: 3 }),
    tail: fc.boolean(),
  });

  /** The go.mod's lines, and the same lines as `go mod edit -toolchain=go1.26.7` leaves them (the expectation, written independently of setToolchain). */
  function build(p: typeof parts extends fc.Arbitrary<infer T> ? T : never): { text: string; expected: string } {
    const head = [...p.lead.map((c) => `// ${c}`), "module example.com/svc", ...(p.go ? ["", `go ${p.go}`] : [])];
    const tc = p.toolchain ? [`toolchain ${p.toolchain}${p.note !== undefined ? ` // ${p.note}` : ""}`] : [];
    const req = p.requires.length > 0 ? ["", "require (", ...p.requires.map((r) => `\texample.com/dep${r.n} v1.${r.n}.0${r.indirect ? " // indirect" : ` // ${r.note}`}`), ")"] : [];
    const join = (lines: string[]): string => lines.join(p.eol) + (p.tail ? p.eol : "");
    const text = join([...head, ...tc, ...req]);
    if (p.toolchain) return { text, expected: join([...head, `toolchain go1.26.7${p.note !== undefined ? ` // ${p.note}` : ""}`, ...req]) };
    // A new line goes after the go line (else the module line), a blank line before it.
    // A one-line file without a line end has no line ending to copy: "\n".
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    if (req.length === 0 && !p.tail) return { text, expected: text + eol + eol + "toolchain go1.26.7" };
    return { text, expected: join([...head, "", "toolchain go1.26.7", ...req]) };
  }

  test("property: the result is exactly the go.mod with its toolchain line set as `go mod edit -toolchain` sets it; nothing else changes", () => {
    fc.assert(
      fc.property(parts, (p) => {
        const { text, expected } = build(p);
        expect(fixGoModToolchain(text, prod, "prod")).toEqual({ text: expected, changed: expected !== text });
        expect(parseModFile(expected).toolchain?.value).toBe("go1.26.7");
      }),
      { numRuns: 300 },
    );
  });
});
