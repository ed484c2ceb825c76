// The GoGuard policy pack entry point: the only module that calls `new PolicyPack` (its constructor
// starts the analyzer's gRPC server). Rules live in ./rules as plain policy objects.
import { PolicyPack } from "@pulumi/policy";
import { RULES } from "./rules/registry";

new PolicyPack("goguard", {
  enforcementLevel: "mandatory",
  policies: RULES.map((r) => r.policy),
});
