import * as fs from "fs";
import { expectedPolicyConfigs } from "../../cli/commands/policy-config";
import { policyConfigPath } from "../../cli/stack-files";
import { runCli } from "../helpers/cli";

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
});
