// Enforcement levels per environment, from the policy catalog (M mandatory, A advisory, - off).
import { EnvironmentName } from "../../components/toolchain/lock";

export type Level = "mandatory" | "advisory" | "disabled";
const L: Record<string, Level> = { M: "mandatory", A: "advisory", "-": "disabled" };

/** Catalog row → levels for dev, staging, prod. */
export const CATALOG_LEVELS: Readonly<Record<string, string>> = {
  T1: "MMM", T2: "AMM", T3: "MMM", T4: "AMM", T5: "AMM", T6: "MMM", T7: "AMM", T8: "AMM", T9: "MMM", T10: "MMM",
  G1: "AMM", G2: "AMM", G3: "AMM", G4: "MMM", G5: "AMM", G6: "AMM", G7: "AAA", G8: "AAM",
  P1: "AMM", P2: "AMM", P3: "-MM", P4: "-MM", P5: "AMM", P6: "-AA",
  K1: "AMM", K2: "AMM", K3: "AMM", K4: "AAM", K5: "-AM", K6: "AMM", K7: "AAM", K8: "AMM",
  R1: "AMM", R2: "AMM", R3: "-AM", R4: "AMM",
  // V3 here is its host-side record (go-archive-signature): advisory everywhere, since no record can
  // be made offline; prod's mandatory gate is `goguard lock verify --strict` before deploying.
  V1: "AMM", V2: "AAA", V3: "AAA",
  // T5 for the source of an image copied into the stack's registry (MirroredImage): the copy is
  // deployed by its pushed digest, so an unresolved source is shown everywhere without blocking;
  // `goguard lock verify --strict` refuses it before prod (issue 13).
  "T5-copy": "AAA",
};

export function levelFor(row: string, env: EnvironmentName): Level {
  const i = env === "dev" ? 0 : env === "staging" ? 1 : 2;
  const code = CATALOG_LEVELS[row];
  if (!code) throw new Error(`no catalog row ${row}`);
  return L[code[i]];
}

/** A rule covering several rows is enforced at the strictest of their levels. */
export function levelForRows(rows: readonly string[], env: EnvironmentName): Level {
  const order: Level[] = ["disabled", "advisory", "mandatory"];
  return rows.map((r) => levelFor(r, env)).reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), "disabled" as Level);
}
