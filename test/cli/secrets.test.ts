import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/catalog-fixtures";
import { makeRedactor, markedSecrets, redactDeep, secretVariants } from "../../cli/harness/redact";
import { SECRET_SIG, SIG_KEY } from "../../cli/harness/wire";

const PROGRAM = path.join(__dirname, "programs/secret-goproxy.ts");
const SECRET = "https://user:tok3n@proxy.example/";
// What must never be printed: the value, its credentials, the token alone.
const LEAKS = [SECRET, "user:tok3n", "tok3n"];

const MESSAGE =
  "go-env data: GOPROXY=[secret] sends module downloads first to [secret], not the environment's proxy (http://athens.goproxy.svc.cluster.local). Fix: Set GOPROXY=http://athens.goproxy.svc.cluster.local.";

describe("a pulumi.secret GOPROXY with a token: the rule fires, no output shows the secret", () => {
  test.each(["text", "json", "markdown", "sarif"])("check --format %s", async (format) => {
    const r = await runCli("check", "--stack", "prod", "--program", PROGRAM, "--format", format);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    for (const leak of LEAKS) expect(r.stdout).not.toContain(leak);
    if (format === "json") {
      const doc = JSON.parse(r.stdout);
      // go-archive-signature judges the lock, not the program (the shipped lock has no signature record).
      const program = doc.stacks[0].violations.filter((v: { policyName: string }) => v.policyName !== "go-archive-signature");
      expect(program.map((v: { policyName: string; message: string }) => [v.policyName, v.message])).toEqual([["go-proxy-own-first", MESSAGE]]);
    } else {
      expect(r.stdout).toContain("GOPROXY=[secret] sends module downloads first to [secret]");
    }
  });

  test("render: summary.json, YAML and the outputs hold no secret", async () => {
    const out = tempDir("render-secret");
    try {
      const r = await runCli("render", "--stack", "prod", "--out", out, "--program", PROGRAM);
      expect(r.code).toBe(1);
      const files = ["summary.json", "kubernetes/configmap-ci-go-env.yaml"];
      for (const f of files) {
        const text = fs.readFileSync(path.join(out, f), "utf8");
        for (const leak of LEAKS) expect(text).not.toContain(leak);
      }
      const summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
      expect(summary.outputs).toEqual({ usedProxy: "[secret]", proxyNote: "[secret]" });
      const program = summary.violations.filter((v: { policyName: string }) => v.policyName !== "go-archive-signature");
      expect(program.map((v: { message: string }) => v.message)).toEqual([MESSAGE]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("the redactor", () => {
  test.each<[string, string[], string, string]>([
    ["whole value", [SECRET], `GOPROXY=${SECRET},direct`, "GOPROXY=[secret],direct"],
    ["token of a URL quoted without its scheme", [SECRET], "proxy user:tok3n@proxy.example", "proxy [secret]@proxy.example"],
    ["token alone", [SECRET], "token tok3n leaked", "token [secret] leaked"],
    ["percent-encoded password decoded", ["https://u:p%40ss@h/"], "pass p@ss", "pass [secret]"],
    ["JSON-escaped form", ['a"quoted"secret'], JSON.stringify({ v: 'a"quoted"secret' }), '{"v":"[secret]"}'],
    ["a short secret only where it stands alone", ["local"], "GOTOOLCHAIN=local at cluster.local", "GOTOOLCHAIN=[secret] at cluster.local"],
    ["two-character values are not searched for", ["on"], "GOSUMDB on", "GOSUMDB on"],
    ["no secrets: unchanged", [], "anything", "anything"],
  ])("%s", (_name, secrets, text, expected) => {
    expect(makeRedactor(secrets)(text)).toBe(expected);
  });

  test("URL variants: the value, the userinfo, the password", () => {
    expect(secretVariants(SECRET)).toEqual([SECRET, "user:tok3n", "tok3n"]);
    expect(secretVariants("plain-secret-value")).toEqual(["plain-secret-value"]);
  });

  test("marked secrets are collected at any depth, unmarked values are not", () => {
    const wrapped = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
    expect(markedSecrets({ a: "plain", b: [wrapped("s1-secret"), { c: wrapped({ d: "s2-secret", e: 7 }) }] })).toEqual(["s1-secret", "s2-secret", "7"]);
  });

  test("redactDeep reaches keys and nested values", () => {
    const r = makeRedactor(["key-secret-1"]);
    expect(redactDeep({ "key-secret-1": ["x key-secret-1 y", 3, null] }, r)).toEqual({ "[secret]": ["x [secret] y", 3, null] });
  });

  test("property: a secret of 8+ characters is replaced exactly, wherever it is embedded", () => {
    // Disjoint alphabets (secret: A-Z0-9; surroundings: lower case and punctuation), so the expected
    // output is known exactly.
    const secretArb = fc.stringMatching(/^[A-Z0-9]{8,40}$/);
    const around = fc.stringMatching(/^[a-z .:\/@=,"-]{0,20}$/);
    fc.assert(
      fc.property(secretArb, around, around, around, (secret, a, b, c) => {
        expect(makeRedactor([secret])(`${a}${secret}${b}${secret}${c}`)).toBe(`${a}[secret]${b}[secret]${c}`);
      }),
    );
  });
});
