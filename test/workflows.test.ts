// The GitHub workflows cannot run here; this checks they parse and reference what exists: npm
// scripts and goguard commands, stacks, policy configs, reusable workflows.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");
const DIR = path.join(ROOT, ".github/workflows");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));

function steps(doc: any): any[] {
  return Object.values(doc.jobs ?? {}).flatMap((j: any) => j.steps ?? []);
}

describe("GitHub workflows", () => {
  test("the three workflows exist and parse", () => {
    expect(files.sort()).toEqual(["deploy.yml", "pull-request.yml", "up.yml"]);
    for (const f of files) expect(parse(fs.readFileSync(path.join(DIR, f), "utf8")).jobs).toBeDefined();
  });

  test.each(files)("%s: every `npm run`/`npm test` script and goguard command exists", (f) => {
    const doc = parse(fs.readFileSync(path.join(DIR, f), "utf8"));
    for (const s of steps(doc).filter((x) => typeof x.run === "string")) {
      for (const m of s.run.matchAll(/npm (?:run )?(test|[a-z:]+)\b/g)) if (m[1] !== "ci") expect(Object.keys(pkg.scripts)).toContain(m[1]);
      for (const m of s.run.matchAll(/npx goguard (\w[\w-]*)/g)) expect(["check", "lock", "policy-config", "catalog", "render"]).toContain(m[1]);
    }
  });

  test("previews and updates name existing stacks and their policy configs", () => {
    const pr = parse(fs.readFileSync(path.join(DIR, "pull-request.yml"), "utf8"));
    for (const stack of pr.jobs.preview.strategy.matrix.stack) {
      expect(fs.existsSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`))).toBe(true);
      expect(fs.existsSync(path.join(ROOT, "policies/config", `${stack}.json`))).toBe(true);
    }
    const pulumiStep = steps(pr).find((s) => String(s.uses).startsWith("pulumi/actions"));
    expect(pulumiStep.with).toMatchObject({ command: "preview", policyPacks: "policies", policyPackConfigs: "policies/config/${{ matrix.stack }}.json" });
    expect(fs.existsSync(path.join(ROOT, pulumiStep.with.policyPacks, "PulumiPolicy.yaml"))).toBe(true);
    const deploy = parse(fs.readFileSync(path.join(DIR, "deploy.yml"), "utf8"));
    expect(Object.entries(deploy.jobs).map(([k, j]: [string, any]) => [k, j.with.stack, j.needs ?? null, j.with.environment ?? null])).toEqual([
      ["dev", "dev", null, null],
      ["staging", "staging", "dev", null],
      ["prod", "prod", "staging", "prod"],
    ]);
    for (const j of Object.values(deploy.jobs) as any[]) expect(fs.existsSync(path.join(ROOT, j.uses.replace(/^\.\//, "")))).toBe(true);
  });
});
