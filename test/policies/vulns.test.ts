// go-vulnerabilities (V1) and go-support-window (V2) through the real handlers: versions named by
// resources (the shared version sources), versions the lock allows (policy config), per-environment
// levels from the generated policy config, exceptions that hold, expire loudly or are malformed.
import * as fs from "fs";
import * as path from "path";
import { jobFor } from "../../cli/commands/check";
import { runStackIsolated } from "../../cli/harness/fork";
import { policyConfigPath } from "../../cli/stack-files";
import { bundledVulns } from "../../components/toolchain/vulndb";
import { tempDir } from "../helpers/catalog-fixtures";
import { findingsFor } from "../../components/toolchain/vulns";

const MINE = ["go-vulnerabilities", "go-support-window"];
type Row = [string, string, string, string];

/** The violations of V1/V2 only (other rules' findings on the same resources belong to their tests), sorted. */
async function run(program: string, stack: string, configOverride?: Record<string, unknown>): Promise<Row[]> {
  const job = jobFor(stack, { program: path.join(__dirname, "../programs/rules", program) });
  let policyConfigFile = job.policyConfigFile;
  if (configOverride) {
    const cfg = JSON.parse(fs.readFileSync(policyConfigPath(stack), "utf8"));
    for (const rule of MINE) cfg[rule] = { ...cfg[rule], ...configOverride };
    policyConfigFile = path.join(tempDir("v1"), `${stack}.json`);
    fs.writeFileSync(policyConfigFile, JSON.stringify(cfg));
  }
  const r = await runStackIsolated({ ...job, policyConfigFile });
  if (r.error) throw new Error(r.error);
  return r.violations
    .filter((v) => MINE.includes(v.policyName))
    .map((v) => [v.urn ? v.urn.split("::").pop()! : "(stack)", v.policyName, v.enforcementLevel, v.message] as Row)
    .sort((a, b) => (a.join("|") < b.join("|") ? -1 : 1));
}

const named = (version: string, skip: readonly string[] = []): string[] =>
  findingsFor(bundledVulns(), version, ["linux"])
    .filter((f) => !skip.includes(f.id))
    .map((f) => `${f.id} (${f.aliases.join(", ")})`);

const tail = "; or record an exception per report (id, reason, expires) in the stack's vulnExceptions. See `goguard vuln`.";
function v1(where: string, version: string, target: string, skip: readonly string[] = []): string {
  const ids = named(version, skip);
  return `${where}: Go ${version} is affected by ${ids.length} known vulnerabilit${ids.length === 1 ? "y" : "ies"} with a fix: ${ids.join(", ")}. Fix: move to Go ${target}, which no known report with a fix affects (\`goguard lock allow\`, then promote)${tail}`;
}

describe("go-vulnerabilities on versions the resources name", () => {
  test.each([
    ["prod", "mandatory"],
    ["staging", "mandatory"],
    ["dev", "advisory"],
  ])("%s: 1.26.0 (build arg) and 1.24.13 (golang tag) fire at %s level; 1.26.7 stays quiet", async (stack, level) => {
    expect(named("1.26.0")).toHaveLength(41);
    expect(named("1.26.0")).toContain("GO-2026-4984 (CVE-2026-42501)");
    expect(await run("vulns-versions.ts", stack)).toEqual([
      ["v1-build-1-26-0", "go-vulnerabilities", level, v1("v1-build-1-26-0 build args GO_VERSION", "1.26.0", "1.26.7")],
      ["v1-golang-1-24-13", "go-vulnerabilities", level, v1('v1-golang-1-24-13 container "build" image golang:1.24.13-bookworm', "1.24.13", "1.25.14")],
    ]);
  });

  test("a stack naming only the lock's 1.26.7 is quiet", async () => {
    expect(await run("vulns-clean.ts", "prod")).toEqual([]);
  });
});

describe("versions the lock allows (policy config), exceptions, support window", () => {
  const all41 = findingsFor(bundledVulns(), "1.26.0", ["linux"]).map((f) => f.id);

  test("an allowed 1.26.0 fires at stack level (V1) and trails 1.26.7 (V2, advisory)", async () => {
    expect(await run("vulns-clean.ts", "prod", { allowedVersions: ["1.26.0"] })).toEqual([
      ["(stack)", "go-support-window", "advisory", "allowedVersions: Go 1.26.0 trails 1.26.7, the newest 1.26 release. Fix: move to 1.26.7 (`goguard lock allow`, then promote)."],
      ["(stack)", "go-vulnerabilities", "mandatory", v1("allowedVersions (the toolchain lock)", "1.26.0", "1.26.7")],
    ]);
  });

  test("active exceptions remove their reports; the message names what is left", async () => {
    const excepted = all41.filter((id) => id !== "GO-2026-4984").map((id) => ({ id, reason: "not reachable from our services (reviewed)", expires: "2999-12-31" }));
    expect(await run("vulns-clean.ts", "prod", { allowedVersions: ["1.26.7", "1.26.0"], vulnExceptions: excepted })).toEqual([
      ["(stack)", "go-support-window", "advisory", "allowedVersions: Go 1.26.0 trails 1.26.7, the newest 1.26 release. Fix: move to 1.26.7 (`goguard lock allow`, then promote)."],
      ["(stack)", "go-vulnerabilities", "mandatory", v1("allowedVersions (the toolchain lock)", "1.26.0", "1.26.7", excepted.map((e) => e.id))],
    ]);
    expect(v1("x", "1.26.0", "1.26.7", excepted.map((e) => e.id))).toContain("affected by 1 known vulnerability with a fix: GO-2026-4984 (CVE-2026-42501).");
  });

  test("an expired exception is itself a finding and no longer hides its report; a malformed one is named", async () => {
    const exceptions = [
      { id: "GO-2026-4984", reason: "proxy traffic is pinned to our Athens only", expires: "2020-01-31" },
      { id: "GO-2026-4599", reason: "short" , expires: "2999-01-01" },
    ];
    expect(await run("vulns-clean.ts", "prod", { allowedVersions: ["1.26.0"], vulnExceptions: exceptions })).toEqual([
      ["(stack)", "go-support-window", "advisory", "allowedVersions: Go 1.26.0 trails 1.26.7, the newest 1.26 release. Fix: move to 1.26.7 (`goguard lock allow`, then promote)."],
      ["(stack)", "go-vulnerabilities", "mandatory", v1("allowedVersions (the toolchain lock)", "1.26.0", "1.26.7")],
      ["(stack)", "go-vulnerabilities", "mandatory", 'vulnExceptions: the exception for GO-2026-4984 expired on 2020-01-31 (reason given: "proxy traffic is pinned to our Athens only"). Fix: move to a fixed release, or renew the exception with a new expiry date and a current reason.'],
      ["(stack)", "go-vulnerabilities", "mandatory", 'vulnExceptions[1].reason must say why the report does not apply or cannot be fixed yet (at least 10 characters); got "short". Fix: correct the stack config\'s vulnExceptions and run `goguard policy-config`.'],
    ]);
  });

  test("V2: a minor outside the two newest is named with the releases to move to", async () => {
    const rows = await run("vulns-clean.ts", "dev", { allowedVersions: ["1.24.13", "1.27.0"] });
    expect(rows.filter((r) => r[1] === "go-support-window")).toEqual([
      ["(stack)", "go-support-window", "advisory", "allowedVersions: Go 1.24 (1.24.13) is outside Go's support window (the two newest minors: 1.27, 1.26), so it gets no more security fixes. Fix: move to 1.27.0 or 1.26.7."],
    ]);
  });

  test("the shipped lock's versions (1.26.7, 1.27.0) are quiet on both rules", async () => {
    expect(await run("vulns-clean.ts", "dev", { allowedVersions: ["1.26.7", "1.27.0"] })).toEqual([]);
  });
});

describe("exceptions from the stack file reach the rule through `goguard policy-config`", () => {
  test("a prod stack file excepting GO-2026-4984 yields a policy config that the handler honours; a malformed one is refused naming the key", async () => {
    const { generatePolicyConfigs } = await import("../../cli/commands/policy-config");
    const dir = tempDir("v1-stacks");
    for (const s of ["dev", "staging", "prod"]) fs.copyFileSync(path.join(__dirname, `../../stacks/Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
    const exception = { id: "GO-2026-4984", reason: "builders fetch modules only through our Athens, which verifies go.sum", expires: "2999-12-31" };
    fs.appendFileSync(path.join(dir, "Pulumi.prod.yaml"), `  goguard:vulnExceptions:\n    - id: ${exception.id}\n      reason: ${exception.reason}\n      expires: "${exception.expires}"\n`);
    const prod = generatePolicyConfigs({ stacksDir: dir, policyDir: path.join(__dirname, "../../policies/config") }).find((g) => g.stack === "prod")!;
    expect(prod.config["go-vulnerabilities"].vulnExceptions).toEqual([exception]);
    expect(prod.config["one-go-version"].vulnExceptions).toEqual([exception]);
    const rows = await run("vulns-clean.ts", "prod", { allowedVersions: ["1.26.0"], vulnExceptions: prod.config["go-vulnerabilities"].vulnExceptions });
    expect(rows.find((r) => r[1] === "go-vulnerabilities")![3]).toBe(v1("allowedVersions (the toolchain lock)", "1.26.0", "1.26.7", ["GO-2026-4984"]));

    fs.appendFileSync(path.join(dir, "Pulumi.staging.yaml"), `  goguard:vulnExceptions:\n    - id: CVE-2026-42501\n      reason: builders fetch modules only through our Athens\n      expires: "2999-12-31"\n`);
    expect(() => generatePolicyConfigs({ stacksDir: dir, policyDir: path.join(__dirname, "../../policies/config") })).toThrow('goguard:vulnExceptions[0].id must be a Go vulnerability id such as "GO-2026-4984"; got "CVE-2026-42501"');
  });
});
