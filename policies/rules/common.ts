// Factories for GoGuard rules: plain CrossGuard policy objects (no pack is built here), every one
// with the shared config schema, its severity and remediation, and messages that name the resource,
// the setting, the bad value and the fix.
import { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { GO_RULE_CONFIG_SCHEMA } from "../lib/config";
import { RuleDoc } from "../lib/meta";

export interface RuleDef<P> {
  readonly doc: RuleDoc;
  readonly policy: P;
}

const schema = GO_RULE_CONFIG_SCHEMA as unknown as ResourceValidationPolicy["configSchema"];

/**
 * A resource rule: `check` returns the problems (each "where: what. Fix: how"). With `onlyType`
 * the server recognises the rule as typed (the `__pulumiType` mark validateResourceOfType sets)
 * and skips other resources without deserializing their props.
 */
export function resourceRule(doc: RuleDoc, check: (args: ResourceValidationArgs, config: Record<string, unknown>) => string[], onlyType?: string): RuleDef<ResourceValidationPolicy> {
  const validateResource: ResourceValidationPolicy["validateResource"] = (args, report) => {
    for (const p of check(args, args.getConfig<Record<string, unknown>>())) report(`${args.name} ${p}`);
  };
  if (onlyType) (validateResource as unknown as { __pulumiType: string }).__pulumiType = onlyType;
  return {
    doc,
    policy: {
      name: doc.name,
      description: doc.description,
      enforcementLevel: "mandatory",
      severity: doc.severity,
      remediationSteps: doc.remediation,
      configSchema: schema,
      validateResource,
    },
  };
}

/** A stack rule: `check` returns [urn, problem] pairs. */
export function stackRule(doc: RuleDoc, check: (args: StackValidationArgs, config: Record<string, unknown>) => Array<[string, string]>): RuleDef<StackValidationPolicy> {
  return {
    doc,
    policy: {
      name: doc.name,
      description: doc.description,
      enforcementLevel: "mandatory",
      severity: doc.severity,
      remediationSteps: doc.remediation,
      configSchema: schema,
      validateStack: (args, report) => {
        for (const [urn, msg] of check(args, args.getConfig<Record<string, unknown>>())) report(msg, urn);
      },
    },
  };
}
