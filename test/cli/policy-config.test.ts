// policy-config through the real CLI, on copies of the stack files, the lock and the committed
// configs in a temporary directory (--stacks-dir, --lock, --policy-dir), so each test changes one
// input and reads exactly what the command says and writes.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expectedPolicyConfigs, generatePolicyConfigs } from "../../cli/commands/policy-config";
import { policyConfigPath } from "../../cli/stack-files";
import { RULE_DOCS } from "../../policies/rules/registry";
import { runCli } from "../helpers/cli";

const ROOT = path.join(__dirname, "../..");
const N = RULE_DOCS.length;

let dir: string;
let stacksDir: string;
let policyDir: string;
let lockFile: string;

function args(...extra: string[]): string[] {
  return ["policy-config", "--stacks-dir", stacksDir, "--policy-dir", policyDir, "--lock", lockFile, ...extra];
}

function editStack(stack: string, edit: (text: string) => string): void {
  const f = path.join(stacksDir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(f, edit(fs.readFileSync(f, "utf8")));
}

function editLock(edit: (lock: any) => void): void {
  const lock = JSON.parse(fs.readFileSync(lockFile, "utf8"));
  edit(lock);
  fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2) + "\n");
}

function policyText(stack: string): string {
  return fs.readFileSync(path.join(policyDir, `${stack}.json`), "utf8");
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-policy-config-"));
  stacksDir = path.join(dir, "stacks");
  policyDir = path.join(dir, "config");
  lockFile = path.join(stacksDir, "toolchain.lock.json");
  fs.mkdirSync(stacksDir);
  fs.mkdirSync(policyDir);
  for (const s of ["dev", "staging", "prod"]) fs.copyFileSync(path.join(ROOT, "stacks", `Pulumi.${s}.yaml`), path.join(stacksDir, `Pulumi.${s}.yaml`));
  fs.copyFileSync(path.join(ROOT, "stacks", "toolchain.lock.json"), lockFile);
  // The committed state: what the shipped inputs generate (independent of drift in the repository).
  for (const g of generatePolicyConfigs({ lock: lockFile, stacksDir, policyDir })) fs.writeFileSync(g.policyFile, g.text);
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("per-stack policy config is derived from the lock", () => {
  test.each(["dev", "staging", "prod"])("committed policies/config/%s.json equals what the lock and stack settings give", (stack) => {
    expect(fs.readFileSync(policyConfigPath(stack), "utf8")).toBe(expectedPolicyConfigs()[stack]);
  });

  test("levels follow the catalog per environment, versions follow the lock", () => {
    const dev = JSON.parse(expectedPolicyConfigs().dev);
    const prod = JSON.parse(expectedPolicyConfigs().prod);
    expect([dev["go-version-allowed"].enforcementLevel, prod["go-version-allowed"].enforcementLevel]).toEqual(["advisory", "mandatory"]);
    expect([dev["go-nosumcheck-absent"].enforcementLevel, prod["go-nosumcheck-absent"].enforcementLevel]).toEqual(["advisory", "advisory"]);
    expect(dev["go-version-allowed"].allowedVersions).toEqual(["1.26.7", "1.27.0"]);
    expect(prod["go-version-allowed"]).toMatchObject({ allowedVersions: ["1.26.7"], allowPrereleases: false, allowDirectFallback: false, allowInsecureInternal: false });
  });

  test("--check passes on the committed files", async () => {
    expect(await runCli("policy-config", "--check")).toEqual({ code: 0, stdout: "policy config matches the lock\n", stderr: "" });
  });

  test("--check passes on unchanged inputs, and regenerating writes the same bytes", async () => {
    const before = ["dev", "staging", "prod"].map(policyText);
    expect(await runCli(...args("--check"))).toEqual({ code: 0, stdout: "policy config matches the lock\n", stderr: "" });
    expect(await runCli(...args())).toEqual({ code: 0, stdout: `wrote ${policyDir}/dev.json, ${policyDir}/staging.json, ${policyDir}/prod.json\n`, stderr: "" });
    expect(["dev", "staging", "prod"].map(policyText)).toEqual(before);
  });
});

describe("a stack cannot weaken its own policy", () => {
  test("the audit: goguard:environment: dev in Pulumi.prod.yaml is refused, and prod's config is untouched", async () => {
    const before = policyText("prod");
    editStack("prod", (t) => t.replace("goguard:environment: prod", "goguard:environment: dev"));
    expect(await runCli(...args())).toEqual({
      code: 1,
      stdout: "",
      stderr: `goguard: ${stacksDir}/Pulumi.prod.yaml: goguard:environment is dev in stacks/Pulumi.prod.yaml, but stack prod runs the prod environment; set goguard:environment: prod (a stack cannot take another environment's policy)\n`,
    });
    expect(policyText("prod")).toBe(before);
  });

  test("the audit: check --stack prod with a stack file claiming dev is refused by the program (exit 1)", async () => {
    editStack("prod", (t) => t.replace("goguard:environment: prod", "goguard:environment: dev"));
    const r = await runCli("check", "--stack", "prod", "--config", path.join(stacksDir, "Pulumi.prod.yaml"), "--format", "json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      stacks: [{ stack: "prod", resources: 0, violations: [], error: `goguard:environment is dev in ${path.join(stacksDir, "Pulumi.prod.yaml")}, but stack prod runs the prod environment; set goguard:environment: prod (a stack cannot take another environment's policy)` }],
    });
  }, 60_000);

  test("the audit: privatePrefixes golang.org/x is refused by the shared pattern rule", async () => {
    editStack("prod", (t) => t.replace("    - git.corp.example", "    - git.corp.example\n    - golang.org/x"));
    expect(await runCli(...args())).toEqual({
      code: 1,
      stdout: "",
      stderr: `goguard: ${stacksDir}/Pulumi.prod.yaml: goguard:privatePrefixes entry "golang.org/x": "golang.org/x" matches public modules such as golang.org/x/crypto; public modules must stay checked against the checksum database: name your organisation's own path, such as git.corp.example or github.com/acme\n`,
    });
  });

  test("the audit: pre-releases in prod are refused without an override, then accepted and recorded with one", async () => {
    editLock((l) => (l.environments.prod.allowPrereleases = true));
    const hint = "to accept it, record goguard:policyOverrides: [{rule: allowPrereleases, reason: <why>, expires: <YYYY-MM-DD>}]";
    expect(await runCli(...args())).toEqual({
      code: 1,
      stdout: "",
      stderr: `  - ${stacksDir}/Pulumi.prod.yaml (prod): prod would allow pre-releases (the lock's environments.prod.allowPrereleases is true); ${hint}\ngoguard: refusing to weaken the policy without a recorded override: 1 weakening(s) (listed above); nothing was written\n`,
    });
    editStack("prod", (t) => `${t}  goguard:policyOverrides:\n    - rule: allowPrereleases\n      reason: soak-testing the 1.27 release candidate for two weeks\n      expires: "2099-12-31"\n`);
    expect((await runCli(...args())).code).toBe(0);
    const prod = JSON.parse(policyText("prod"));
    expect(prod["go-version-allowed"]).toMatchObject({ allowPrereleases: true, policyOverrides: [{ rule: "allowPrereleases", reason: "soak-testing the 1.27 release candidate for two weeks", expires: "2099-12-31" }] });
    expect(Object.values(prod).every((r: any) => r.policyOverrides?.length === 1)).toBe(true);
    expect(await runCli(...args("--check"))).toEqual({ code: 0, stdout: "policy config matches the lock\n", stderr: "" });
  });

  test("a private prefix the committed config does not cover is a weakening; an override records it", async () => {
    editStack("staging", (t) => t.replace("    - git.corp.example", "    - git.corp.example\n    - git.vendor.example"));
    expect(await runCli(...args())).toEqual({
      code: 1,
      stdout: "",
      stderr:
        `  - ${stacksDir}/Pulumi.staging.yaml (staging): private prefix "git.vendor.example" widens what skips the checksum database: "git.vendor.example" matches module paths outside the organisation's prefixes (git.corp.example), such as git.vendor.example; ` +
        "to accept it, record goguard:policyOverrides: [{rule: privatePrefixes, reason: <why>, expires: <YYYY-MM-DD>}]\n" +
        "goguard: refusing to weaken the policy without a recorded override: 1 weakening(s) (listed above); nothing was written\n",
    });
    editStack("staging", (t) => `${t}  goguard:policyOverrides:\n    - rule: privatePrefixes\n      reason: vendor modules are mirrored at git.vendor.example\n      expires: "2099-12-31"\n`);
    expect((await runCli(...args())).code).toBe(0);
    expect(JSON.parse(policyText("staging"))["go-version-allowed"]).toMatchObject({ privatePrefixes: ["git.corp.example", "git.vendor.example"] });
  });

  test("fewer mandatory rules than the committed config is refused, naming the rule", async () => {
    const f = path.join(policyDir, "prod.json");
    const committed = JSON.parse(fs.readFileSync(f, "utf8"));
    committed["go-nosumcheck-absent"].enforcementLevel = "mandatory";
    fs.writeFileSync(f, JSON.stringify(committed, null, 2) + "\n");
    const r = await runCli(...args());
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        `  - ${stacksDir}/Pulumi.prod.yaml (prod): go-nosumcheck-absent would be advisory; it is mandatory in the committed config; to accept it, record goguard:policyOverrides: [{rule: go-nosumcheck-absent, reason: <why>, expires: <YYYY-MM-DD>}]\n` +
        "goguard: refusing to weaken the policy without a recorded override: 1 weakening(s) (listed above); nothing was written\n",
    });
  });

  test.each<[string, string, string]>([
    ["an expired override", "    - rule: privatePrefixes\n      reason: vendor modules are mirrored there\n      expires: \"2020-01-31\"\n", "the override of privatePrefixes expired on 2020-01-31; remove it, or renew it with a new date and a reason that still holds"],
    ["an override of no known rule", "    - rule: go-verison-allowed\n      reason: a misspelt rule name here\n      expires: \"2099-01-31\"\n", 'goguard:policyOverrides names "go-verison-allowed", which is not a rule of the pack nor allowPrereleases/privatePrefixes; did you mean go-version-allowed?'],
  ])("refuses %s", async (_n, entry, problem) => {
    editStack("prod", (t) => `${t}  goguard:policyOverrides:\n${entry}`);
    expect(await runCli(...args())).toEqual({
      code: 1,
      stdout: "",
      stderr: `  - ${stacksDir}/Pulumi.prod.yaml: ${problem}\ngoguard: 1 policy override(s) cannot be used (listed above); fix them in the stack file\n`,
    });
  });

  test.each<[string, (t: string) => string, string]>([
    ["a misspelt key", (t) => t.replace("goguard:proxyUrl:", "goguard:proxyURL:"), "goguard:proxyURL is not a GoGuard setting; did you mean goguard:proxyUrl? Rename it in stacks/Pulumi.prod.yaml"],
    ["a plain-text netrc", (t) => `${t}  goguard:netrc: "machine git.corp.example login ci password hunter2"\n`, "goguard:netrc is plain text in stacks/Pulumi.prod.yaml; a credential must be encrypted: delete that line and run `pulumi config set --secret goguard:netrc --stack prod < netrc`"],
  ])("refuses %s in the stack file", async (_n, edit, problem) => {
    editStack("prod", edit);
    const r = await runCli(...args());
    expect(r).toEqual({ code: 1, stdout: "", stderr: `goguard: ${stacksDir}/Pulumi.prod.yaml: ${problem}\n` });
    expect(r.stderr).not.toContain("hunter2");
  });

  test("an encrypted netrc is accepted and changes nothing in the policy config", async () => {
    editStack("prod", (t) => `${t}  goguard:netrc:\n    secure: v1:AAAABBBBCCCCDDDD:EEEEFFFFGGGGHHHH\n`);
    expect(await runCli(...args("--check"))).toEqual({ code: 0, stdout: "policy config matches the lock\n", stderr: "" });
  });
});

/** The first 100 characters of go-archive-signature's archiveSignatures for a lock whose first archive is 1.26.7 linux/amd64. */
const SIG_1_26_7_HEAD = '[{"version":"1.26.7","platform":"linux/amd64","filename":"go1.26.7.linux-amd64.tar.gz","signedBy":nu';

describe("the policy's proxy is the plan's one URL", () => {
  test("without goguard:proxyUrl the plan's in-cluster URL is the policy's: the same bytes as with it spelt out", async () => {
    const before = ["dev", "staging", "prod"].map(policyText);
    for (const s of ["dev", "staging", "prod"]) editStack(s, (t) => t.replace(/  goguard:proxyUrl: .*\n/, ""));
    expect(await runCli(...args("--check"))).toEqual({ code: 0, stdout: "policy config matches the lock\n", stderr: "" });
    expect(["dev", "staging", "prod"].map(policyText)).toEqual(before);
  });

  test("an in-cluster URL that is not the proxy's Service is refused, naming the file and the fix", async () => {
    editStack("staging", (t) => t.replace("goguard:proxyUrl: http://athens.goproxy.svc.cluster.local", "goguard:proxyUrl: http://other.goproxy.svc.cluster.local"));
    expect(await runCli(...args("--check"))).toEqual({
      code: 1,
      stdout: "",
      stderr: `goguard: ${stacksDir}/Pulumi.staging.yaml: goguard:proxyUrl "http://other.goproxy.svc.cluster.local" names an in-cluster service that is not the proxy's; the proxy's Service is http://athens.goproxy.svc.cluster.local: set goguard:proxyUrl to it (or remove the key), or to the external https:// URL that serves the proxy\n`,
    });
  });
});

describe("--check says what drifted, in which file, and where it came from", () => {
  test("a version allowed in the lock (lock) and a proxy URL changed in a stack file (stack config)", async () => {
    editLock((l) => {
      delete l.environments.dev.versions["1.27.0"];
    });
    editStack("staging", (t) => t.replace("goguard:proxyUrl: http://athens.goproxy.svc.cluster.local", "goguard:proxyUrl: https://goproxy.corp.example"));
    expect(await runCli(...args("--check"))).toEqual({
      code: 1,
      stdout: "",
      stderr:
        `  - ${policyDir}/dev.json: allowedVersions is ["1.26.7","1.27.0"] in ${N} rule(s), the lock and stack settings give ["1.26.7"]; it comes from the lock (${lockFile}, environments.dev)\n` +
        `  - ${policyDir}/dev.json: archiveSignatures is ${SIG_1_26_7_HEAD}… (413 characters) in 1 rule(s), the lock and stack settings give ${SIG_1_26_7_HEAD}… (207 characters); it comes from the lock (${lockFile}, environments.dev)\n` +
        `  - ${policyDir}/staging.json: proxies is ["http://athens.goproxy.svc.cluster.local"] in ${N} rule(s), the lock and stack settings give ["https://goproxy.corp.example"]; it comes from the stack config (${stacksDir}/Pulumi.staging.yaml, goguard:proxyUrl)\n` +
        `goguard: policy config drifted in ${policyDir}/dev.json, ${policyDir}/staging.json (listed above); run \`goguard policy-config\`\n`,
    });
  });

  test("a hand edit of a level (catalog levels) and a missing file", async () => {
    const f = path.join(policyDir, "staging.json");
    const committed = JSON.parse(fs.readFileSync(f, "utf8"));
    committed["go-version-allowed"].enforcementLevel = "advisory";
    fs.writeFileSync(f, JSON.stringify(committed, null, 2) + "\n");
    fs.rmSync(path.join(policyDir, "dev.json"));
    expect(await runCli(...args("--check"))).toEqual({
      code: 1,
      stdout: "",
      stderr:
        `  - ${policyDir}/dev.json is missing\n` +
        `  - ${policyDir}/staging.json: enforcementLevel of go-version-allowed is "advisory", the lock and stack settings give "mandatory"; it comes from the catalog levels (policies/lib/levels.ts) for staging\n` +
        `goguard: policy config drifted in ${policyDir}/dev.json, ${policyDir}/staging.json (listed above); run \`goguard policy-config\`\n`,
    });
  });
});
