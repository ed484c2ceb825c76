// For the worker tests: a program that exports what it read from its environment and config, and
// keeps a module-level counter (a second run in the same worker must evaluate it afresh).
import * as pulumi from "@pulumi/pulumi";

let runs = 0;
runs++;
const cfg = new pulumi.Config("goguard");
export const seen = process.env.GOGUARD_TEST_ENV_PROBE ?? "(unset)";
export const environment = cfg.get("environment") ?? "(none)";
export const evaluations = runs;
export const stack = pulumi.getStack();
new pulumi.ComponentResource("test:index:Marker", `marker-${seen}`, {}, {});
