// The Go-settings rows share one evaluation per stack (policies/rules/go-settings.ts): the memo is
// keyed on the stack's content (stackContentKey) and dropped at the next turn of the event loop.
// Shown here: the key tells apart any two stacks that differ; a stack judged right after another
// in the same turn gets its own findings; and a Dockerfile changed on disk between two requests
// (another turn) is read again.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { stackGoFindings } from "../../policies/rules/go-settings";
import { stackContentKey, StackResource } from "../../policies/lib/sources";
import { goEnvPolicyFromConfig } from "../../policies/lib/config";
import { bundledCatalog } from "../../components/toolchain/bundled";

const POLICY = goEnvPolicyFromConfig({ proxies: ["https://athens.goproxy.svc"], allowedVersions: ["1.26.7"] });
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function configMap(gosumdb: string): StackResource[] {
  return [
    {
      type: "kubernetes:core/v1:ConfigMap",
      urn: "urn:pulumi:prod::goguard::kubernetes:core/v1:ConfigMap::go-env",
      name: "go-env",
      props: { metadata: { name: "go-settings", namespace: "ci" }, data: { GOSUMDB: gosumdb, GOPROXY: "https://athens.goproxy.svc" } },
    },
  ];
}

const g1 = (resources: StackResource[]): string[] => stackGoFindings(resources, POLICY, bundledCatalog()).filter((f) => f.rule === "G1").map((f) => f.message);

describe("stackContentKey", () => {
  test("equal for equal content, different when any type, URN, name or prop differs (property)", () => {
    const resource = fc.record({ type: fc.constantFrom("kubernetes:core/v1:ConfigMap", "kubernetes:apps/v1:Deployment"), urn: fc.string({ maxLength: 12 }), name: fc.string({ maxLength: 8 }), props: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })) });
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 4 }), fc.array(resource, { maxLength: 4 }), (a, b) => {
        const same = JSON.stringify(a) === JSON.stringify(b);
        expect(stackContentKey(a) === stackContentKey(b)).toBe(same);
        expect(stackContentKey(JSON.parse(JSON.stringify(a)))).toBe(stackContentKey(a));
      }),
      { numRuns: 300 },
    );
  });

  test("a field boundary cannot be forged by moving text between fields", () => {
    const a = [{ type: "t", urn: "u\u0000n", name: "x", props: {} }];
    const b = [{ type: "t", urn: "u", name: "n\u0000x", props: {} }];
    expect(stackContentKey(a)).not.toBe(stackContentKey(b));
  });
});

describe("the Go-settings memo never serves one stack's findings to another", () => {
  test("stacks judged back to back in one turn each get their own findings, in both orders", () => {
    const weak = configMap("off");
    const good = configMap("sum.golang.org");
    const weakFindings = g1(weak);
    expect(weakFindings).toHaveLength(1);
    expect(weakFindings[0]).toContain("GOSUMDB");
    expect(g1(good)).toEqual([]);
    expect(g1(weak)).toEqual(weakFindings);
    expect(g1(good)).toEqual([]);
  });

  test("the same stack under another policy is judged with that policy", () => {
    const resources = configMap("sum.golang.org");
    const strict = stackGoFindings(resources, POLICY, bundledCatalog()).map((f) => f.rule);
    const other = stackGoFindings(resources, { ...POLICY, proxies: ["https://other.example"] }, bundledCatalog()).map((f) => f.rule);
    expect(strict).not.toContain("G6");
    expect(other).toContain("G6");
  });

  test("a caller that changes a finding it was given changes nothing for the next rule", () => {
    const resources = configMap("off");
    const first = stackGoFindings(resources, POLICY, bundledCatalog());
    const copy = first.map((f) => ({ ...f }));
    first[0].message = "changed";
    first.length = 0;
    expect(stackGoFindings(resources, POLICY, bundledCatalog())).toEqual(copy);
  });

  test("a Dockerfile changed on disk between two requests is read again", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-memo-"));
    try {
      const dockerfile = path.join(dir, "Dockerfile");
      const image: StackResource[] = [{ type: "docker:index/image:Image", urn: "urn:pulumi:prod::goguard::docker:index/image:Image::builder", name: "builder", props: { imageName: "registry.example/b:1", build: { context: dir, dockerfile } } }];
      fs.writeFileSync(dockerfile, "FROM scratch\nENV GOSUMDB=off\n");
      await turn();
      const before = g1(image);
      expect(before.some((m) => m.includes("GOSUMDB"))).toBe(true);
      fs.writeFileSync(dockerfile, "FROM scratch\nENV GOSUMDB=sum.golang.org\n");
      await turn();
      expect(g1(image)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
