// yaml/v2 ConfigGroup/ConfigFile expansion in the offline harness: the children the provider
// registers (pulumi-kubernetes provider/pkg/provider/yaml/v2: names `<prefix>:<ns>/<name>` with
// the component's name as default prefix, type tokens from apiVersion/kind, List kinds expanded,
// files relative to the program, unreadable files and malformed objects refused). What a mock
// cannot show: the provider's dependency ordering and its default namespace (left unset here).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { decodeManifests, k8sTypeToken, kubernetesAutoname, ProgramError, yamlV2Children } from "../../cli/harness/program";

const PARENT = "urn:pulumi:prod::goguard::kubernetes:yaml/v2:ConfigGroup::cg";
const cmYaml = (name: string, ns?: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ""}data:\n  GOSUMDB: "off"\n`;

describe("k8sTypeToken", () => {
  test.each<[string, string, string]>([
    ["v1", "ConfigMap", "kubernetes:core/v1:ConfigMap"],
    ["apps/v1", "Deployment", "kubernetes:apps/v1:Deployment"],
    ["batch/v1", "CronJob", "kubernetes:batch/v1:CronJob"],
    ["networking.k8s.io/v1", "NetworkPolicy", "kubernetes:networking.k8s.io/v1:NetworkPolicy"],
  ])("%s %s → %s", (a, k, t) => expect(k8sTypeToken(a, k)).toBe(t));
});

describe("yamlV2Children", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-cg-"));
    fs.mkdirSync(path.join(dir, "m"));
    fs.writeFileSync(path.join(dir, "m", "a.yaml"), cmYaml("a", "ci"));
    fs.writeFileSync(path.join(dir, "m", "b.yaml"), cmYaml("b"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const summary = (cs: ReturnType<typeof yamlV2Children>) => cs.map((c) => [c.type, c.name, c.urn, c.parent]);

  test("inline YAML: names with the component name as prefix and the namespace, parented to the group", () => {
    const cs = yamlV2Children("kubernetes:yaml/v2:ConfigGroup", "cg", PARENT, { yaml: `${cmYaml("a", "ci")}---\n${cmYaml("b")}\n---\n` }, dir);
    expect(summary(cs)).toEqual([
      ["kubernetes:core/v1:ConfigMap", "cg:ci/a", "urn:pulumi:prod::goguard::kubernetes:yaml/v2:ConfigGroup$kubernetes:core/v1:ConfigMap::cg:ci/a", PARENT],
      ["kubernetes:core/v1:ConfigMap", "cg:b", "urn:pulumi:prod::goguard::kubernetes:yaml/v2:ConfigGroup$kubernetes:core/v1:ConfigMap::cg:b", PARENT],
    ]);
    expect(cs[0].inputs).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "ci" }, data: { GOSUMDB: "off" } });
    expect(cs[0].outputs).toEqual(cs[0].inputs);
  });

  test("files (relative to the program, patterns in the last element, sorted), then yaml, then objs; resourcePrefix", () => {
    const cs = yamlV2Children(
      "kubernetes:yaml/v2:ConfigGroup",
      "cg",
      PARENT,
      { files: ["m/*.yaml"], yaml: cmYaml("c", "ci"), objs: [{ apiVersion: "v1", kind: "List", items: [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "ci" } }] }], resourcePrefix: "p" },
      dir,
    );
    expect(cs.map((c) => [c.type, c.name])).toEqual([
      ["kubernetes:core/v1:ConfigMap", "p:ci/a"],
      ["kubernetes:core/v1:ConfigMap", "p:b"],
      ["kubernetes:core/v1:ConfigMap", "p:ci/c"],
      ["kubernetes:apps/v1:Deployment", "p:ci/d"],
    ]);
  });

  test("ConfigFile reads `file`; an empty resourcePrefix gives bare names", () => {
    const cs = yamlV2Children("kubernetes:yaml/v2:ConfigFile", "cf", PARENT.replace("ConfigGroup::cg", "ConfigFile::cf"), { file: "m/a.yaml", resourcePrefix: "" }, dir);
    expect(cs.map((c) => c.name)).toEqual(["ci/a"]);
  });

  test("nothing is registered while an input is unknown (the provider's incomplete preview)", () => {
    expect(yamlV2Children("kubernetes:yaml/v2:ConfigGroup", "cg", PARENT, { yaml: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, dir)).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ["an unreadable file", { files: ["m/missing.yaml"] }, "kubernetes:yaml/v2:ConfigGroup cg: file m/missing.yaml cannot be read (ENOENT: no such file or directory, open '<dir>/m/missing.yaml'). Fix: give a path relative to the program's directory."],
    ["a pattern matching nothing", { files: ["m/*.yml"] }, "kubernetes:yaml/v2:ConfigGroup cg: file m/*.yml matches no file (resolved against <dir>)."],
    ["a URL", { files: ["https://example.com/x.yaml"] }, "kubernetes:yaml/v2:ConfigGroup cg: file https://example.com/x.yaml is a URL; the offline check cannot fetch it. Fix: vendor the manifest next to the program."],
    ["an object without a name", { yaml: "apiVersion: v1\nkind: ConfigMap\n" }, 'kubernetes:yaml/v2:ConfigGroup cg: Kubernetes resources require a .metadata.name: {"apiVersion":"v1","kind":"ConfigMap"}'],
    ["an object without a kind", { yaml: "apiVersion: v1\nmetadata: {name: x}\n" }, 'kubernetes:yaml/v2:ConfigGroup cg: Kubernetes resources require a kind and apiVersion: {"apiVersion":"v1","metadata":{"name":"x"}}'],
    ["YAML that does not parse", { yaml: "a: [1, 2\n" }, "kubernetes:yaml/v2:ConfigGroup cg (yaml): the YAML does not parse: "],
  ])("refuses %s", (_l, inputs, msg) => {
    let err: unknown;
    try {
      yamlV2Children("kubernetes:yaml/v2:ConfigGroup", "cg", PARENT, inputs, dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProgramError);
    const text = (err as Error).message.split(dir).join("<dir>");
    if (msg.endsWith("does not parse: ")) expect(text.startsWith(msg)).toBe(true);
    else expect(text).toBe(msg);
  });

  test("decodeManifests skips empty documents", () => {
    expect(decodeManifests("---\n---\na: 1\n---\n", "t")).toEqual([{ a: 1 }]);
  });
});

describe("kubernetesAutoname (the provider names objects without metadata.name during preview)", () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ["kubernetes:core/v1:ConfigMap", { metadata: { namespace: "ci" } }, true],
    ["kubernetes:core/v1:ConfigMap", {}, true],
    ["kubernetes:core/v1:ConfigMap", { metadata: { name: "given" } }, false],
    ["kubernetes:core/v1:ConfigMap", { metadata: { generateName: "g-" } }, false],
    ["kubernetes:apps/v1:DeploymentPatch", { metadata: {} }, false],
    ["kubernetes:yaml/v2:ConfigGroup", {}, false],
    ["kubernetes:helm.sh/v3:Release", {}, false],
    ["aws:s3/bucketV2:BucketV2", {}, false],
  ])("%s %j → named: %s", (type, inputs, named) => {
    const n = kubernetesAutoname(type, "cm", inputs);
    if (named) expect(n).toMatch(/^cm-[0-9a-f]{8}$/);
    else expect(n).toBeUndefined();
  });
  test("stable for the same resource, distinct across names", () => {
    expect(kubernetesAutoname("kubernetes:core/v1:ConfigMap", "a", {})).toBe(kubernetesAutoname("kubernetes:core/v1:ConfigMap", "a", {}));
    expect(kubernetesAutoname("kubernetes:core/v1:ConfigMap", "a", {})).not.toBe(kubernetesAutoname("kubernetes:core/v1:ConfigMap", "b", {}));
  });
});
