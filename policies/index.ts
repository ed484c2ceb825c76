// The GoGuard policy pack entry point: the only module that calls `new PolicyPack` (its constructor
// starts the analyzer's gRPC server). Rules live in ./rules as plain policy objects.
import { PolicyPack } from "@pulumi/policy";
import { GO_SETTINGS_RULES, goSettingsPolicy } from "./rules/go-settings";

new PolicyPack("goguard", {
  enforcementLevel: "mandatory",
  policies: GO_SETTINGS_RULES.map(goSettingsPolicy),
});
