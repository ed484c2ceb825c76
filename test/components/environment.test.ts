// GoEnvironment under mocks, from the plans of the shipped stack files (and variations of them):
// every registered resource and the inputs that matter for the new ones (ElastiCache, its network,
// the generated token, consumer namespaces, the Ingress, explicit providers).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as aws from "@pulumi/aws";
import * as dockerbuild from "@pulumi/docker-build";
import * as random from "@pulumi/random";
import { outputOf, recordResources, Recorded, settled } from "../helpers/mocks";
import { GoEnvironment, GoEnvironmentArgs, proxyArgsOf } from "../../components/environment";
import { EnvironmentPlan, resolvePlan } from "../../components/environment/plan";
import { ElastiCacheRedis, elastiCacheProblems } from "../../components/environment/elasticache";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { parseLock } from "../../components/toolchain/lock";
import { parseStackConfig } from "../../stacks/config";
import { readStackConfig, stackConfigPath } from "../../cli/stack-files";
import { tempDir } from "../helpers/catalog-fixtures";

const rec = recordResources();
const catalog = bundledCatalog();
const lock = parseLock(JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8")));
const PROXY = "http://athens.goproxy.svc.cluster.local";
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

/** The plan of a shipped stack file, with some goguard:* values replaced (JSON text as Pulumi hands them over). */
function plan(env: "dev" | "staging" | "prod", over: Record<string, string | undefined> = {}, secretKeys: string[] = []): EnvironmentPlan {
  const config = { ...readStackConfig(stackConfigPath(env), "goguard").config };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete config[`goguard:${k}`];
    else config[`goguard:${k}`] = v;
  }
  return resolvePlan(lock, parseStackConfig({ stack: env, config, secretKeys }), catalog);
}

const outDirs: string[] = [];
afterAll(() => outDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function args(p: EnvironmentPlan, extra: Partial<GoEnvironmentArgs> = {}): GoEnvironmentArgs {
  const outDir = tempDir("env");
  outDirs.push(outDir);
  return { plan: p, outDir, workDir: path.join(__dirname, "../../stacks"), ...extra };
}

async function created(name: string, a: GoEnvironmentArgs, opts?: pulumi.ComponentResourceOptions): Promise<{ env: GoEnvironment; resources: Recorded[] }> {
  const n = rec.resources.length;
  const env = new GoEnvironment(name, a, opts);
  await outputOf(env.proxyUrl);
  await outputOf(env.goEnv);
  await settled();
  return { env, resources: rec.resources.slice(n) };
}

const count = (types: string[]) => types.reduce<Record<string, number>>((m, t) => ({ ...m, [t]: (m[t] ?? 0) + 1 }), {});
const by = (rs: Recorded[], name: string) => {
  const r = rs.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name} among ${rs.map((x) => x.name).join(", ")}`);
  return r;
};
const unwrap = (v: any) => (v && typeof v === "object" && SECRET["4dabf18193072939515e22adb298388d"] === v["4dabf18193072939515e22adb298388d"] ? v.value : v);

const PROXY_COMMON = {
  "goguard:index:GoModuleProxy": 1, "kubernetes:core/v1:ServiceAccount": 1, "kubernetes:apps/v1:Deployment": 1, "kubernetes:core/v1:Service": 1, "kubernetes:networking.k8s.io/v1:NetworkPolicy": 1,
  // goproxy (created, restricted) and the consumer namespace builds (created, labelled).
  "kubernetes:core/v1:Namespace": 2, "kubernetes:core/v1:ConfigMap": 2,
};
const CLOUD = {
  "aws:ecr/repository:Repository": 2, "aws:ecr/lifecyclePolicy:LifecyclePolicy": 1, "docker-build:index:Image": 2, "goguard:index:MirroredImage": 1,
  "aws:s3/bucket:Bucket": 1, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
  "aws:s3/bucketVersioning:BucketVersioning": 1, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1, "aws:iam/role:Role": 1, "aws:iam/rolePolicy:RolePolicy": 1,
};

describe("GoEnvironment from the plan", () => {
  test.each<["dev" | "staging" | "prod", Record<string, number>]>([
    ["dev", { "goguard:index:GoEnvironment": 1, "goguard:index:GoBuildImage": 1, "docker-build:index:Image": 1, "kubernetes:core/v1:PersistentVolumeClaim": 1, ...PROXY_COMMON }],
    ["staging", { "goguard:index:GoEnvironment": 1, "goguard:index:GoBuildImage": 1, ...CLOUD, ...PROXY_COMMON }],
    ["prod", {
      "goguard:index:GoEnvironment": 1, "goguard:index:GoBuildImage": 1, ...CLOUD, ...PROXY_COMMON,
      "kubernetes:policy/v1:PodDisruptionBudget": 1, "kubernetes:core/v1:Secret": 1,
      "goguard:index:ElastiCacheRedis": 1, "random:index/randomPassword:RandomPassword": 1, "aws:elasticache/subnetGroup:SubnetGroup": 1, "aws:ec2/securityGroup:SecurityGroup": 1,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1, "aws:elasticache/replicationGroup:ReplicationGroup": 1,
    }],
  ])("%s composes exactly these resources", async (env, expected) => {
    const { env: e, resources } = await created(`env-${env}`, args(plan(env)));
    expect(count(resources.map((r) => r.type))).toEqual(expected);
    expect(await outputOf(e.goVersion)).toBe("1.26.7");
    expect(await outputOf(e.goEnv)).toMatchObject({ GOPROXY: PROXY, GOTOOLCHAIN: "local" });
    expect(Object.keys(await outputOf(e.sha256))).toEqual(["linux/amd64", "linux/arm64"]);
  });

  test("prod's single-flight: an ElastiCache replication group with TLS, at-rest encryption and a generated secret token, in the configured subnets, open only to the node security group; Athens gets the rediss:// URL through a Secret", async () => {
    const { resources } = await created("sf", args(plan("prod")));
    expect(by(resources, "sf-single-flight-auth-token").inputs).toEqual({ length: 64, special: false, minLower: 1, minUpper: 1, minNumeric: 1 });
    expect(by(resources, "sf-single-flight-subnets").inputs).toEqual({ description: "Athens single-flight Redis (GoGuard)", subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"] });
    expect(by(resources, "sf-single-flight-sg").inputs).toEqual({ vpcId: "vpc-0123456789abcdef0", description: "Athens single-flight Redis (GoGuard): the Redis port from the cluster's nodes only", revokeRulesOnDelete: true });
    expect(by(resources, "sf-single-flight-from-sg-0123456789abcdef0").inputs).toEqual({ securityGroupId: "sf-single-flight-sg-id", referencedSecurityGroupId: "sg-0123456789abcdef0", ipProtocol: "tcp", fromPort: 6379, toPort: 6379, description: "Redis from the cluster's nodes" });
    const rg = by(resources, "sf-single-flight-redis").inputs;
    const token = `generated${unwrap(rg.authToken).slice("generated".length)}`;
    expect({ ...rg, authToken: unwrap(rg.authToken) }).toEqual({
      description: "Athens single-flight (GoGuard)",
      engine: "redis",
      engineVersion: "7.1",
      nodeType: "cache.t4g.small",
      port: 6379,
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      subnetGroupName: by(resources, "sf-single-flight-subnets").inputs.name ?? "sf-single-flight-subnets-1234567",
      securityGroupIds: ["sf-single-flight-sg-id"],
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: token,
      autoMinorVersionUpgrade: true,
      snapshotRetentionLimit: 0,
    });
    expect(rg.authToken).toMatchObject(SECRET);
    const secret = by(resources, "sf-proxy-redis").inputs;
    expect(secret.data).toMatchObject(SECRET);
    expect(Buffer.from(unwrap(secret.data).endpoint, "base64").toString("utf8")).toBe(`rediss://:${token}@master.sf-single-flight-redis.abc123.euw1.cache.amazonaws.com:6379`);
    const container = by(resources, "sf-proxy-deployment").inputs.spec.template.spec.containers[0];
    expect(container.env.filter((e: { name: string }) => e.name.startsWith("ATHENS_REDIS"))).toEqual([{ name: "ATHENS_REDIS_ENDPOINT", valueFrom: { secretKeyRef: { name: "athens-redis", key: "endpoint" } } }]);
    expect(JSON.stringify(by(resources, "sf-proxy-deployment").inputs)).not.toContain(token);
    expect(by(resources, "sf-proxy-netpol").inputs.spec.egress.map((e: any) => e.ports.map((p: any) => `${p.protocol}/${p.port}`).join(","))).toEqual(["UDP/53,TCP/53", "TCP/443", "TCP/6379"]);
  });

  test("an auth token from config replaces the generated one (no random password)", async () => {
    const { resources } = await created("tok", args(plan("prod", { redisPassword: "(secure)" }, ["goguard:redisPassword"]), { redisPassword: pulumi.secret("0123456789abcdefXYZ") }));
    expect(resources.filter((r) => r.type.startsWith("random:"))).toEqual([]);
    expect(unwrap(by(resources, "tok-single-flight-redis").inputs.authToken)).toBe("0123456789abcdefXYZ");
    expect(Buffer.from(unwrap(by(resources, "tok-proxy-redis").inputs.data).endpoint, "base64").toString("utf8")).toBe("rediss://:0123456789abcdefXYZ@master.tok-single-flight-redis.abc123.euw1.cache.amazonaws.com:6379");
  });

  test("a declared Redis: no AWS cache resources; its URL (TLS from rediss://, the password percent-encoded) through the Secret", async () => {
    const p = plan("prod", { elasticache: undefined, redisEndpoint: "rediss://redis.corp.example:6380", redisPassword: "(secure)" }, ["goguard:redisPassword"]);
    const { resources } = await created("decl", args(p, { redisPassword: pulumi.secret("p@ss/word") }));
    expect(resources.filter((r) => r.type.startsWith("aws:elasticache") || r.type.startsWith("random:"))).toEqual([]);
    expect(Buffer.from(unwrap(by(resources, "decl-proxy-redis").inputs.data).endpoint, "base64").toString("utf8")).toBe("rediss://:p%40ss%2Fword@redis.corp.example:6380");
    expect(by(resources, "decl-proxy-netpol").inputs.spec.egress[2]).toEqual({ ports: [{ protocol: "TCP", port: 6380 }] });
  });

  test.each<[string, Record<string, string>, string, Record<string, unknown>]>([
    ["created", {}, "kubernetes:core/v1:Namespace", { metadata: { name: "builds", labels: { "goguard.dev/go-consumer": "true" } } }],
    ["adopted (the label applied by a server-side apply patch)", { adoptConsumerNamespaces: "true" }, "kubernetes:core/v1:NamespacePatch", { metadata: { name: "builds", labels: { "goguard.dev/go-consumer": "true" } } }],
  ])("consumer namespaces %s carry the NetworkPolicy's label", async (_n, over, type, inputs) => {
    const { resources } = await created(`ns-${type.slice(-5)}`, args(plan("staging", over)));
    const ns = resources.filter((r) => r.name.endsWith("-consumer-builds"));
    expect(ns.map((r) => [r.type, r.inputs])).toEqual([[type, { apiVersion: "v1", kind: "Namespace", ...inputs }]]);
    const np = resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")!.inputs;
    expect(np.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ "goguard.dev/go-consumer": "true" });
  });

  test("an external URL served by an Ingress the component creates: TLS from cert-manager, the one URL published everywhere", async () => {
    const p = plan("staging", { proxyUrl: "https://goproxy.corp.example", proxyIngress: JSON.stringify({ clusterIssuer: "letsencrypt" }) });
    const { env, resources } = await created("ing", args(p));
    const ing = by(resources, "ing-proxy-ingress");
    expect(ing.type).toBe("kubernetes:networking.k8s.io/v1:Ingress");
    expect(ing.inputs.spec.tls).toEqual([{ hosts: ["goproxy.corp.example"], secretName: "athens-tls" }]);
    expect(ing.inputs.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt");
    expect(await outputOf(env.proxyUrl)).toBe("https://goproxy.corp.example");
    for (const cm of resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap")) expect(cm.inputs.data.GOPROXY).toBe("https://goproxy.corp.example");
    expect(by(resources, "ing-builder-image").inputs.buildArgs.GOPROXY).toBe("https://goproxy.corp.example");
  });

  test.each<[string, "dev" | "staging" | "prod", Record<string, string>, { protect: boolean; retainOnDelete: boolean }]>([
    ["dev", "dev", {}, { protect: false, retainOnDelete: false }],
    ["staging", "staging", {}, { protect: false, retainOnDelete: true }],
    ["staging asking for protection", "staging", { protect: "true" }, { protect: true, retainOnDelete: true }],
    ["prod", "prod", {}, { protect: true, retainOnDelete: true }],
  ])("protection is a knob of the plan handed to the proxy: %s", (_n, env, over, expected) => {
    const p = plan(env, over);
    expect(p.protection).toEqual(expected);
    expect(proxyArgsOf(p)).toMatchObject(expected);
  });

  const EC = { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], clientSecurityGroupIds: ["sg-0123456789abcdef0"], nodeType: "cache.t4g.small" };
  test.each<[string, Partial<typeof EC> & { authToken?: unknown }, string[]]>([
    ["the shipped values", {}, []],
    ["one subnet", { subnetIds: ["subnet-0123456789abcdef0"] }, ["subnetIds: 1 subnet(s); the replica fails over to another availability zone: give at least 2"]],
    ["no client security group and a bad VPC", { vpcId: "vpc-x", clientSecurityGroupIds: [] }, ['vpcId: "vpc-x" is not a VPC id (vpc-…)', "clientSecurityGroupIds: empty; nothing could reach the Redis: give the cluster's node security groups"]],
    ["a plain-text token", { authToken: "0123456789abcdefXYZ" }, ["authToken: given as plain text; pass a Pulumi secret (pulumi config set --secret goguard:redisPassword …)"]],
  ])("ElastiCacheRedis args: %s", async (_n, over, expected) => {
    const a = { ...EC, ...over } as Parameters<typeof elastiCacheProblems>[0];
    expect(elastiCacheProblems(a)).toEqual(expected);
    if (expected.length === 0) return;
    const n = rec.resources.length;
    expect(() => new ElastiCacheRedis(`bad-${_n.replace(/\W+/g, "-")}`, a)).toThrow(`ElastiCacheRedis bad-${_n.replace(/\W+/g, "-")}: ${expected.join("\n")}`);
    await settled();
    expect(rec.resources.slice(n).map((r) => r.type)).toEqual(["goguard:index:ElastiCacheRedis"]);
  });

  test("with explicit providers, every custom resource is registered with one (nothing left to a default provider)", async () => {
    const providers = {
      kubernetes: new k8s.Provider("p-kubernetes", { kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n") }),
      aws: new aws.Provider("p-aws", { region: "eu-west-1" }),
      "docker-build": new dockerbuild.Provider("p-docker-build", {}),
      random: new random.Provider("p-random", {}),
    };
    const { resources } = await created("prov", args(plan("prod")), { providers });
    const custom = resources.filter((r) => !r.type.startsWith("goguard:") && !r.type.startsWith("pulumi:providers:"));
    expect(custom.length).toBe(27);
    expect(custom.filter((r) => r.provider === undefined).map((r) => r.name)).toEqual([]);
    const pkg = (r: Recorded) => r.type.split(":")[0];
    for (const r of custom) expect(r.provider).toMatch(new RegExp(`::pulumi:providers:${pkg(r)}::p-${pkg(r)}::`));
  });
});
