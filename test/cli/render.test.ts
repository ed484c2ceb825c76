import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/catalog-fixtures";
import { validateKubernetesObject } from "../helpers/k8s-schema";

describe("goguard render", () => {
  let out: string;
  beforeEach(() => (out = tempDir("render")));
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  test("writes one YAML file per Kubernetes object (valid against the API schemas) and a summary", async () => {
    const program = path.join(__dirname, "../programs/corpus/compliant-lookalikes.ts");
    const r = await runCli("render", "--stack", "prod", "--out", out, "--program", program);
    expect(r).toEqual({ code: 0, stdout: `wrote 2 file(s) to ${out}\n  kubernetes/cronjob-ci-nightly.yaml\n  summary.json\n`, stderr: "" });
    const obj = parse(fs.readFileSync(path.join(out, "kubernetes/cronjob-ci-nightly.yaml"), "utf8"));
    expect(obj.apiVersion).toBe("batch/v1");
    expect(obj.kind).toBe("CronJob");
    expect(obj.metadata).toEqual({ namespace: "ci", name: "nightly" });
    const env = obj.spec.jobTemplate.spec.template.spec.containers[0].env;
    expect(env.find((e: { name: string }) => e.name === "FEATURE_GOSSIP").value).toBe("off");
    expect(env.find((e: { name: string }) => e.name === "CGO_ENABLED").value).toBe("0");
    expect(() => validateKubernetesObject(obj)).not.toThrow();
    const summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
    expect(summary).toMatchObject({ stack: "prod", ok: true, error: null });
    // Only the stack-level advisory about the lock's unrecorded signatures (from prod's policy config), nothing on the program's objects.
    expect(summary.violations.map((v: { policyName: string; urn: string }) => [v.policyName, v.urn])).toEqual([["go-archive-signature", ""]]);
    expect(summary.resources.map((x: { type: string }) => x.type)).toEqual(["pulumi:pulumi:Stack", "kubernetes:batch/v1:CronJob"]);
  });

  test("a second render into its own directory replaces exactly what the first wrote; other files stay", async () => {
    const corpus = path.join(__dirname, "../programs/corpus");
    expect((await runCli("render", "--stack", "prod", "--out", out, "--program", path.join(corpus, "compliant-lookalikes.ts"))).code).toBe(0);
    fs.writeFileSync(path.join(out, "notes.txt"), "mine");
    const r = await runCli("render", "--stack", "prod", "--out", out, "--program", path.join(corpus, "configmap-wildcard-nosumdb.ts"));
    expect(r).toEqual({ code: 1, stdout: `wrote 2 file(s) to ${out}\n  kubernetes/configmap-ci-go-env.yaml\n  summary.json\n`, stderr: "" });
    expect(fs.readdirSync(out).sort()).toEqual([".goguard-render.json", "kubernetes", "notes.txt", "summary.json"]);
    expect(fs.readdirSync(path.join(out, "kubernetes"))).toEqual(["configmap-ci-go-env.yaml"]);
    expect(JSON.parse(fs.readFileSync(path.join(out, ".goguard-render.json"), "utf8"))).toEqual({ goguardRender: 1, stack: "prod", files: ["kubernetes/configmap-ci-go-env.yaml", "summary.json"] });
  });

  test("a manifest naming files outside the directory deletes nothing there", async () => {
    const outside = path.join(path.dirname(out), `${path.basename(out)}-victim`);
    fs.writeFileSync(outside, "keep");
    try {
      fs.writeFileSync(path.join(out, ".goguard-render.json"), JSON.stringify({ goguardRender: 1, stack: "prod", files: [`../${path.basename(outside)}`, "/etc/hostname-not-really"] }));
      const r = await runCli("render", "--stack", "prod", "--out", out, "--program", path.join(__dirname, "../programs/corpus/compliant-lookalikes.ts"));
      expect(r.code).toBe(0);
      expect(fs.readFileSync(outside, "utf8")).toBe("keep");
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });

  test("the shipped prod stack renders its summary with the locked toolchain", async () => {
    const r = await runCli("render", "--stack", "prod", "--out", out);
    expect(r.code).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
    expect(summary.outputs.goVersion).toBe("1.26.7");
    expect(summary.outputs.archives.map((a: { platform: string; sha256: string }) => [a.platform, a.sha256])).toEqual([
      ["linux/amd64", "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca"],
      ["linux/arm64", "5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37"],
    ]);
  });

  test.each(["dev", "staging", "prod"])("the shipped %s stack renders YAML that parses and validates against the Kubernetes schemas", async (stack) => {
    const r = await runCli("render", "--stack", stack, "--out", out);
    expect(r.code).toBe(0);
    const files = fs.readdirSync(path.join(out, "kubernetes")).sort();
    expect(files).toEqual(expect.arrayContaining(["deployment-goproxy-athens.yaml", "namespace-goproxy.yaml", "networkpolicy-goproxy-athens.yaml", "configmap-builds-go-env.yaml"]));
    for (const f of files) {
      const obj = parse(fs.readFileSync(path.join(out, "kubernetes", f), "utf8"));
      expect(() => validateKubernetesObject(obj)).not.toThrow();
    }
    // One multi-platform builder image; outside dev also the one-line copy of the Athens image.
    expect(fs.readdirSync(path.join(out, "dockerfiles")).sort()).toEqual(stack === "dev" ? ["go-dev-builder-image.Dockerfile"] : [`go-${stack}-athens-image-copy.Dockerfile`, `go-${stack}-builder-image.Dockerfile`]);
  });

  test("a directory as --config is a usage error saying what to give", async () => {
    expect(await runCli("render", "--stack", "prod", "--config", os.tmpdir(), "--out", out)).toEqual({ code: 2, stdout: "", stderr: `goguard: stack config ${os.tmpdir()} is a directory; give a stack config file (Pulumi.<stack>.yaml, such as stacks/Pulumi.prod.yaml)\n` });
  });

  test("an unknown stack is a usage error", async () => {
    expect(await runCli("render", "--stack", "qa", "--out", out)).toEqual({ code: 2, stdout: "", stderr: 'goguard: --stack: unknown stack "qa"; use one of dev, staging, prod\n' });
  });
});
