// Enforcement levels per environment, from the policy catalog (M mandatory, A advisory, - off).
import { EnvironmentName } from "../../components/toolchain/lock";
import { RuleId } from "../../components/toolchain/goenv";

type Level = "mandatory" | "advisory" | "disabled";
const L: Record<string, Level> = { M: "mandatory", A: "advisory", "-": "disabled" };

const TABLE: Record<RuleId, string> = {
  T1: "MMM", T2: "AMM", T3: "MMM", T8: "AMM",
  G1: "AMM", G2: "AMM", G3: "AMM", G4: "MMM", G5: "AMM", G6: "AMM", G7: "AAA", G8: "AAM",
};

export function levelFor(rule: RuleId, env: EnvironmentName): Level {
  const i = env === "dev" ? 0 : env === "staging" ? 1 : 2;
  return L[TABLE[rule][i]];
}
