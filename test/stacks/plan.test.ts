// The environment plan (pure) for the shipped stacks and variations, and what it decides through
// the real CLI: one proxy URL everywhere (issue 13 item 8), and no resource on a default provider
// where the stack disables them (item 4).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import { parse } from "yaml";
import { resolvePlan, PlanError } from "../../components/environment/plan";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { parseLock } from "../../components/toolchain/lock";
import { parseStackConfig } from "../../stacks/config";
import { readStackConfig, stackConfigPath } from "../../cli/stack-files";
import { defaultProviderViolations } from "../../cli/harness/program";
import { CapturedResource } from "../../cli/harness/types";
import { runCli } from "../helpers/cli";

const ROOT = path.join(__dirname, "../..");
const lock = parseLock(JSON.parse(fs.readFileSync(path.join(ROOT, "stacks/toolchain.lock.json"), "utf8")));
const SERVICE = "http://athens.goproxy.svc.cluster.local";
const EXTERNAL = "https://goproxy.corp.example";

function settings(env: "dev" | "staging" | "prod", over: Record<string, string | undefined> = {}) {
  const config = { ...readStackConfig(stackConfigPath(env), "goguard").config };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete config[`goguard:${k}`];
    else config[`goguard:${k}`] = v;
  }
  return parseStackConfig({ stack: env, config, secretKeys: [] });
}
const plan = (env: "dev" | "staging" | "prod", over: Record<string, string | undefined> = {}) => resolvePlan(lock, settings(env, over), bundledCatalog());

describe("resolvePlan", () => {
  test.each<["dev" | "staging" | "prod", Record<string, unknown>]>([
    ["dev", {
      replicas: 1, storage: { kind: "disk", size: "20Gi" }, singleFlight: { kind: "none" }, protection: { protect: false, retainOnDelete: false },
      registry: { kind: "local", builderRepository: "goguard/go-builder" }, athens: { productionMode: false, strictSpread: false },
      providers: { kubernetes: { kind: "render", directory: ".goguard-build/dev/k8s" } }, consumerNamespaces: { names: ["builds"], mode: "create" },
    }],
    ["staging", {
      replicas: 1, storage: { kind: "s3", bucketName: "acme-goproxy-staging", region: "eu-west-1" }, singleFlight: { kind: "none" }, protection: { protect: false, retainOnDelete: true },
      registry: { kind: "ecr", builderRepository: "goguard/go-builder-staging", proxyRepository: "goguard/athens-staging" }, athens: { productionMode: true, strictSpread: false },
      providers: { kubernetes: { kind: "stack", stack: "acme/eks-cluster/staging", output: "kubeconfig" }, aws: { region: "eu-west-1" } }, consumerNamespaces: { names: ["builds"], mode: "create" },
    }],
    ["prod", {
      replicas: 2, storage: { kind: "s3", bucketName: "acme-goproxy-prod", region: "eu-west-1" }, protection: { protect: true, retainOnDelete: true },
      singleFlight: { kind: "redis", source: "elasticache", port: 6379, tls: true, authToken: "generated", vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], clientSecurityGroupIds: ["sg-0123456789abcdef0"], nodeType: "cache.t4g.small" },
      registry: { kind: "ecr", builderRepository: "goguard/go-builder-prod", proxyRepository: "goguard/athens-prod" }, athens: { productionMode: true, strictSpread: true },
      providers: { kubernetes: { kind: "stack", stack: "acme/eks-cluster/prod", output: "kubeconfig" }, aws: { region: "eu-west-1" } }, consumerNamespaces: { names: ["builds"], mode: "create" },
    }],
  ])("the shipped %s stack", (env, expected) => {
    const p = plan(env);
    expect(p).toMatchObject(expected);
    expect(p.proxy).toEqual({ name: "athens", namespace: "goproxy", url: SERVICE, serviceUrl: SERVICE, exposure: { kind: "service" } });
    // One URL: the Go env baseline and the policy read the plan's.
    expect(p.goEnv.GOPROXY).toBe(SERVICE);
    expect(p.policy.proxies).toEqual([SERVICE]);
  });

  test.each<[string, Record<string, string | undefined>, unknown]>([
    ["no proxyUrl: the Service", { proxyUrl: undefined }, { url: SERVICE, exposure: { kind: "service" } }],
    ["an external URL the user serves", { proxyUrl: EXTERNAL }, { url: EXTERNAL, exposure: { kind: "external", host: "goproxy.corp.example" } }],
    ["an external URL through GoGuard's Ingress", { proxyUrl: EXTERNAL, proxyIngress: '{"tlsSecretName":"goproxy-tls"}' }, { url: EXTERNAL, exposure: { kind: "ingress", host: "goproxy.corp.example", className: "nginx", tls: { secretName: "goproxy-tls" }, controllerNamespace: "ingress-nginx" } }],
  ])("proxy exposure: %s", (_n, over, expected) => {
    const p = plan("staging", over);
    expect(p.proxy).toMatchObject(expected as object);
    expect([p.goEnv.GOPROXY, ...p.policy.proxies]).toEqual([p.proxy.url, p.proxy.url]);
  });

  test("one URL, whatever the stack says: the plan's url is goguard:proxyUrl, and the Go env, the policy and the exposure's host all follow it", () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom("corp.example", "example.com", "acme.io"), fc.boolean(), (labels, domain, ingress) => {
        const host = `${labels.join(".")}.${domain}`;
        const url = `https://${host}`;
        const p = plan("staging", { proxyUrl: url, ...(ingress ? { proxyIngress: '{"clusterIssuer":"letsencrypt"}' } : {}) });
        expect([p.proxy.url, p.goEnv.GOPROXY, p.goEnv.GOSUMDB, p.policy.proxies]).toEqual([url, url, `sum.golang.org ${url}/sumdb/sum.golang.org`, [url]]);
        expect(p.proxy.exposure).toMatchObject({ kind: ingress ? "ingress" : "external", host });
      }),
      { numRuns: 100 },
    );
  });

  test("an in-cluster URL that is not the proxy's Service is refused (builds would go to another service)", () => {
    expect(() => plan("staging", { proxyUrl: "http://other.goproxy.svc.cluster.local" })).toThrow(
      new PlanError([
        'goguard:proxyUrl "http://other.goproxy.svc.cluster.local" names an in-cluster service that is not the proxy\'s; the proxy\'s Service is http://athens.goproxy.svc.cluster.local: set goguard:proxyUrl to it (or remove the key), or to the external https:// URL that serves the proxy',
      ]),
    );
  });

  test("a declared Redis: its address, TLS from the scheme, no password unless configured", () => {
    expect(plan("prod", { elasticache: undefined, redisEndpoint: "rediss://redis.corp.example:6380" }).singleFlight).toEqual({ kind: "redis", source: "declared", address: "redis.corp.example:6380", tls: true, password: "none" });
    expect(plan("prod", { elasticache: undefined, redisEndpoint: "redis.corp.example:6379" }).singleFlight).toEqual({ kind: "redis", source: "declared", address: "redis.corp.example:6379", tls: false, password: "none" });
  });

  test("adopting consumer namespaces and protecting staging are settings of the plan", () => {
    const p = plan("staging", { adoptConsumerNamespaces: "true", protect: "true" });
    expect([p.consumerNamespaces, p.protection]).toEqual([{ names: ["builds"], mode: "adopt" }, { protect: true, retainOnDelete: true }]);
  });
});

describe("default providers disabled (the engine's refusal, reproduced offline)", () => {
  const res = (type: string, name: string, provider = "", custom = true, parent = ""): CapturedResource => ({
    type, name, urn: `urn:pulumi:prod::goguard::${type}::${name}`, id: `${name}-id`, custom, parent, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {}, provider,
    options: { protect: false, retainOnDelete: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { create: 0, update: 0, delete: 0 } },
  });
  const resources = [
    res("pulumi:pulumi:Stack", "goguard-prod", "", false),
    res("pulumi:providers:aws", "prod-aws"),
    res("goguard:index:GoEnvironment", "go-prod", "", false),
    res("aws:s3/bucket:Bucket", "on-explicit", "urn:pulumi:prod::goguard::pulumi:providers:aws::prod-aws::prod-aws-id"),
    res("aws:s3/bucket:Bucket", "on-default"),
    res("kubernetes:core/v1:ConfigMap", "cm-default"),
  ];
  const bucket = "Default provider for 'aws' disabled. 'urn:pulumi:prod::goguard::aws:s3/bucket:Bucket::on-default' must use an explicit provider (opts.provider, or a parent's providers map).";
  const cm = "Default provider for 'kubernetes' disabled. 'urn:pulumi:prod::goguard::kubernetes:core/v1:ConfigMap::cm-default' must use an explicit provider (opts.provider, or a parent's providers map).";
  const invoke = "Default provider for 'aws' disabled. The invoke 'aws:ecr/getAuthorizationToken:getAuthorizationToken' must use an explicit provider (opts.provider, or opts.parent with a providers map).";
  test.each<[string, Record<string, string>, string[]]>([
    ["not set", {}, []],
    ["every package", { "pulumi:disable-default-providers": '["*"]' }, [bucket, cm, invoke]],
    ["one package", { "pulumi:disable-default-providers": '["kubernetes"]' }, [cm]],
    ["an empty list", { "pulumi:disable-default-providers": "[]" }, []],
    ["not a list", { "pulumi:disable-default-providers": "*" }, ['pulumi:disable-default-providers must be a list of package names (or "*"); got "*"']],
  ])("%s", (_n, config, expected) => {
    expect(defaultProviderViolations(config, resources, ["aws:ecr/getAuthorizationToken:getAuthorizationToken"])).toEqual(expected);
  });
});

describe("through the CLI", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-plan-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const prodWith = (edit: (t: string) => string): string => {
    const f = path.join(dir, "Pulumi.prod.yaml");
    fs.writeFileSync(f, edit(fs.readFileSync(stackConfigPath("prod"), "utf8")));
    return f;
  };
  const external = (t: string) => t.replace(`goguard:proxyUrl: ${SERVICE}`, `goguard:proxyUrl: ${EXTERNAL}`);

  test("prod's proxyUrl set to an external URL: every published GOPROXY is that URL, and the stack passes its own policies", async () => {
    const config = prodWith(external);
    expect(fs.readFileSync(config, "utf8")).toContain(`goguard:proxyUrl: ${EXTERNAL}\n`);
    const r = await runCli("check", "--stack", "prod", "--config", config, "--format", "json");
    const doc = JSON.parse(r.stdout);
    expect(doc.stacks[0].error).toBeNull();
    expect(doc.stacks[0].violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(r.code).toBe(0);

    const out = path.join(dir, "out");
    expect((await runCli("render", "--stack", "prod", "--config", config, "--out", out)).code).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
    expect([summary.outputs.proxyUrl, summary.outputs.publishedGoEnv.GOPROXY]).toEqual([EXTERNAL, EXTERNAL]);
    expect(summary.images.map((i: { name: string; buildArgs: Record<string, string> }) => [i.name, i.buildArgs.GOPROXY ?? null]).sort()).toEqual([
      ["go-prod-athens-image-copy", null],
      ["go-prod-builder-image", EXTERNAL],
    ]);
    const configMaps = fs.readdirSync(path.join(out, "kubernetes")).filter((f) => f.startsWith("configmap-")).map((f) => parse(fs.readFileSync(path.join(out, "kubernetes", f), "utf8")));
    expect(configMaps.map((c) => [c.metadata.namespace, c.data.GOPROXY, c.data.GOSUMDB])).toEqual([
      ["builds", EXTERNAL, `sum.golang.org ${EXTERNAL}/sumdb/sum.golang.org`],
      ["goproxy", EXTERNAL, `sum.golang.org ${EXTERNAL}/sumdb/sum.golang.org`],
    ]);
    const builder = fs.readFileSync(path.join(out, "dockerfiles", "go-prod-builder-image.Dockerfile"), "utf8");
    expect(builder).toContain(`GOPROXY="${EXTERNAL}"`);
    // The old in-cluster URL is nowhere a GOPROXY any more.
    for (const f of [path.join(out, "summary.json"), ...fs.readdirSync(path.join(out, "kubernetes")).map((f) => path.join(out, "kubernetes", f))]) expect(fs.readFileSync(f, "utf8")).not.toMatch(/GOPROXY"?:? "?http:\/\/athens/);
  }, 90_000);

  test("staging served by GoGuard's Ingress (cert-manager TLS) passes its own policies, the Ingress among its resources", async () => {
    const f = path.join(dir, "Pulumi.staging.yaml");
    fs.writeFileSync(f, fs.readFileSync(stackConfigPath("staging"), "utf8").replace(`goguard:proxyUrl: ${SERVICE}\n`, `goguard:proxyUrl: ${EXTERNAL}\n  goguard:proxyIngress:\n    clusterIssuer: letsencrypt\n`));
    const out = path.join(dir, "out");
    const r = await runCli("render", "--stack", "staging", "--config", f, "--out", out);
    expect(r.code).toBe(0);
    const ing = parse(fs.readFileSync(path.join(out, "kubernetes", "ingress-goproxy-athens.yaml"), "utf8"));
    expect([ing.spec.rules[0].host, ing.spec.tls, ing.metadata.annotations["cert-manager.io/cluster-issuer"]]).toEqual(["goproxy.corp.example", [{ hosts: ["goproxy.corp.example"], secretName: "athens-tls" }], "letsencrypt"]);
    const summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
    expect(summary.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
  }, 90_000);

  test("the shipped prod passes with every resource on an explicit provider (default providers disabled)", async () => {
    const r = await runCli("check", "--stack", "prod", "--format", "json");
    const doc = JSON.parse(r.stdout);
    expect([r.code, doc.stacks[0].error]).toEqual([0, null]);
    expect(doc.stacks[0].violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
  }, 90_000);

  test("prod with a kubeconfig secret instead of the cluster stack: an explicit provider per package, the stack renders without error", async () => {
    const config = prodWith((t) => t.replace("  goguard:clusterStack: acme/eks-cluster/prod\n", "  goguard:kubeconfig:\n    secure: v1:AAAABBBBCCCCDDDD:EEEEFFFFGGGGHHHH\n"));
    expect(fs.readFileSync(config, "utf8")).not.toContain("clusterStack");
    const out = path.join(dir, "out");
    const r = await runCli("render", "--stack", "prod", "--config", config, "--out", out);
    expect(r.code).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, "summary.json"), "utf8"));
    expect(summary.error).toBeNull();
    expect(summary.resources.filter((x: { type: string }) => x.type.startsWith("pulumi:providers:")).map((x: { type: string; name: string }) => `${x.type} ${x.name}`).sort()).toEqual([
      "pulumi:providers:aws prod-aws",
      "pulumi:providers:docker-build prod-docker-build",
      "pulumi:providers:kubernetes prod-kubernetes",
      "pulumi:providers:random prod-random",
    ]);
  }, 90_000);

  test.each<[string, string, string | null]>([
    ["a program on default providers", "default-provider.ts", [
      "Default provider for 'aws' disabled. 'urn:pulumi:prod::goguard::aws:s3/bucketV2:BucketV2::loose-bucket' must use an explicit provider (opts.provider, or a parent's providers map).",
      "Default provider for 'kubernetes' disabled. 'urn:pulumi:prod::goguard::kubernetes:core/v1:ConfigMap::loose-config' must use an explicit provider (opts.provider, or a parent's providers map).",
    ].join("\n")],
    ["the same program on explicit providers", "explicit-provider.ts", null],
  ])("under prod's stack file (default providers disabled): %s", async (_n, program, error) => {
    const r = await runCli("check", "--stack", "prod", "--program", path.join(__dirname, "programs", program), "--config", stackConfigPath("prod"), "--format", "json");
    expect(JSON.parse(r.stdout).stacks[0].error).toBe(error);
  }, 90_000);
});
