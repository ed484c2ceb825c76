// The Go-settings rows share one evaluation per stack (policies/rules/go-settings.ts): the memo
// serves only a stack of the same content (sameStackContent) and is dropped at the next turn of the
// event loop. Shown here: the comparison tells apart any two stacks that differ, and never trusts
// an object it has seen before; a stack judged right after another in the same turn gets its own
// findings; a caller that edits its own objects between calls is judged afresh; and a Dockerfile
// changed on disk between two requests (another turn) is read again.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { stackGoFindings } from "../../policies/rules/go-settings";
import { sameStackContent, StackResource } from "../../policies/lib/sources";
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

describe("sameStackContent", () => {
  const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));
  test("separate copies are the same exactly when their JSON is (property)", () => {
    const resource = fc.record({ type: fc.constantFrom("kubernetes:core/v1:ConfigMap", "kubernetes:apps/v1:Deployment"), urn: fc.string({ maxLength: 12 }), name: fc.string({ maxLength: 8 }), props: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })) });
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 4 }), fc.array(resource, { maxLength: 4 }), (a, b) => {
        expect(sameStackContent(copy(a), copy(b))).toBe(JSON.stringify(a) === JSON.stringify(b));
        expect(sameStackContent(copy(a), copy(a))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("an object seen on both sides is never taken as unchanged", () => {
    const props = { data: { GOSUMDB: "off" } };
    const a = [{ type: "t", urn: "u", name: "n", props }];
    expect(sameStackContent(a, a)).toBe(false);
    expect(sameStackContent(a, [{ type: "t", urn: "u", name: "n", props }])).toBe(false);
    expect(sameStackContent(a, [{ type: "t", urn: "u", name: "n", props: { data: props.data } }])).toBe(false);
    expect(sameStackContent(a, [{ type: "t", urn: "u", name: "n", props: copy(props) }])).toBe(true);
  });

  test("class instances (assets) are never the same as another instance", () => {
    class FileAsset {
      constructor(readonly path: Promise<string>) {}
    }
    const a = [{ type: "t", urn: "u", name: "n", props: { code: new FileAsset(Promise.resolve("a")) } }];
    const b = [{ type: "t", urn: "u", name: "n", props: { code: new FileAsset(Promise.resolve("a")) } }];
    expect(sameStackContent(a, b)).toBe(false);
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

  test("a caller that edits its own resources between two calls in one turn is judged afresh", () => {
    const resources = configMap("off");
    expect(g1(resources)).toHaveLength(1);
    (resources[0].props as { data: Record<string, string> }).data.GOSUMDB = "sum.golang.org";
    expect(g1(resources)).toEqual([]);
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
