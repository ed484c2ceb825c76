import * as fs from "fs";
import * as path from "path";
import { runStackIsolated } from "../../cli/harness/fork";
import { StackResult } from "../../cli/harness/types";
import { tempDir } from "../helpers/catalog-fixtures";

const PROBE_PACK = path.join(__dirname, "../fixtures/probe-pack");
const PROGRAMS = path.join(__dirname, "../programs");

function job(program: string, policyConfig?: Record<string, unknown>) {
  let policyConfigFile: string | undefined;
  if (policyConfig) {
    policyConfigFile = path.join(tempDir("pc"), "config.json");
    fs.writeFileSync(policyConfigFile, JSON.stringify(policyConfig));
  }
  return { stack: "prod", project: "goguard", programFile: path.join(PROGRAMS, program), config: {}, secretKeys: [], packDir: PROBE_PACK, keepCaptured: true, computedOutputs: { "test:index:Probe": ["computed"] }, ...(policyConfigFile ? { policyConfigFile } : {}) };
}

const msgs = (r: StackResult, policy: string) => r.violations.filter((v) => v.policyName === policy).map((v) => [v.enforcementLevel, v.message]);

describe("offline harness through the real @pulumi/policy handlers", () => {
  let result: StackResult;
  beforeAll(async () => {
    result = await runStackIsolated(job("probe.ts"));
  });

  test("captures every registration in wire form with URNs, parents and options", () => {
    expect(result.error).toBeNull();
    const captured = result.captured!;
    expect(captured.map((r) => `${r.type} ${r.name}`)).toEqual(["pulumi:pulumi:Stack goguard-prod", "test:index:Group grp", "test:index:Probe first", "test:index:Probe second"]);
    const first = captured.find((r) => r.name === "first")!;
    expect(first.urn).toBe("urn:pulumi:prod::goguard::test:index:Group$test:index:Probe::first");
    expect(first.parent).toBe("urn:pulumi:prod::goguard::test:index:Group::grp");
    expect(first.options.protect).toBe(true);
    // Still marked secret in wire form; the plaintext never leaves the run (see the redaction tests).
    expect(first.inputs.secret).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "[secret]" });
    const second = captured.find((r) => r.name === "second")!;
    expect(second.inputs.later).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    expect(second.dependencies).toEqual([first.urn]);
    expect(second.propertyDependencies.plain).toEqual([first.urn]);
  });

  test("config defaults from the schema reach the rule; secrets arrive unwrapped (the message redacts them); options are passed", () => {
    expect(msgs(result, "probe-resource")).toEqual([
      // The rule saw "s3cr3t" (its reversal proves it); the message it wrote has it redacted.
      ["mandatory", JSON.stringify({ config: { label: "x", threshold: 3 }, plain: "a", secret: "[secret]", secretReversed: "t3rc3s", protect: true, parent: "urn:pulumi:prod::goguard::test:index:Group::grp" })],
      ["mandatory", JSON.stringify({ config: { label: "x", threshold: 3 }, plain: "b", protect: false, parent: "urn:pulumi:prod::goguard::pulumi:pulumi:Stack::goguard-prod" })],
      ["advisory", "can't run policy 'probe-resource' from policy pack 'probe@v9.9.9' during preview: string value at .later can't be known during preview"],
    ]);
  });

  test("a stack rule sees parents, dependencies and property dependencies as resource objects", () => {
    expect(msgs(result, "probe-stack")).toEqual([
      ["advisory", "first parent=grp deps=- propDeps.plain=-"],
      ["advisory", "second parent=goguard-prod deps=first propDeps.plain=first"],
    ]);
  });

  test("the `all` key and per-rule config apply, and are validated against the schema", async () => {
    const r = await runStackIsolated(job("probe.ts", { all: "advisory", "probe-resource": { threshold: 7 } }));
    expect(msgs(r, "probe-resource")[0]).toEqual(["advisory", expect.stringContaining('"config":{"label":"x","threshold":7}')]);
    await expect(runStackIsolated(job("probe.ts", { "probe-resource": { threshold: "many" } }))).rejects.toThrow("stack prod: policy config for probe-resource.threshold: must be number");
    await expect(runStackIsolated(job("probe.ts", { "no-such-rule": "advisory" }))).rejects.toThrow('policy config names "no-such-rule", which is not a policy of probe');
  });

  test("a program that throws is reported as the stack's error, without a stack trace", async () => {
    const r = await runStackIsolated(job("throws.ts"));
    expect(r.error).toBe('goVersion must be an exact patch release such as "1.26.7"; got "1.26"');
    expect(r.violations).toEqual([]);
  });
});
