// The shell scripts' plain syntax trees (policies/lib/shell-tree.ts): what mvdan-sh parses, copied
// out of GopherJS, kept in memory and, under the goguard loader, in its 0700 cache. Shown here: the
// copy is plain JSON data, the cached tree judges a Dockerfile exactly as a fresh parse, a warm
// cache spares loading the parser at all, and a tampered entry is parsed again, never believed.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { parseFresh, parseScript } from "../../policies/lib/shell-tree";

const ROOT = path.resolve(__dirname, "../..");

// RUN scripts as a Dockerfile's builder stage holds them (one of them does not parse).
const SCRIPTS = [
  'set -eu; curl -fsSLo /tmp/go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz && echo "${GO_SHA256}  /tmp/go.tgz" | sha256sum -c - && tar -C /usr/local -xzf /tmp/go.tgz',
  "go env -w GOFLAGS=-mod=mod GONOSUMDB=example.com && export GOPROXY=direct; GOSUMDB=off go build ./...",
  "if [ \"$(sha256sum /tmp/go.tgz | cut -d' ' -f1)\" != \"$GO_SHA256\" ]; then exit 1; fi; case \"$X\" in a*) go get example.com/m@latest;; esac",
  "sh -c 'env -i GOPROXY=off go install example.com/tool@v1.2.3' && ( export GOFLAGS=-insecure; go mod download )",
  "echo 'unterminated",
];

describe("parseScript / parseFresh", () => {
  test.each([
    ["go build ./...", "CallExpr"],
    ["a && b | c", "BinaryCmd"],
    ["( export X=1 )", "Subshell"],
    ["{ go env -w GOPROXY=off; }", "Block"],
    ["if true; then :; else :; fi", "IfClause"],
    ["case $x in a) :;; esac", "CaseClause"],
    ["export GOFLAGS=-mod=mod", "DeclClause"],
    ["[[ $a == $b ]]", "TestClause"],
    ["f() { :; }", "FuncDecl"],
    ["while false; do :; done", "WhileClause"],
    ["for i in 1 2; do :; done", "ForClause"],
  ])("%j is parsed into a %s statement of plain, frozen data", (script, type) => {
    const parsed = parseScript(script);
    expect("file" in parsed).toBe(true);
    const file = (parsed as { file: { T: string; Stmts: Array<{ T: string; Cmd: { T: string } }> } }).file;
    expect(file.T).toBe("File");
    expect(file.Stmts[0].T).toBe("Stmt");
    expect(file.Stmts[0].Cmd.T).toBe(type);
    expect(Object.isFrozen(file.Stmts[0].Cmd)).toBe(true);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parseFresh(script));
    expect(parseScript(script)).toBe(parsed);
  });

  test.each([
    ["echo 'unterminated", "RUN:1:6: reached EOF without closing quote '"],
    ["if true; then", 'RUN:1:10: "then" must be followed by a statement list'],
    ["a &&", "RUN:1:3: && must be followed by a statement"],
  ])("a script the shell cannot parse (%j) is an error, not an exception", (script, message) => {
    const parsed = parseScript(script);
    expect(parsed).toEqual({ error: message });
  });

  test("a tree too deep to copy is an error, not a stack overflow", () => {
    const parsed = parseFresh(`${"( ".repeat(600)}:${" )".repeat(600)}`);
    expect(parsed).toEqual({ error: "the script's syntax tree has more than 200000 nodes or 500 levels" });
  });

  test("any text: never throws, and the result is JSON data that survives the cache's round trip", () => {
    const piece = fc.constantFrom("go ", "env ", "GOPROXY=off ", "export ", "$X", "${X:-a}", "$(id)", "'q'", '"d $Y"', " && ", " || ", " | ", "; ", "\n", "(", ")", "{ ", " }", "<<EOF\nx\nEOF\n", "if ", " then ", " fi", "\\", "#", "=", "@v1");
    fc.assert(
      fc.property(fc.oneof(fc.array(piece, { maxLength: 20 }).map((a) => a.join("")), fc.string({ maxLength: 60 })), (script) => {
        const parsed = parseFresh(script);
        expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
      }),
      { numRuns: 300 },
    );
  });
});

describe("under the goguard loader, trees come from its 0700 cache", () => {
  // A child process as the CLI's stack worker runs: the loader, then the shell reader on each script.
  const probe = `
    require(${JSON.stringify(path.join(ROOT, "cli/bin/register-ts.js"))});
    const { analyzeScript, newEvents } = require(${JSON.stringify(path.join(ROOT, "policies/lib/dockerfile-shell.ts"))});
    const ev = newEvents();
    const st = { exported: { GO_SHA256: "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca" }, vars: { GO_SHA256: "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca" }, goEnvFile: {} };
    JSON.parse(process.argv[1]).forEach((script, i) => analyzeScript(script, i + 1, "RUN", ev, st));
    const mvdanLoaded = Object.keys(require.cache).some((k) => k.includes("/node_modules/mvdan-sh/") && k.endsWith(".js"));
    process.stdout.write(JSON.stringify({ ev, st, mvdanLoaded }));`;

  test("a warm cache spares the parser and judges exactly as a fresh parse; a tampered entry is parsed again", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-shelltree-"));
    try {
      const cache = path.join(dir, "cache");
      fs.mkdirSync(cache, { mode: 0o700 });
      const run = (cacheDir: string): { ev: unknown; st: unknown; mvdanLoaded: boolean } => JSON.parse(execFileSync(process.execPath, ["-e", probe, JSON.stringify(SCRIPTS)], { env: { ...process.env, GOGUARD_TS_CACHE_DIR: cacheDir }, encoding: "utf8", timeout: 60000 }));

      const reference = run("off");
      expect(reference.mvdanLoaded).toBe(true);
      const events = JSON.stringify(reference.ev);
      expect(events).toContain("the shell cannot parse this RUN");
      expect(events).toContain('"GOSUMDB":"off"');
      expect(events).toContain('"version":"v1.2.3"');

      expect(run(cache)).toEqual(reference);
      const entries = fs.readdirSync(cache).filter((f) => f.startsWith("code-"));
      // One tree per RUN script (the inner `sh -c` script too); the TypeScript lives in other entries.
      const trees = entries.filter((f) => fs.readFileSync(path.join(cache, f), "utf8").includes('"T":"File"') || fs.readFileSync(path.join(cache, f), "utf8").includes('{"error":'));
      expect(trees.length).toBe(6);
      expect(run(cache)).toEqual({ ...reference, mvdanLoaded: false });

      // Tamper with the tree of the `go env -w` script: its entry no longer matches its sha256.
      const goEnv = trees.find((f) => fs.readFileSync(path.join(cache, f), "utf8").includes('"Value":"GONOSUMDB=example.com"'))!;
      const file = path.join(cache, goEnv);
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"Value":"GONOSUMDB=example.com"', '"Value":"GONOSUMDB=other.example"'));
      expect(run(cache)).toEqual(reference);
      expect(fs.readFileSync(file, "utf8")).toContain('"Value":"GONOSUMDB=example.com"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
