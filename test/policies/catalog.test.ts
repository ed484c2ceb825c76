import { CATALOG_LEVELS } from "../../policies/lib/levels";
import { RULE_DOCS } from "../../policies/rules/registry";

test("every row of the policy catalog is covered by a rule, and every rule names real rows", () => {
  const covered = new Set(RULE_DOCS.flatMap((d) => d.rows));
  expect([...Object.keys(CATALOG_LEVELS)].filter((r) => !covered.has(r))).toEqual([]);
  expect([...covered].filter((r) => !(r in CATALOG_LEVELS))).toEqual([]);
});

test("rule names are unique, valid CrossGuard names, with full-sentence descriptions and remediation", () => {
  const names = RULE_DOCS.map((d) => d.name);
  expect(new Set(names).size).toBe(names.length);
  for (const d of RULE_DOCS) {
    expect(d.name).toMatch(/^[a-z0-9-]+$/);
    expect(d.name).not.toBe("all");
    expect(d.description).toMatch(/^[A-Z].*\.$/);
    expect(d.remediation).toMatch(/\.$/);
  }
});
