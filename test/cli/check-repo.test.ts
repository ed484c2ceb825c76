// `goguard check-repo` through the CLI: the corpus of service repositories in test/repos (each
// written from Go's, setup-go's, asdf's and mise's documentation, with its exact findings), every
// output format, hostile inputs, and usage errors.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/catalog-fixtures";
import { parseLock } from "../../components/toolchain/lock";
import { repoContext } from "../../cli/commands/check-repo";
import { judgeFile } from "../../cli/repo/check";
import { FileKind, kindOf } from "../../cli/repo/walk";
import { setupGoFileVersion } from "../../cli/repo/workflows";
import { allowCommands, dotenvVars } from "../../cli/repo/versions";
import { githubEnvWrites } from "../../cli/repo/githubenv";

const REPOS = path.join(__dirname, "..", "repos");
const BIN = path.join(__dirname, "..", "..", "cli", "bin", "goguard.js");

interface Expected {
  readonly source: string;
  readonly env: string;
  readonly exit: number;
  readonly findings: ReadonlyArray<{ rule: string; file: string; line: number }>;
}

interface JsonOut {
  ok: boolean;
  env: string;
  files: string[];
  findings: Array<{ rule: string; level: string; file: string; line: number; column: number; message: string }>;
  notes: string[];
}

const corpus = fs
  .readdirSync(REPOS)
  .filter((n) => fs.existsSync(path.join(REPOS, n, "expected.json")))
  .sort();

const key = (f: { rule: string; file: string; line: number }): string => `${f.file}:${f.line} ${f.rule}`;

async function checkJson(dir: string, ...extra: string[]): Promise<{ code: number; out: JsonOut; stderr: string }> {
  const r = await runCli("check-repo", dir, "--format", "json", ...extra);
  return { code: r.code, out: r.stdout === "" ? (undefined as unknown as JsonOut) : (JSON.parse(r.stdout) as JsonOut), stderr: r.stderr };
}

describe("the repository corpus (test/repos)", () => {
  test("holds at least 15 repositories, good and bad", () => {
    const expectations = corpus.map((n) => JSON.parse(fs.readFileSync(path.join(REPOS, n, "expected.json"), "utf8")) as Expected);
    expect(corpus.length).toBeGreaterThanOrEqual(15);
    expect(expectations.filter((e) => e.findings.length === 0).length).toBeGreaterThanOrEqual(3);
    expect(expectations.filter((e) => e.exit === 1).length).toBeGreaterThanOrEqual(10);
  });

  test.each(corpus)("%s: exactly the expected findings, and the exit code", async (name) => {
    const expected = JSON.parse(fs.readFileSync(path.join(REPOS, name, "expected.json"), "utf8")) as Expected;
    const { code, out, stderr } = await checkJson(path.join(REPOS, name, "repo"), "--env", expected.env);
    expect(stderr).toBe("");
    expect(out.findings.map(key).sort()).toEqual(expected.findings.map(key).sort());
    expect(code).toBe(expected.exit);
    expect(out.ok).toBe(expected.exit === 0);
    // Every message says where and how to fix it.
    for (const f of out.findings) {
      expect(f.message).toContain(f.file);
      expect(f.message).toMatch(/Fix: /);
    }
  });
});

describe("every corpus repository in every environment", () => {
  const cases = corpus.flatMap((n) => ["dev", "staging", "prod"].map((env) => [n, env] as [string, string]));
  test.each(cases)("%s --env %s: each finding at the level that environment's policy config gives its rule; exit 1 exactly when one is mandatory", async (name, env) => {
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, "../../policies/config", `${env}.json`), "utf8"));
    const { code, out, stderr } = await checkJson(path.join(REPOS, name, "repo"), "--env", env);
    expect(stderr).toBe("");
    for (const f of out.findings) expect([f.rule, f.level]).toEqual([f.rule, config[f.rule === "repo-file-readable" ? "dockerfile-readable" : f.rule].enforcementLevel]);
    expect(code).toBe(out.findings.some((f) => f.level === "mandatory") ? 1 : 0);
  });
});

describe("messages, levels and formats", () => {
  const repo = path.join(REPOS, "go-line-newer-than-lock", "repo");

  test("the go line finding says what GOTOOLCHAIN=local does, with its column", async () => {
    const { out } = await checkJson(repo, "--env", "prod");
    expect(out).toEqual({
      ok: false,
      env: "prod",
      files: ["api/go.mod", "go.work"],
      findings: [
        {
          rule: "go-version-allowed",
          level: "mandatory",
          file: "api/go.mod",
          line: 3,
          column: 4,
          message:
            'api/go.mod line 3: go 1.27 is newer than Go 1.26.7, the prod lock\'s default toolchain: with GOTOOLCHAIN=local (as the governed builder sets it) every build stops with "go.mod requires go >= 1.27 (running go 1.26.7; GOTOOLCHAIN=local)". Fix: lower the go line to 1.26.7 or older, or have the platform team lock and promote a newer Go first.',
        },
      ],
      notes: [],
    });
  });

  test("levels come from the environment's policy config: go-version-allowed is advisory in dev", async () => {
    const { code, out } = await checkJson(repo, "--env", "dev");
    expect(out.findings.map((f) => [f.rule, f.level])).toEqual([["go-version-allowed", "advisory"]]);
    expect(code).toBe(0);
  });

  test("text output: one line per finding with file:line:column, and a verdict", async () => {
    const r = await runCli("check-repo", path.join(REPOS, "go-version-minor", "repo"), "--env", "staging");
    expect(r).toEqual({
      code: 1,
      stderr: "",
      stdout: [
        "✗ staging: 1 file judged, 1 mandatory, 0 advisory",
        '  .go-version:1:1 [mandatory] go-version-exact-release: .go-version: "1.26" is a minor series, not a release. Fix: write 1.26.7, the staging lock\'s default (it allows 1.26.7).',
        "mandatory findings found",
        "",
      ].join("\n"),
    });
  });

  test("SARIF: one result per finding with its region, rules described from the pack, paths under --prefix", async () => {
    const r = await runCli("check-repo", path.join(REPOS, "tool-versions-ref-and-system", "repo"), "--env", "prod", "--format", "sarif", "--prefix", "services/api");
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(["go-version-exact-release"]);
    expect(run.tool.driver.rules[0].shortDescription.text).toBe("The Go version is an exact patch release (X.Y.Z); release candidates and betas only where the environment allows pre-releases.");
    expect(run.results.map((x: { ruleId: string; level: string; locations: Array<{ physicalLocation: unknown }> }) => [x.ruleId, x.level, x.locations[0].physicalLocation])).toEqual([
      ["go-version-exact-release", "error", { artifactLocation: { uri: "services/api/.tool-versions", uriBaseId: "SRCROOT" }, region: { startLine: 1, startColumn: 4 } }],
      ["go-version-exact-release", "error", { artifactLocation: { uri: "services/api/.tool-versions", uriBaseId: "SRCROOT" }, region: { startLine: 1, startColumn: 17 } }],
    ]);
    expect([sarif.version, sarif.$schema, Object.keys(run.originalUriBaseIds)]).toEqual(["2.1.0", "https://json.schemastore.org/sarif-2.1.0.json", ["SRCROOT"]]);
  });

  test("SARIF: every result's ruleIndex names its rule, across a repository with many rules", async () => {
    const r = await runCli("check-repo", path.join(REPOS, "dockerfile-unchecked-download", "repo"), "--env", "prod", "--format", "sarif");
    const run = JSON.parse(r.stdout).runs[0];
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ids).toEqual(["go-download-verified", "go-proxy-own-first", "go-release-flags", "go-toolchain-local"]);
    for (const x of run.results) expect(ids[x.ruleIndex]).toBe(x.ruleId);
  });

  test("markdown: a table row per finding", async () => {
    const r = await runCli("check-repo", path.join(REPOS, "mise-fuzzy-version", "repo"), "--env", "prod", "--format", "markdown");
    expect(r.stdout).toBe(
      [
        "## GoGuard repository check (prod): ❌ mandatory findings",
        "",
        "1 file judged, 1 mandatory, 0 advisory.",
        "",
        "| level | rule | where | message |",
        "|---|---|---|---|",
        '| mandatory | `go-version-exact-release` | `mise.toml:3:7` | mise.toml line 3: [tools] go: "1.26" is a minor series, not a release. Fix: write go = "1.26.7", the prod lock\'s default (it allows 1.26.7). |',
        "",
      ].join("\n"),
    );
  });

  test("the process exits 1 on mandatory findings and 0 on a clean repository", () => {
    const run = (dir: string): number => {
      try {
        execFileSync(process.execPath, [BIN, "check-repo", dir, "--env", "prod"], { stdio: "pipe" });
        return 0;
      } catch (err) {
        return (err as { status: number }).status;
      }
    };
    expect([run(path.join(REPOS, "good-minimal", "repo")), run(path.join(REPOS, "go-version-minor", "repo"))]).toEqual([0, 1]);
  });
});

describe("hostile inputs", () => {
  let dir: string;
  beforeEach(() => (dir = tempDir("check-repo")));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (rel: string, data: string | Buffer): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
  };

  test("a go.mod over the size cap, a binary Dockerfile and a non-UTF-8 .go-version are findings, not crashes", async () => {
    write("go.mod", `module example.com/big\n\ngo 1.26\n${"// padding\n".repeat(2000)}`);
    write("Dockerfile", Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01, 0x02]));
    write(".go-version", Buffer.from([0x31, 0x2e, 0xff, 0x0a]));
    const { code, out } = await checkJson(dir, "--env", "prod", "--max-file-bytes", "4096");
    expect(code).toBe(1);
    const size = fs.statSync(path.join(dir, "go.mod")).size;
    expect(out.findings.map((f) => [f.rule, f.file, f.line, f.message])).toEqual([
      ["repo-file-readable", ".go-version", 1, ".go-version is not UTF-8 text, so it cannot be judged. Fix: keep it a small text file."],
      ["repo-file-readable", "Dockerfile", 1, "Dockerfile is binary (it holds NUL bytes), not text, so it cannot be judged. Fix: keep it a small text file."],
      ["repo-file-readable", "go.mod", 1, `go.mod is ${size} bytes, over the 4096-byte cap for a judged file, so it was not read, so it cannot be judged. Fix: keep it a small text file.`],
    ]);
  });

  test("a symlink loop and a symlink out of the repository are not followed, and are named", async () => {
    const outside = tempDir("check-repo-outside");
    try {
      fs.writeFileSync(path.join(outside, ".go-version"), "1.26\n");
      fs.symlinkSync(path.join(outside, ".go-version"), path.join(dir, ".go-version"));
      fs.mkdirSync(path.join(dir, "loop"));
      fs.symlinkSync(path.join(dir, "loop", "Dockerfile"), path.join(dir, "loop", "Dockerfile.a"));
      fs.renameSync(path.join(dir, "loop", "Dockerfile.a"), path.join(dir, "loop", "Dockerfile"));
      fs.symlinkSync(dir, path.join(dir, "loop", "up")); // a directory symlink back to the root: not descended
      write("go.mod", "module example.com/ok\n\ngo 1.26\n");
      const { code, out } = await checkJson(dir, "--env", "prod");
      expect(out.files).toEqual(["go.mod"]);
      expect(out.findings.map((f) => [f.rule, f.file, f.message])).toEqual([
        ["repo-file-readable", ".go-version", ".go-version is a symlink to a file outside the repository, which is not read, so it cannot be judged. Fix: commit the file itself inside the repository."],
        ["repo-file-readable", "loop/Dockerfile", "loop/Dockerfile is a symlink loop, so it cannot be judged. Fix: commit the file itself inside the repository."],
      ]);
      expect(code).toBe(1);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test("a go.mod with syntax errors is a positioned finding per error Go reports", async () => {
    write("go.mod", "module example.com/x\ngo 1.26\nfrobnicate 1\nrequire example.com/y 1.0.0\n");
    const { out } = await checkJson(dir, "--env", "prod");
    expect(out.findings.map((f) => [f.rule, f.line, f.column, f.message.split(":").slice(0, 4).join(":")])).toEqual([
      ["repo-file-readable", 3, 1, "go.mod:3:1: unknown directive"],
      ["repo-file-readable", 4, 1, 'go.mod:4:1: require example.com/y'],
    ]);
  });

  test("the entry cap stops the walk, says so, and fails closed", async () => {
    for (let i = 0; i < 30; i++) write(`pkg${String(i).padStart(2, "0")}/x.go`, "package x\n");
    const { code, out } = await checkJson(dir, "--env", "prod", "--max-entries", "10");
    expect(out.notes).toEqual(["the walk stopped after 10 directory entries (the entry cap), in .; files beyond it were not judged"]);
    expect(out.findings.map((f) => [f.rule, f.file])).toEqual([["repo-file-readable", "."]]);
    expect(code).toBe(1);
  });

  test("YAML anchors and aliases are followed (findings at the anchored line), and a recursive alias does not loop", async () => {
    write(
      ".github/workflows/a.yml",
      ["on: [push]", "jobs:", "  one:", "    env: &goenv", "      GOTOOLCHAIN: auto", "    steps:", "      - &setup", "        uses: actions/setup-go@v5", "        with:", "          go-version: '1.26'", "  two:", "    env: *goenv", "    steps:", "      - *setup", ""].join("\n"),
    );
    write(".github/workflows/loop.yml", "jobs: &j\n  again: *j\n  x:\n    steps: &s\n      - *s\n");
    const { out } = await checkJson(dir, "--env", "prod");
    expect(out.findings.map((f) => [f.rule, f.file, f.line, f.message.slice(0, f.message.indexOf(":", f.message.indexOf(" line ")))])).toEqual([
      ["go-toolchain-local", ".github/workflows/a.yml", 5, ".github/workflows/a.yml line 5 job one env GOTOOLCHAIN"],
      ["go-toolchain-local", ".github/workflows/a.yml", 5, ".github/workflows/a.yml line 5 job two env GOTOOLCHAIN"],
      ["go-version-exact-release", ".github/workflows/a.yml", 10, ".github/workflows/a.yml line 10 job one step 1"],
      ["go-version-exact-release", ".github/workflows/a.yml", 10, ".github/workflows/a.yml line 10 job two step 1"],
    ]);
  });

  test("the depth cap: a directory deeper than 32 levels is not walked, is named, and fails closed", async () => {
    const deep = Array.from({ length: 33 }, (_, i) => `d${i}`).join("/");
    write(`${deep}/go.mod`, "module m\n\ngo 1.99\n");
    write("go.mod", "module m\n\ngo 1.26\n");
    const { code, out } = await checkJson(dir, "--env", "prod");
    expect([code, out.files, out.notes]).toEqual([1, ["go.mod"], [`${deep}: deeper than 32 directories (the depth cap), not walked`]]);
    expect(out.findings.map((f) => [f.rule, f.file, f.message])).toEqual([
      ["repo-file-readable", deep, `${deep} is deeper than 32 directories (the depth cap), not walked, so the files under it were not judged. Fix: keep the repository's tree shallower, or check that directory on its own.`],
    ]);
  });

  test("vendor, testdata, node_modules and .git are not walked; workflows only at the root", async () => {
    for (const d of ["vendor/x", "testdata", "node_modules/m", ".git"]) write(`${d}/go.mod`, "module m\n\ngo 1.99\n");
    write("sub/.github/workflows/ci.yml", "jobs: {x: {steps: [{uses: actions/setup-go@v5, with: {go-version: stable}}]}}\n");
    const { code, out } = await checkJson(dir, "--env", "prod");
    expect([code, out.files, out.findings]).toEqual([0, [], []]);
  });
});

describe("usage errors exit 2", () => {
  test.each<[string[], string]>([
    [["check-repo", "/nonexistent-goguard-dir", "--env", "prod"], "goguard: /nonexistent-goguard-dir does not exist; give the service repository's directory\n"],
    [["check-repo", REPOS, "--env", "qa"], 'goguard: --env: unknown environment "qa"; use one of dev, staging, prod\n'],
    [["check-repo", REPOS, "--env", "prod", "--format", "xml"], 'goguard: --format: unknown format "xml"; use one of text, json, markdown, sarif\n'],
    [["check-repo", REPOS, "--env", "prod", "--max-entries", "0"], 'goguard: --max-entries must be a positive whole number; got "0"\n'],
    [["check-repo", REPOS, "--env", "prod", "--lock", "/nonexistent-goguard.lock.json"], "goguard: toolchain lock /nonexistent-goguard.lock.json does not exist; check the path\n"],
  ])("%j", async (argv, stderr) => {
    expect(await runCli(...argv)).toEqual({ code: 2, stdout: "", stderr });
  });
});

describe("pure parts", () => {
  // actions/setup-go src/installer.ts parseGoVersionFile, case by case.
  test.each<[string, string, string | undefined, string, string]>([
    ["go.mod", "module m\ngo 1.26.0\ntoolchain go1.26.7\n", undefined, "1.26.7", "its toolchain line"],
    ["go.mod", "module m\ngo 1.26.0\ntoolchain go1.26.7\n", "local", "1.26.0", "its go line (GOTOOLCHAIN=local makes setup-go ignore the toolchain line)"],
    ["sub/go.work", "go 1.26\n", "auto", "1.26", "its go line (there is no toolchain line)"],
    ["go.mod", "module m\n", undefined, "", "its go line (there is no toolchain line)"],
    [".tool-versions", "nodejs 22\ngolang 1.26.7 # pinned\n", undefined, "1.26.7", "its golang line"],
    [".go-version", "\n 1.26.7 \n", undefined, "1.26.7", "its whole content"],
  ])("setup-go reads %s %j (GOTOOLCHAIN=%s) as %j", (rel, text, gotoolchain, version, from) => {
    expect(setupGoFileVersion(rel, text, gotoolchain)).toEqual({ version, from });
  });

  test.each<[string, FileKind | undefined]>([
    ["go.mod", "go.mod"],
    ["a/b/go.work", "go.work"],
    ["x/.go-version", "go-version"],
    [".tool-versions", "tool-versions"],
    ["mise.toml", "mise"],
    [".mise.toml", "mise"],
    ["mise/config.toml", "mise"],
    ["svc/.mise/config.toml", "mise"],
    ["mise.local.toml", "mise"],
    [".mise.local.toml", "mise"],
    ["mise.prod.toml", "mise"],
    ["mise.prod.local.toml", "mise"],
    [".config/mise.toml", "mise"],
    [".config/mise/config.toml", "mise"],
    [".config/mise/config.local.toml", "mise"],
    [".config/mise/conf.d/go.toml", "mise"],
    ["mise.lock", undefined],
    ["premise.toml", undefined],
    ["Dockerfile", "dockerfile"],
    ["deploy/api.Dockerfile", "dockerfile"],
    ["Dockerfile.ci", "dockerfile"],
    ["prod.dockerfile", "dockerfile"],
    ["deploy/api.DOCKERFILE", "dockerfile"],
    ["Containerfile", "dockerfile"],
    ["Containerfile.ci", "dockerfile"],
    ["dockerfile.md", undefined],
    [".github/workflows/ci.yml", "workflow"],
    [".github/workflows/ci.yaml", "workflow"],
    ["sub/.github/workflows/ci.yml", undefined],
    [".github/workflows/nested/ci.yml", undefined],
    ["go.sum", undefined],
    ["dockerfile", undefined],
  ])("%s is judged as %s", (rel, kind) => {
    expect(kindOf(rel)).toBe(kind);
  });

  const lock = parseLock(JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8")));
  const config = JSON.parse(fs.readFileSync(path.join(__dirname, "../../policies/config/prod.json"), "utf8"));
  const ctx = repoContext("prod", lock, config);
  const pieces = ["go ", "toolchain ", "go1.26.7", "1.26", "module m", "\n", "\r\n", "[tools]", "go = ", '"', "'", "[", "]", "{", "}", "(", ")", "=", "golang ", "# c", "// c", "/*", "FROM ", "RUN ", "ENV ", "GOTOOLCHAIN=auto", "\\", "jobs:", "  ", "- ", "uses: actions/setup-go@v5", "with:", "go-version: ", "${{ matrix.go }}", "env:", ": ", "\t", "é", "\u0000", "&a", "*a", "!!binary", "---"];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((p) => p.join(""));
  const kinds: Array<[FileKind, string]> = [["go.mod", "go.mod"], ["go.work", "go.work"], ["go-version", ".go-version"], ["tool-versions", ".tool-versions"], ["mise", "mise.toml"], ["workflow", ".github/workflows/ci.yml"], ["dockerfile", "Dockerfile"]];

  test.each<[string, Array<[string, number, number]>]>([
    ['[tools]\ngo = "1.26"\n', [["go-version-exact-release", 2, 7]]],
    ["[tools]\n'go' = 'latest'\n", [["go-version-exact-release", 2, 9]]],
    ['tools.go = "1.26.7"\n', []],
    ['[tools.go]\nversion = "1.26"\n', [["go-version-exact-release", 1, 1]]],
    ['[tools]\ngolang = ["1.26.7", "ref:master"]\n', [["go-version-exact-release", 2, 22]]],
    ['[tools]\n"core:go" = { version = "1.26.7" }\nnode = "latest"\n', []],
    ['[tools]\ngo = 1.26\n', [["go-version-exact-release", 2, 1]]],
    ["[tools\ngo = 1\n", [["repo-file-readable", 1, 7]]],
    ['[env]\nGOPROXY = "{{ env.CORP_PROXY }}"\nGOFLAGS = "-mod=mod"\nPATH_X = "{{ env.HOME }}"\n', [["go-flags-no-mod-mod", 3, 1], ["go-proxy-own-first", 2, 1]]],
  ])("mise.toml %j", (text, want) => {
    const findings = judgeFile({ kind: "mise", rel: "mise.toml", abs: "/nonexistent" }, text, ctx, () => undefined);
    expect(findings.map((f) => [f.rule, f.line, f.column])).toEqual(want);
  });

  // Every spelling asdf and mise accept besides a version, and the version shapes, in one table.
  test.each<[string, string | undefined]>([
    ["golang 1.26.7", undefined],
    ["golang 1.27.0", '.tool-versions line 1: golang: Go 1.27.0 is not allowed by the prod lock (it allows 1.26.7). Fix: write golang 1.26.7, or have the platform team allow 1.27.0 (goguard lock allow dev 1.27.0, goguard lock promote dev staging --version 1.27.0 --reason "<why>", then goguard lock promote staging prod --version 1.27.0 --reason "<why>").'],
    ["golang path:/opt/go", '.tool-versions line 1: golang: "path:/opt/go" runs a Go found at a local path, which nothing verifies. Fix: write golang 1.26.7, the prod lock\'s default (it allows 1.26.7).'],
    ["golang sub-1:latest", '.tool-versions line 1: golang: "sub-1:latest" is a version relative to the newest release, which moves. Fix: write golang 1.26.7, the prod lock\'s default (it allows 1.26.7).'],
    ["golang latest:1.26", '.tool-versions line 1: golang: "latest:1.26" installs whatever is newest at install time. Fix: write golang 1.26.7, the prod lock\'s default (it allows 1.26.7).'],
    ["golang go1.26.7", '.tool-versions line 1: golang: "go1.26.7": write the version without the "go" prefix ("1.26.7"). Fix: write golang 1.26.7, the prod lock\'s default (it allows 1.26.7).'],
    ["golang 1.26.99", '.tool-versions line 1: golang: "1.26.99" is not a Go release; the newest 1.26 release is 1.26.7. Fix: write golang 1.26.7, the prod lock\'s default (it allows 1.26.7).'],
    ["golang 1.27rc1", '.tool-versions line 1: golang: "1.27rc1" is a pre-release, allowed only where the environment allows pre-releases. Fix: write golang 1.26.7, the prod lock\'s default (it allows 1.26.7).'],
    ["golang", ".tool-versions line 1: golang has no version, so asdf cannot pick one. Fix: write golang 1.26.7."],
    ["golangci-lint 1.60.0", undefined],
  ])(".tool-versions %j", (line, message) => {
    const findings = judgeFile({ kind: "tool-versions", rel: ".tool-versions", abs: "/nonexistent" }, `${line}\n`, ctx, () => undefined);
    expect(findings.map((f) => f.message)).toEqual(message === undefined ? [] : [message]);
  });

  test("every reader turns any text into findings (positioned inside the file), never an exception", () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), text, ([kind, rel], t) => {
        const findings = judgeFile({ kind, rel, abs: "/nonexistent" }, t, ctx, () => undefined);
        const lines = t.split("\n").length;
        for (const f of findings) {
          expect(f.file).toBe(rel);
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(lines);
          expect(f.column).toBeGreaterThanOrEqual(1);
          expect(f.message).toMatch(/Fix: /);
        }
      }),
      { numRuns: 400 },
    );
  });
});

// The suggested fix is a command sequence the CLI accepts: only dev takes a version directly.
test.each<[string, string]>([
  ["dev", "goguard lock allow dev 1.25.3"],
  ["staging", 'goguard lock allow dev 1.25.3, then goguard lock promote dev staging --version 1.25.3 --reason "<why>"'],
  ["prod", 'goguard lock allow dev 1.25.3, goguard lock promote dev staging --version 1.25.3 --reason "<why>", then goguard lock promote staging prod --version 1.25.3 --reason "<why>"'],
])("allowCommands(%s) is the chain of commands the CLI accepts", (env, want) => {
  expect(allowCommands(env, "1.25.3")).toBe(want);
});

describe("$GITHUB_ENV writes (githubEnvWrites)", () => {
  test.each<[string, Array<{ name: string; value?: string; index: number }>]>([
    ['echo "GOPROXY=direct" >> $GITHUB_ENV', [{ name: "GOPROXY", value: "direct", index: 0 }]],
    ["echo GOFLAGS=-mod=mod >> \"$GITHUB_ENV\"", [{ name: "GOFLAGS", value: "-mod=mod", index: 0 }]],
    ["echo 'GOSUMDB=off' | tee -a $GITHUB_ENV", [{ name: "GOSUMDB", value: "off", index: 0 }]],
    ["echo GOSUMDB=off | tee $GITHUB_ENV_OTHER", []],
    ['{ echo "GOPROXY=direct"; echo GOSUMDB=off; } >> ${GITHUB_ENV}', [{ name: "GOPROXY", value: "direct", index: 0 }, { name: "GOSUMDB", value: "off", index: 0 }]],
    ['go build\n{\n  echo "GOTOOLCHAIN=auto"\n  echo GONOSUMDB=*\n} >> "$GITHUB_ENV"', [{ name: "GOTOOLCHAIN", value: "auto", index: 2 }, { name: "GONOSUMDB", value: "*", index: 3 }]],
    ['echo "GOPROXY=$PROXY" >> $GITHUB_ENV', [{ name: "GOPROXY", index: 0 }]],
    ['echo "GOFLAGS<<EOF" >> $GITHUB_ENV', [{ name: "GOFLAGS", index: 0 }]],
    ['echo "GOPROXY=direct"', []],
  ])("%j", (script, expected) => {
    expect(githubEnvWrites(script).map((w) => ({ name: w.name, ...(w.value !== undefined ? { value: w.value } : {}), index: w.index }))).toEqual(expected);
  });

  test("any script: no throw, writes only at real line indexes", () => {
    const parts = ["echo ", '"', "'", "GOPROXY=", "direct", "$X", " >> ", "$GITHUB_ENV", "tee -a ", "{ ", "; ", " }", "\n", "<<EOF", "|"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 40 }).map((p) => p.join("")), (s) => {
        const n = s.split("\n").length;
        for (const w of githubEnvWrites(s)) expect(w.index >= 0 && w.index < n).toBe(true);
      }),
    );
  });
});

describe("dotenv files mise loads (dotenvVars)", () => {
  test.each<[string, Array<{ name: string; value: string; line: number; column: number }>]>([
    ["GOSUMDB=off", [{ name: "GOSUMDB", value: "off", line: 1, column: 1 }]],
    ['# c\nexport GOPROXY="direct" # x\n\nGOFLAGS=-mod=mod # note', [{ name: "GOPROXY", value: "direct", line: 2, column: 8 }, { name: "GOFLAGS", value: "-mod=mod", line: 4, column: 1 }]],
    ["  GONOSUMDB = '*'\r\n", [{ name: "GONOSUMDB", value: "*", line: 1, column: 3 }]],
    ["not a line\n=x", []],
  ])("%j", (text, expected) => {
    expect(dotenvVars(text)).toEqual(expected);
  });

  test("a .env a mise file does not load is not judged", async () => {
    const dir = tempDir("mise-dotenv");
    fs.writeFileSync(path.join(dir, ".env"), "GOSUMDB=off\n");
    fs.writeFileSync(path.join(dir, "mise.toml"), '[tools]\ngo = "1.26.7"\n');
    const { out } = await checkJson(dir, "--env", "prod");
    expect(out.findings).toEqual([]);
  });
});
