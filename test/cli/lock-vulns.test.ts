// The vulnerability gate of lock allow/promote against the bundled Go vulnerability database:
// a warning naming each fixable report and its fixed version (every environment); for prod a
// refusal unless prod's stack config excepts every report, read with the V1 rule's own reader.
import * as fs from "fs";
import * as path from "path";
import { vulnMessages, vulnVerdict } from "../../cli/lock-vulns";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { bundledVulns } from "../../components/toolchain/vulndb";
import { findingsFor } from "../../components/toolchain/vulns";
import { tempDir } from "../helpers/catalog-fixtures";
import { runCli } from "../helpers/cli";

const ROOT = path.join(__dirname, "../..");
const PLATFORMS = ["linux/amd64", "linux/arm64"];
const STABLE = bundledCatalog().releases().filter((r) => r.stable).map((r) => r.version);
const fixable = (v: string) => findingsFor(bundledVulns(), v, ["linux"]).filter((f) => f.fixedBy !== undefined);

let dir: string;
let lockFile: string;
let stacksDir: string;
let prodYaml: string;
beforeEach(() => {
  dir = tempDir("lockvuln");
  lockFile = path.join(dir, "toolchain.lock.json");
  stacksDir = path.join(dir, "stacks");
  prodYaml = path.join(stacksDir, "Pulumi.prod.yaml");
  fs.mkdirSync(stacksDir);
  for (const s of ["dev", "staging", "prod"]) fs.copyFileSync(path.join(ROOT, "stacks", `Pulumi.${s}.yaml`), path.join(stacksDir, `Pulumi.${s}.yaml`));
  fs.copyFileSync(path.join(ROOT, "stacks/toolchain.lock.json"), lockFile);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lock = (...args: string[]) => runCli("lock", ...args, "--lock", lockFile, "--stacks-dir", stacksDir);
const except = (entries: Array<[string, string]>) =>
  fs.appendFileSync(prodYaml, `  goguard:vulnExceptions:\n${entries.map(([id, expires]) => `    - id: ${id}\n      reason: reviewed, not reachable from our services\n      expires: "${expires}"\n`).join("")}`);

describe("the warning (every environment)", () => {
  test("go1.26.0 in staging: 41 reports named with their fixed versions, GO-2026-4984 among them; exit 0", async () => {
    const r = await lock("allow", "staging", "1.26.0", "--reason", "reproduce a bug of 1.26.0");
    expect(r.code).toBe(0);
    const f = fixable("1.26.0");
    expect(f).toHaveLength(41);
    expect(r.stderr).toBe(
      "warning: Go 1.26.0 is affected by 41 known vulnerabilities with a fix (bundled Go vulnerability database; see `goguard vuln`); move to Go 1.26.7, which no known report with a fix affects:\n" +
        f.map((x) => `  ${x.id} (${x.aliases.join(", ")}): fixed in ${x.fixedBy}\n`).join(""),
    );
    expect(r.stderr).toContain(`  GO-2026-4984 (CVE-2026-42501): fixed in ${f.find((x) => x.id === "GO-2026-4984")!.fixedBy}\n`);
  });

  test("a version no fixable report affects (1.26.7) prints nothing", async () => {
    expect(await lock("allow", "dev", "1.26.6")).toEqual({ code: 0, stdout: expect.stringContaining("dev now allows 1.26.6, 1.26.7, 1.27.0"), stderr: "" });
  });
});

describe("prod refuses without an exception per report", () => {
  beforeEach(async () => {
    expect((await lock("allow", "staging", "1.26.5", "--default", "--reason", "stage 1.26.5")).code).toBe(0);
  });

  test("no exception: exit 1 naming each report and the fix; nothing written", async () => {
    const before = fs.readFileSync(lockFile);
    const r = await lock("promote", "staging", "prod", "--reason", "ship 1.26.5");
    const f = fixable("1.26.5");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `warning: Go 1.26.5 is affected by ${f.length} known vulnerabilities with a fix (bundled Go vulnerability database; see \`goguard vuln\`); move to Go 1.26.7, which no known report with a fix affects:\n` +
        f.map((x) => `  ${x.id}${x.aliases.length ? ` (${x.aliases.join(", ")})` : ""}: fixed in ${x.fixedBy}\n`).join("") +
        `goguard: refusing Go 1.26.5 for prod: ${f.length} known vulnerabilities with a fix and no exception in ${prodYaml}:\n` +
        f.map((x) => `  ${x.id}${x.aliases.length ? ` (${x.aliases.join(", ")})` : ""}: fixed in ${x.fixedBy}\n`).join("") +
        `Fix: move to Go 1.26.7, which no known report with a fix affects, or record an exception per report (id, reason, expires) under goguard:vulnExceptions in ${prodYaml}; nothing was changed\n`,
    );
    expect(fs.readFileSync(lockFile).equals(before)).toBe(true);
  });

  test("an exception for every report: promoted, each marked as excepted in the warning", async () => {
    const f = fixable("1.26.5");
    except(f.map((x) => [x.id, "2999-12-31"]));
    const r = await lock("promote", "staging", "prod", "--reason", "ship 1.26.5 with reviewed exceptions");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("prod now runs 1.26.5 (allows 1.26.5)\n");
    expect(r.stderr.split("\n").slice(1, -1)).toEqual(f.map((x) => `  ${x.id}${x.aliases.length ? ` (${x.aliases.join(", ")})` : ""}: fixed in ${x.fixedBy} (excepted in the stack config)`));
  });

  test("one report left without an exception and one expired: both named, still refused", async () => {
    const [first, second, ...rest] = fixable("1.26.5");
    except([[second.id, "2020-01-01"], ...rest.map((x) => [x.id, "2999-12-31"] as [string, string])]);
    const r = await lock("promote", "staging", "prod", "--reason", "ship 1.26.5 with reviewed exceptions");
    expect(r.code).toBe(1);
    const refusal = r.stderr.slice(r.stderr.indexOf("goguard: "));
    expect(refusal.split("\n").slice(0, 4)).toEqual([
      `goguard: refusing Go 1.26.5 for prod: 2 known vulnerabilities with a fix and no exception in ${prodYaml}:`,
      `  ${first.id}${first.aliases.length ? ` (${first.aliases.join(", ")})` : ""}: fixed in ${first.fixedBy}`,
      `  ${second.id}${second.aliases.length ? ` (${second.aliases.join(", ")})` : ""}: fixed in ${second.fixedBy}`,
      `  expired exceptions: ${second.id} (expired 2020-01-01)`,
    ]);
  });

  test("a malformed exception list is the stack config's own error", async () => {
    fs.appendFileSync(prodYaml, "  goguard:vulnExceptions:\n    - id: GO-2026-5026\n      reason: short\n      expires: soon\n");
    const r = await lock("promote", "staging", "prod", "--reason", "ship 1.26.5");
    expect(r.code).toBe(1);
    expect(r.stderr.slice(r.stderr.indexOf("goguard: "))).toBe(
      `goguard: ${prodYaml}: goguard:vulnExceptions[0].reason must say why the report does not apply or cannot be fixed yet (at least 10 characters); got "short"; goguard:vulnExceptions[0].expires must be a date YYYY-MM-DD (the last day the exception holds); got "soon"\n`,
    );
  });
});

describe("vulnVerdict and vulnMessages (pure)", () => {
  test("excepted reports leave the refusal; expired ones do not count", () => {
    const f = fixable("1.26.5");
    const today = "2026-11-22";
    const all = vulnVerdict(bundledVulns(), "1.26.5", PLATFORMS, f.map((x) => ({ id: x.id, reason: "reviewed, not reachable", expires: "2026-11-22" })), today, STABLE);
    expect([all.open.length, all.excepted.length, all.expired, all.target]).toEqual([0, f.length, [], "1.26.7"]);
    expect(vulnMessages("1.26.5", "prod", all, "Pulumi.prod.yaml").refusal).toBeUndefined();
    const lapsed = vulnVerdict(bundledVulns(), "1.26.5", PLATFORMS, [{ id: f[0].id, reason: "reviewed, not reachable", expires: "2026-11-21" }], today, STABLE);
    expect([lapsed.open.length, lapsed.expired.map((e) => e.id)]).toEqual([f.length, [f[0].id]]);
    expect(vulnMessages("1.26.5", "staging", lapsed, "Pulumi.staging.yaml").refusal).toBeUndefined();
  });

  test("a clean version: no message at all", () => {
    expect(vulnMessages("1.26.7", "prod", vulnVerdict(bundledVulns(), "1.26.7", PLATFORMS, [], "2026-11-22", STABLE), "x")).toEqual({});
  });
});
