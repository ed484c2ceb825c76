// The floor for pack evaluation: as many no-op rules as GoGuard's pack has, so the cost of the
// @pulumi/policy server itself (it deserializes a resource's props once per rule) can be separated
// from GoGuard's own rule logic.
import { PolicyPack } from "@pulumi/policy";
import { RULES } from "../../policies/rules/registry";

const stack = RULES.filter((r) => "validateStack" in r.policy).length;
new PolicyPack("noop", {
  policies: [
    ...Array.from({ length: RULES.length - stack }, (_, i) => ({ name: `noop-${i}`, description: "No-op resource rule.", enforcementLevel: "advisory" as const, validateResource: () => undefined })),
    ...Array.from({ length: stack }, (_, i) => ({ name: `noop-stack-${i}`, description: "No-op stack rule.", enforcementLevel: "advisory" as const, validateStack: () => undefined })),
  ],
});
