// goguard export's renderers, each output read back by its own tool's rules: setup-go's version-file
// reading, asdf's .tool-versions lines, mise.toml/mise.lock as TOML (smol-toml) in the shape mise's
// reader takes, the matrix expanded by GitHub's documented include rules, the .envrc sourced by bash.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import fc from "fast-check";
import { binaryString } from "../helpers/arbitraries";
import { parse as parseToml } from "smol-toml";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { allowVersion, EnvironmentName, parseLock, ToolchainLock } from "../../components/toolchain/lock";
import {
  EXPORT_FILE_NAMES,
  EXPORT_FORMATS,
  ExportError,
  ExportSpec,
  exportSpecFor,
  goMatrix,
  MISE_PLATFORM_KEYS,
  renderEnvrc,
  renderExport,
  renderGithubMatrix,
  renderGoModLine,
  renderGoVersion,
  renderMise,
  renderToolVersions,
  shellQuote,
  tomlString,
} from "../../components/toolchain/export";
import { resolveGoEnvBaseline } from "../../components/toolchain/goenv";
import { resolvePlan } from "../../components/environment/plan";
import { parseStackConfig, StackSettings } from "../../stacks/config";
import { projectName, readStackConfig, stackConfigPath } from "../../cli/stack-files";
import { setPlatforms } from "../../cli/commands/lock";

const catalog = bundledCatalog();
const shipped = (): ToolchainLock => parseLock(JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8")));
const SETTINGS = { proxyUrl: "http://athens.goproxy.svc.cluster.local", privatePrefixes: ["git.corp.example"] };
/** The shipped stack file's settings, as the stack program validates them. */
function settingsOf(env: EnvironmentName): StackSettings {
  const project = projectName();
  const raw = readStackConfig(stackConfigPath(env), project);
  return parseStackConfig({ stack: env, namespace: project, config: raw.config, secretKeys: raw.secretKeys });
}
/** An environment's export spec through its plan (resolvePlan, as the CLI and the stack program resolve it). */
function specOf(env: EnvironmentName, lock: ToolchainLock = shipped(), goVersion?: string): ExportSpec {
  const settings = { ...settingsOf(env), ...(goVersion !== undefined ? { goVersion } : {}) };
  return exportSpecFor(lock, resolvePlan(lock, settings, catalog), catalog);
}
const prod = (): ExportSpec => specOf("prod");
const dev = (): ExportSpec => specOf("dev");

const SHA = {
  "1.26.7": { "linux/amd64": "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca", "linux/arm64": "5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37" },
  "1.27.0": { "linux/amd64": "675c26c449cbb18fc24b74650de1eabbae6e16f64326fd85a283fb3b58280685", "linux/arm64": "51798d2c42d0e1c6ed7fd9f48728b4193abac9e8aad6dbac2fe96a81f5909bda" },
} as const;

/** actions/setup-go installer.ts parseGoVersionFile, for the files it reads (written from its source). */
function setupGoReads(name: string, contents: string): string {
  if (name === ".tool-versions") {
    const m = /^golang\s+([^\n#]+)/m.exec(contents);
    return m ? m[1].trim() : "";
  }
  return contents.trim();
}

/** asdf's .tool-versions: `tool version…` per line, `#` starts a comment, blank lines ignored. */
function asdfToolVersions(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") continue;
    const [tool, ...versions] = line.split(/\s+/);
    out[tool] = versions;
  }
  return out;
}

describe("exportSpecFor", () => {
  test("the running version first (the lock's default), then the other allowed ones ascending; the published Go settings are the plan's (resolveGoEnvBaseline for its proxy URL)", () => {
    const spec = dev();
    expect(spec.environment).toBe("dev");
    expect(spec.toolchains.map((t) => [t.version, t.toolchain, t.archives.map((a) => [a.platform, a.sha256])])).toEqual([
      ["1.26.7", "go1.26.7", Object.entries(SHA["1.26.7"])],
      ["1.27.0", "go1.27.0", Object.entries(SHA["1.27.0"])],
    ]);
    expect(spec.goEnv).toEqual(resolvePlan(shipped(), settingsOf("dev"), catalog).goEnv);
    expect(spec.goEnv).toEqual(resolveGoEnvBaseline(SETTINGS));
  });

  test("a stack that pins another allowed version (goguard:goVersion) exports that one first", () => {
    const spec = specOf("dev", shipped(), "1.27.0");
    expect(spec.toolchains.map((t) => t.version)).toEqual(["1.27.0", "1.26.7"]);
    expect(renderGoVersion(spec).text).toBe("1.27.0\n");
  });

  test("a pinned version the lock does not allow is refused by resolveToolchain's own message", () => {
    expect(() => specOf("prod", shipped(), "1.27.0")).toThrow(
      'goVersion for prod: "1.27.0" is not allowed there (the lock allows 1.26.7); promote it with `goguard lock promote staging prod --version 1.27.0`',
    );
  });
});

describe(".go-version, .tool-versions, go.mod", () => {
  test.each([
    ["prod", prod, "1.26.7"],
    ["dev", dev, "1.26.7"],
  ] as const)("%s: .go-version is the bare version; setup-go and goenv read exactly it", (_env, spec, version) => {
    const f = renderGoVersion(spec());
    expect(f).toEqual({ name: ".go-version", text: `${version}\n` });
    expect(setupGoReads(f.name, f.text)).toBe(version);
  });

  test("dev's .tool-versions names only the running version (setup-go would read two as one string)", () => {
    const f = renderToolVersions(dev());
    expect(f.text).toBe("# Generated by `goguard export --env dev --format tool-versions` from the toolchain lock; do not edit: export again after the lock changes.\ngolang 1.26.7\n");
    expect(asdfToolVersions(f.text)).toEqual({ golang: ["1.26.7"] });
    expect(setupGoReads(f.name, f.text)).toBe("1.26.7");
    // What the single version avoids: two versions reach setup-go as one unparseable string.
    expect(setupGoReads(".tool-versions", "golang 1.26.7 1.27.0\n")).toBe("1.26.7 1.27.0");
  });

  test("gomod is the toolchain line of the running version", () => {
    expect(renderGoModLine(prod())).toEqual({ name: "go.mod", text: "toolchain go1.26.7\n" });
  });
});

describe("mise.toml and mise.lock", () => {
  test("prod: exact text; mise.toml asks for the version, mise.lock pins its two linux archives by the lock's sha256", () => {
    const [toml, lock] = renderMise(prod());
    expect(toml.name).toBe("mise.toml");
    expect(lock.name).toBe("mise.lock");
    expect(parseToml(toml.text)).toEqual({ tools: { go: "1.26.7" }, env: { GOTOOLCHAIN: "local" } });
    expect(lock.text).toBe(
      [
        "# Generated by `goguard export --env prod --format mise` from the toolchain lock; do not edit: export again after the lock changes.",
        "# mise.lock as documented at https://mise.jdx.dev/dev-tools/mise-lock-reference.html; each checksum is",
        "# the toolchain lock's sha256 of the go.dev archive at that url.",
        "",
        "lockfile_version = 3",
        "",
        "[[tools.go]]",
        'version = "1.26.7"',
        'backend = "core:go"',
        'specifiers = ["1.26.7"]',
        "",
        '[tools.go."platforms.linux-x64"]',
        `checksum = "sha256:${SHA["1.26.7"]["linux/amd64"]}"`,
        'url = "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz"',
        "",
        '[tools.go."platforms.linux-arm64"]',
        `checksum = "sha256:${SHA["1.26.7"]["linux/arm64"]}"`,
        'url = "https://dl.google.com/go/go1.26.7.linux-arm64.tar.gz"',
        "",
      ].join("\n"),
    );
  });

  test("dev: every allowed version, in the shape mise's reader takes ([[tools.go]] entries, \"platforms.<key>\" tables), each checksum the catalog's", () => {
    const [toml, lock] = renderMise(dev());
    expect(parseToml(toml.text)).toEqual({ tools: { go: ["1.26.7", "1.27.0"] }, env: { GOTOOLCHAIN: "local" } });
    const doc = parseToml(lock.text) as { lockfile_version: number; tools: { go: Array<Record<string, unknown>> } };
    expect(Object.keys(doc)).toEqual(["lockfile_version", "tools"]);
    expect(doc.lockfile_version).toBe(3);
    expect(doc.tools.go).toEqual(
      (["1.26.7", "1.27.0"] as const).map((v) => ({
        version: v,
        backend: "core:go",
        specifiers: [v],
        "platforms.linux-x64": { checksum: `sha256:${SHA[v]["linux/amd64"]}`, url: `https://dl.google.com/go/go${v}.linux-amd64.tar.gz` },
        "platforms.linux-arm64": { checksum: `sha256:${SHA[v]["linux/arm64"]}`, url: `https://dl.google.com/go/go${v}.linux-arm64.tar.gz` },
      })),
    );
    for (const entry of doc.tools.go) {
      for (const [goPlatform, key] of Object.entries(MISE_PLATFORM_KEYS)) {
        const info = entry[`platforms.${key}`] as { checksum: string; url: string } | undefined;
        if (info === undefined) continue;
        const a = catalog.archive(entry.version as string, goPlatform)!;
        expect(info).toEqual({ checksum: `sha256:${a.sha256}`, url: a.url });
      }
    }
  });

  test("platforms mise has no key of their own for are left out and named; riscv64 is kept", () => {
    const lock = setPlatforms(shipped(), "dev", ["linux/386", "linux/amd64", "linux/armv6l", "linux/riscv64"], catalog);
    const [, miseLock] = renderMise(specOf("dev", lock));
    expect(miseLock.text.split("\n")[3]).toBe("# Not written (no mise platform key downloads these go.dev archives): linux/386, linux/armv6l.");
    const doc = parseToml(miseLock.text) as { tools: { go: Array<Record<string, unknown>> } };
    expect(doc.tools.go.map((e) => Object.keys(e).filter((k) => k.startsWith("platforms.")))).toEqual([
      ["platforms.linux-x64", "platforms.linux-riscv64"],
      ["platforms.linux-x64", "platforms.linux-riscv64"],
    ]);
    expect((doc.tools.go[0]["platforms.linux-riscv64"] as { checksum: string }).checksum).toBe(`sha256:${catalog.archive("1.26.7", "linux/riscv64")!.sha256}`);
  });

  test("a lock with no platform mise can install is refused, naming the platforms", () => {
    const lock = setPlatforms(shipped(), "dev", ["linux/386", "linux/s390x"], catalog);
    expect(() => renderMise(specOf("dev", lock))).toThrow(
      new ExportError("none of dev's locked platforms (linux/386, linux/s390x) is one mise installs Go for under a key of its own (linux/amd64, linux/arm64, linux/riscv64); lock one of those with `goguard lock platforms`"),
    );
  });

  test("tomlString: any string without lone surrogates parses back to itself (smol-toml); lone surrogates are refused", () => {
    fc.assert(
      fc.property(binaryString(40), (s) => {
        expect(parseToml(`k = ${tomlString(s)}`)).toEqual({ k: s });
      }),
      { numRuns: 500 },
    );
    expect(tomlString('a"b\\c\u007f\n')).toBe('"a\\"b\\\\c\\u007f\\n"');
    expect(() => tomlString("x\ud800y")).toThrow(ExportError);
  });
});

// --- GitHub matrix ---------------------------------------------------------------------------------

type Combo = Record<string, unknown>;

/**
 * GitHub's matrix expansion, written from "Expanding or adding matrix configurations" (docs.github.com,
 * Using a matrix for your jobs): the product of the matrix's keys; then each include object is added
 * to every ORIGINAL combination none of whose original values it would overwrite (values an earlier
 * include added may be overwritten); an include added to none becomes a combination of its own.
 */
function expandMatrix(matrix: Record<string, unknown>): Combo[] {
  const { include = [], exclude = [], ...dims } = matrix as { include?: Combo[]; exclude?: Combo[] } & Record<string, unknown[]>;
  let combos: Array<{ original: Combo; values: Combo }> = [{ original: {}, values: {} }];
  for (const [k, vs] of Object.entries(dims)) combos = combos.flatMap((c) => (vs as unknown[]).map((v) => ({ original: { ...c.original, [k]: v }, values: { ...c.values, [k]: v } })));
  combos = combos.filter((c) => !(exclude as Combo[]).some((e) => Object.entries(e).every(([k, v]) => c.original[k] === v)));
  if (Object.keys(dims).length === 0) combos = [];
  const extra: Combo[] = [];
  for (const inc of include as Combo[]) {
    let added = false;
    for (const c of combos) {
      if (Object.entries(inc).every(([k, v]) => !(k in c.original) || c.original[k] === v)) {
        Object.assign(c.values, inc);
        added = true;
      }
    }
    if (!added) extra.push({ ...inc });
  }
  return [...combos.map((c) => c.values), ...extra];
}

describe("github-matrix", () => {
  test("the expansion reproduces GitHub's documented example", () => {
    expect(
      expandMatrix({
        fruit: ["apple", "pear"],
        animal: ["cat", "dog"],
        include: [{ color: "green" }, { color: "pink", animal: "cat" }, { fruit: "apple", shape: "circle" }, { fruit: "banana" }, { fruit: "banana", animal: "cat" }],
      }),
    ).toEqual([
      { fruit: "apple", animal: "cat", color: "pink", shape: "circle" },
      { fruit: "apple", animal: "dog", color: "green", shape: "circle" },
      { fruit: "pear", animal: "cat", color: "pink" },
      { fruit: "pear", animal: "dog", color: "green" },
      { fruit: "banana" },
      { fruit: "banana", animal: "cat" },
    ]);
  });

  test("dev: one line of JSON; it expands to one job per allowed version and platform, each with that archive's url and the lock's sha256", () => {
    const f = renderGithubMatrix(dev());
    expect(f.text.endsWith("\n")).toBe(true);
    expect(f.text.trimEnd().includes("\n")).toBe(false);
    const jobs = expandMatrix(JSON.parse(f.text));
    expect(jobs).toEqual(
      (["1.26.7", "1.27.0"] as const).flatMap((v) =>
        (["linux/amd64", "linux/arm64"] as const).map((p) => ({ go: v, platform: p, filename: `go${v}.${p.replace("/", "-")}.tar.gz`, sha256: SHA[v][p], url: `https://dl.google.com/go/go${v}.${p.replace("/", "-")}.tar.gz` })),
      ),
    );
  });

  test("why platform is a dimension: with go alone, GitHub's rules would leave each version's job with only its last archive", () => {
    const m = goMatrix(dev());
    const naive = { go: m.go, include: m.include };
    const jobs = expandMatrix(naive);
    expect(jobs.map((j) => [j.go, j.platform])).toEqual([
      ["1.26.7", "linux/arm64"],
      ["1.27.0", "linux/arm64"],
    ]);
  });
});

// --- .envrc ----------------------------------------------------------------------------------------

const BASH = "/bin/bash";
let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-export-"))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A directory holding a `go` that prints `line` for `go version`. */
function fakeGo(name: string, line: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "go"), `#!/bin/sh\nprintf '%s\\n' ${shellQuote(line)}\n`, { mode: 0o755 });
  return dir;
}

/** A PATH directory with only the tools the .envrc and this harness use (head, env): no system go can answer. */
function toolsOnly(): string {
  const dir = path.join(tmp, "tools");
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir);
    for (const tool of ["head", "env"]) {
      const found = ["/usr/bin", "/bin"].map((d) => path.join(d, tool)).find((f) => fs.existsSync(f));
      if (found === undefined) throw new Error(`no ${tool} in /usr/bin or /bin`);
      fs.symlinkSync(found, path.join(dir, tool));
    }
  }
  return dir;
}

interface Sourced {
  readonly status: number | null;
  readonly sourced: string | undefined;
  readonly env: Record<string, string>;
  readonly stderr: string;
}

/** `source FILE` in a clean bash (no profile, nothing inherited but PATH and extra), then the environment as `env -0` prints it. */
function sourceInBash(file: string, pathDirs: string[], extra: Record<string, string> = {}): Sourced {
  const r = spawnSync(BASH, ["--noprofile", "--norc", "-c", 'source "$1"; s=$?; printf "sourced=%s\\0" "$s"; env -0', "bash", file], {
    env: { PATH: [...pathDirs, toolsOnly()].join(":"), ...extra },
    encoding: "utf8",
    timeout: 10000,
  });
  const parts = r.stdout.split("\0").filter((x) => x !== "");
  const sourced = parts.find((p) => p.startsWith("sourced="))?.slice("sourced=".length);
  const env: Record<string, string> = {};
  for (const p of parts.filter((x) => !x.startsWith("sourced="))) {
    const i = p.indexOf("=");
    env[p.slice(0, i)] = p.slice(i + 1);
  }
  return { status: r.status, sourced, env, stderr: r.stderr };
}

function writeEnvrc(spec: ExportSpec, name: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, renderEnvrc(spec).text);
  return file;
}

const GO_KEYS = ["CGO_ENABLED", "GOFLAGS", "GONOPROXY", "GONOSUMDB", "GOPRIVATE", "GOPROXY", "GOSUMDB", "GOTOOLCHAIN"];
const pick = (env: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(env).filter(([k]) => GO_KEYS.includes(k)));

describe("envrc", () => {
  test("prod: sourced with the locked go on PATH, it exports exactly the published settings and GOTOOLCHAIN=local", () => {
    const file = writeEnvrc(prod(), "prod.envrc");
    const r = sourceInBash(file, [fakeGo("go1267", "go version go1.26.7 linux/amd64")]);
    expect({ status: r.status, sourced: r.sourced, stderr: r.stderr }).toEqual({ status: 0, sourced: "0", stderr: "" });
    expect(pick(r.env)).toEqual({ ...resolveGoEnvBaseline(SETTINGS), GOTOOLCHAIN: "local" });
  });

  test.each([
    ["another release", "go version go1.26.6 linux/amd64", "go version go1.26.6 linux/amd64"],
    ["a version that merely starts with the locked one", "go version go1.26.70 linux/amd64", "go version go1.26.70 linux/amd64"],
    ["a devel build", "go version devel go1.27-abcdef linux/amd64", "go version devel go1.27-abcdef linux/amd64"],
  ])("a go on PATH printing %s fails loudly: the source returns 1 with a message naming both", (_name, printed, shownLine) => {
    const file = writeEnvrc(prod(), "prod.envrc");
    const r = sourceInBash(file, [fakeGo(`wrong-${printed.length}`, printed)]);
    expect({ status: r.status, sourced: r.sourced, stderr: r.stderr }).toEqual({
      status: 0,
      sourced: "1",
      stderr: `goguard: this directory builds with Go 1.26.7 (the prod lock's), but \`go version\` printed: ${shownLine}; install go1.26.7 and put its bin directory first on PATH\n`,
    });
  });

  test("no go on PATH fails loudly too", () => {
    const file = writeEnvrc(prod(), "prod.envrc");
    const r = sourceInBash(file, []);
    expect(r.sourced).toBe("1");
    expect(r.stderr).toMatch(/^goguard: this directory builds with Go 1\.26\.7 \(the prod lock's\), but `go version` printed: .*go: (command )?not found; install go1\.26\.7 and put its bin directory first on PATH\n$/);
  });

  test("under direnv (DIRENV_IN_ENVRC set) a wrong go exits 1, so direnv loads nothing and reports the error", () => {
    const file = writeEnvrc(prod(), "prod.envrc");
    const r = sourceInBash(file, [fakeGo("go1266", "go version go1.26.6 linux/amd64")], { DIRENV_IN_ENVRC: "1" });
    expect({ status: r.status, sourced: r.sourced }).toEqual({ status: 1, sourced: undefined });
    expect(r.stderr.startsWith("goguard: this directory builds with Go 1.26.7")).toBe(true);
  });

  test("property: any Go settings value (quotes, $, backquotes, newlines, any Unicode) comes back from bash byte for byte", () => {
    const goDir = fakeGo("go1267-prop", "go version go1.26.7 linux/amd64");
    const value = binaryString(30).filter((s) => !s.includes("\u0000"));
    fc.assert(
      fc.property(fc.record({ GOPROXY: value, GOPRIVATE: value, GOFLAGS: value }), (hostile) => {
        const spec: ExportSpec = { ...prod(), goEnv: { ...resolveGoEnvBaseline(SETTINGS), ...hostile } };
        const r = sourceInBash(writeEnvrc(spec, "prop.envrc"), [goDir]);
        expect({ sourced: r.sourced, stderr: r.stderr }).toEqual({ sourced: "0", stderr: "" });
        expect(pick(r.env)).toEqual({ ...resolveGoEnvBaseline(SETTINGS), ...hostile, GOTOOLCHAIN: "local" });
      }),
      { numRuns: 60 },
    );
  });

  test("a value holding NUL (no environment variable can) is refused naming the setting; a name that is not one is refused", () => {
    expect(() => renderEnvrc({ ...prod(), goEnv: { GOPROXY: "a\u0000b" } })).toThrow(new ExportError('goEnv.GOPROXY: "a\\u0000b" holds a NUL character, which no environment variable can carry; remove it'));
    expect(() => renderEnvrc({ ...prod(), goEnv: { "GO PROXY": "x" } })).toThrow(new ExportError('goEnv: "GO PROXY" is not an environment variable name (letters, digits, _)'));
  });
});

describe("renderExport", () => {
  test("every format renders from the same spec without touching anything else; same input, same bytes", () => {
    const spec = dev();
    const first = (["go-version", "tool-versions", "mise", "gomod", "github-matrix", "envrc"] as const).map((f) => renderExport(f, spec));
    const second = (["go-version", "tool-versions", "mise", "gomod", "github-matrix", "envrc"] as const).map((f) => renderExport(f, dev()));
    expect(first).toEqual(second);
    expect(first.map((files) => files.map((f) => f.name))).toEqual([[".go-version"], [".tool-versions"], ["mise.toml", "mise.lock"], ["go.mod"], ["go-matrix.json"], [".envrc"]]);
    expect(first.map((files) => files.map((f) => f.name))).toEqual(EXPORT_FORMATS.map((f) => EXPORT_FILE_NAMES[f]));
  });

  test("a version allowed later appears in the multi-version formats only, after the running one", () => {
    const lock = allowVersion(shipped(), "staging", "1.27.0", catalog);
    const spec = specOf("staging", lock);
    expect(goMatrix(spec).go).toEqual(["1.26.7", "1.27.0"]);
    expect(parseToml(renderMise(spec)[0].text)).toEqual({ tools: { go: ["1.26.7", "1.27.0"] }, env: { GOTOOLCHAIN: "local" } });
    expect(renderGoVersion(spec).text).toBe("1.26.7\n");
  });
});
