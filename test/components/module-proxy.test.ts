import * as pulumi from "@pulumi/pulumi";
import { recordResources, outputOf, settled } from "../helpers/mocks";
import { GoModuleProxy, GoModuleProxyArgs } from "../../components/module-proxy";
import { validateKubernetesObject } from "../helpers/k8s-schema";

const rec = recordResources();
const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/goguard/athens@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";
const OIDC = { providerArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", issuerHost: "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE" };

/** The knobs a dev-, staging- or prod-like proxy gets (the plan decides them in the stack; here they are spelt out). */
function args(kind: "dev" | "staging" | "prod", over: Partial<GoModuleProxyArgs> = {}): GoModuleProxyArgs {
  const cloud = kind !== "dev";
  return {
    image: kind === "dev" ? "docker.io/gomods/athens:v0.18.1" : IMAGE,
    requireImageDigest: cloud,
    productionMode: cloud,
    storage: cloud ? { kind: "s3", bucketName: `acme-goproxy-${kind}`, region: "eu-west-1" } : { kind: "disk", size: "20Gi" },
    replicas: kind === "prod" ? 2 : 1,
    ...(kind === "prod" ? { redis: { address: "master.redis.example.cache.amazonaws.com:6379", port: 6379, tls: true, password: pulumi.secret("hunter2") } } : {}),
    privatePrefixes: ["git.corp.example"],
    ...(cloud ? { oidc: OIDC } : {}),
    consumerNamespaces: ["builds"],
    protect: kind === "prod",
    retainOnDelete: cloud,
    ...over,
  };
}

async function created(name: string, a: GoModuleProxyArgs) {
  const n = rec.resources.length;
  const proxy = new GoModuleProxy(name, a);
  await outputOf(proxy.url);
  await settled();
  return { proxy, resources: rec.resources.slice(n) };
}

describe("GoModuleProxy", () => {
  test("dev: disk storage on a PVC, one replica, no AWS resources", async () => {
    const { resources } = await created("dev", args("dev"));
    // The exact set (registration order follows output resolution, not code order).
    expect(resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "goguard:index:GoModuleProxy dev",
      "kubernetes:core/v1:Namespace dev-ns",
      "kubernetes:core/v1:ServiceAccount dev-sa",
      "kubernetes:core/v1:PersistentVolumeClaim dev-storage",
      "kubernetes:apps/v1:Deployment dev-deployment",
      "kubernetes:core/v1:Service dev-service",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy dev-netpol",
      "kubernetes:core/v1:ConfigMap dev-go-env-goproxy",
      "kubernetes:core/v1:Namespace dev-consumer-builds",
      "kubernetes:core/v1:ConfigMap dev-go-env-builds",
    ].sort());
    const d = resources.find((r) => r.name === "dev-deployment")!.inputs;
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: "Recreate" });
  });

  test("staging: S3 bucket (public access blocked, KMS, versioning, lifecycle) and an IRSA role scoped to this ServiceAccount and bucket", async () => {
    const { resources } = await created("stg", args("staging"));
    expect(resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      "goguard:index:GoModuleProxy stg",
      "kubernetes:core/v1:Namespace stg-ns",
      "aws:s3/bucket:Bucket stg-cache",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock stg-cache-public-access",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration stg-cache-encryption",
      "aws:s3/bucketVersioning:BucketVersioning stg-cache-versioning",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration stg-cache-lifecycle",
      "aws:iam/role:Role stg-irsa",
      "aws:iam/rolePolicy:RolePolicy stg-irsa-s3",
      "kubernetes:core/v1:ServiceAccount stg-sa",
      "kubernetes:apps/v1:Deployment stg-deployment",
      "kubernetes:core/v1:Service stg-service",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy stg-netpol",
      "kubernetes:core/v1:ConfigMap stg-go-env-goproxy",
      "kubernetes:core/v1:Namespace stg-consumer-builds",
      "kubernetes:core/v1:ConfigMap stg-go-env-builds",
    ].sort());
    const by = (n: string) => resources.find((r) => r.name === n)!.inputs;
    expect(by("stg-cache-public-access")).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    const trust = JSON.parse(by("stg-irsa").assumeRolePolicy);
    expect(trust.Statement[0].Condition.StringEquals).toEqual({ [`${OIDC.issuerHost}:sub`]: "system:serviceaccount:goproxy:athens", [`${OIDC.issuerHost}:aud`]: "sts.amazonaws.com" });
    const policy = JSON.parse(by("stg-irsa-s3").policy);
    expect(policy.Statement.map((s: { Action: string[]; Resource: string }) => [s.Action, s.Resource])).toEqual([
      [["s3:ListBucket", "s3:GetBucketLocation"], "arn:aws:s3:::acme-goproxy-staging"],
      [["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], "arn:aws:s3:::acme-goproxy-staging/*"],
    ]);
    expect(by("stg-sa").metadata.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::123456789012:role/stg-irsa");
  });

  test("prod: two replicas with a disruption budget and Redis single-flight; the netrc Secret is mounted, never plain env", async () => {
    // (the Redis URL and the netrc are two Secrets)
    const { proxy, resources } = await created("prd", args("prod", { netrc: pulumi.secret("machine git.corp.example login bot password p") }));
    expect(resources.map((r) => r.type).filter((t) => t.startsWith("kubernetes:")).sort()).toEqual([
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:Secret",
      "kubernetes:core/v1:Secret",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:apps/v1:Deployment",
      "kubernetes:core/v1:Service",
      "kubernetes:policy/v1:PodDisruptionBudget",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:core/v1:ConfigMap",
    ].sort());
    const d = resources.find((r) => r.name === "prd-deployment")!.inputs;
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === "ATHENS_SINGLE_FLIGHT_TYPE").value).toBe("redis");
    expect(JSON.stringify(d)).not.toContain("password p");
    for (const k8sObj of resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "kubernetes:core/v1:Secret")) {
      const [, group, kind] = /^kubernetes:(.+):(\w+)$/.exec(k8sObj.type)!;
      const apiVersion = group.startsWith("core/") ? group.slice(5) : group;
      expect(() => validateKubernetesObject({ ...k8sObj.inputs, apiVersion, kind })).not.toThrow();
    }
    expect(await outputOf(proxy.goEnv)).toMatchObject({ GOPROXY: "http://athens.goproxy.svc.cluster.local", GOTOOLCHAIN: "local" });
  });

  test("credentials: base64 data in Secrets (valid manifests), the netrc mounted by key, the Redis URL with its password only through secretKeyRef; values stay secret", async () => {
    const { resources } = await created("cred", args("prod", { netrc: pulumi.secret("machine git.corp.example login bot password p") }));
    const secrets = resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
    expect(secrets.map((r) => r.name).sort()).toEqual(["cred-netrc", "cred-redis"]);
    // The mock monitor receives the wire form: the provider wraps the whole data map as one secret
    // (the signature key below); unwrapped, it is the manifest as Kubernetes receives it.
    const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
    const by = (n: string) => secrets.find((r) => r.name === n)!.inputs;
    const unwrapped = (n: string) => ({ ...by(n), data: by(n).data.value });
    for (const n of ["cred-netrc", "cred-redis"]) {
      expect(by(n).data).toMatchObject(SECRET);
      expect(() => validateKubernetesObject({ ...unwrapped(n), apiVersion: "v1", kind: "Secret" })).not.toThrow();
    }
    expect(unwrapped("cred-netrc").data).toEqual({ ".netrc": Buffer.from("machine git.corp.example login bot password p").toString("base64") });
    expect(unwrapped("cred-redis").data).toEqual({ endpoint: Buffer.from("rediss://:hunter2@master.redis.example.cache.amazonaws.com:6379").toString("base64") });
    expect(by("cred-redis").stringData).toBeUndefined();
    const d = resources.find((r) => r.name === "cred-deployment")!.inputs;
    const container = d.spec.template.spec.containers[0];
    expect(container.env.filter((e: { name: string }) => e.name.startsWith("ATHENS_REDIS"))).toEqual([{ name: "ATHENS_REDIS_ENDPOINT", valueFrom: { secretKeyRef: { name: "athens-redis", key: "endpoint" } } }]);
    expect(d.spec.template.spec.volumes.find((v: { name: string }) => v.name === "netrc")).toEqual({ name: "netrc", secret: { secretName: "athens-netrc", defaultMode: 0o400, items: [{ key: ".netrc", path: ".netrc" }] } });
    expect(JSON.stringify(d)).not.toContain("hunter2");
    expect(() => validateKubernetesObject({ ...d, apiVersion: "apps/v1", kind: "Deployment" })).not.toThrow();
  });

  test.each<[string, Partial<GoModuleProxyArgs>, string[]]>([
    ["created", {}, ["kubernetes:core/v1:Namespace mode-consumer-builds"]],
    ["adopted", { consumerNamespaceMode: "adopt" }, ["kubernetes:core/v1:NamespacePatch mode-consumer-builds"]],
    ["left alone", { consumerNamespaceMode: "none" }, []],
  ])("consumer namespaces %s; the ConfigMap is written to each either way", async (_n, over, ns) => {
    const { resources } = await created("mode", args("staging", over));
    expect(resources.filter((r) => r.name.includes("-consumer-")).map((r) => `${r.type} ${r.name}`)).toEqual(ns);
    expect(resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap").map((r) => r.inputs.metadata.namespace).sort()).toEqual(["builds", "goproxy"]);
  });

  test("an external URL with an Ingress: the Ingress serves it over TLS, the url output and every go-env carry it", async () => {
    const { proxy, resources } = await created("ext", args("staging", { url: "https://goproxy.corp.example/", ingress: { host: "goproxy.corp.example", className: "nginx", tls: { secretName: "goproxy-tls" }, controllerNamespace: "ingress-nginx" } }));
    const ing = resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")!;
    expect(ing.inputs.spec.tls).toEqual([{ hosts: ["goproxy.corp.example"], secretName: "goproxy-tls" }]);
    expect(() => validateKubernetesObject({ ...ing.inputs, apiVersion: "networking.k8s.io/v1", kind: "Ingress" })).not.toThrow();
    expect(await outputOf(proxy.url)).toBe("https://goproxy.corp.example");
    expect(resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap").map((r) => r.inputs.data.GOPROXY)).toEqual(["https://goproxy.corp.example", "https://goproxy.corp.example"]);
  });

  const refuse = async (env: "dev" | "staging" | "prod", over: Partial<GoModuleProxyArgs>): Promise<string> => {
    const n = rec.resources.length;
    let msg: string | undefined;
    try {
      new GoModuleProxy(`bad-${env}`, args(env, over));
    } catch (err) {
      expect(err).toBeInstanceOf(pulumi.ResourceError);
      msg = (err as Error).message;
    }
    await settled();
    expect(rec.resources.slice(n).map((r) => r.type)).toEqual(["goguard:index:GoModuleProxy"]);
    if (msg === undefined) throw new Error("expected a ResourceError");
    return msg;
  };

  test.each<[string, "dev" | "staging" | "prod", Partial<GoModuleProxyArgs>, string]>([
    ["memory storage with two replicas", "prod", { storage: { kind: "memory" }, replicas: 2 }, 'GoModuleProxy bad-prod: storage.kind: "memory" loses the cache on every restart; use { kind: "s3", bucketName, region } (or set allowEphemeralStorage: true for a throwaway proxy)\nreplicas: 2 replicas need shared storage; memory storage is per pod: use S3 storage or 1 replica'],
    ["two replicas on disk", "staging", { storage: { kind: "disk", size: "20Gi" }, replicas: 2, redis: { address: "r:6379", port: 6379, tls: false } }, "GoModuleProxy bad-staging: replicas: 2 replicas need shared storage; disk storage is a ReadWriteOnce volume: use S3 storage or 1 replica"],
    ["two replicas without single-flight", "staging", { replicas: 2 }, "GoModuleProxy bad-staging: redis: 2 replicas need a single-flight backend so they do not fetch the same module at once; set redis { address, tls, password }"],
    ["an Ingress for another host than the URL", "staging", { url: "https://goproxy.corp.example", ingress: { host: "proxy.corp.example", className: "nginx", tls: { secretName: "t" }, controllerNamespace: "ingress-nginx" } }, 'GoModuleProxy bad-staging: ingress.host: the Ingress serves https://proxy.corp.example, but the proxy\'s url is "https://goproxy.corp.example"; consumers would be sent elsewhere: give the ingress the url\'s host'],
    ["S3 without a bucket name", "staging", { storage: { kind: "s3", bucketName: "", region: "eu-west-1" } }, "GoModuleProxy bad-staging: storage.bucketName: S3 storage needs a bucket name (Athens never creates the bucket)"],
    ["GOSUMDB=off upstream", "staging", { goBinarySettings: { GOSUMDB: "off" } }, "GoModuleProxy bad-staging: goBinarySettings.GOSUMDB: GOSUMDB=off turns off checksum verification of every module not already in go.sum. Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."],
    ["an image without digest", "staging", { image: "docker.io/gomods/athens:v0.18.1" }, 'GoModuleProxy bad-staging: image: "docker.io/gomods/athens:v0.18.1" has no digest; the proxy image is deployed by digest (mirror it, or resolve it with `goguard lock resolve-images`), or set requireImageDigest: false for a local proxy'],
    ["plain-text credentials", "staging", { netrc: "machine x login y password z" as unknown as pulumi.Output<string> }, "GoModuleProxy bad-staging: netrc: credentials were given as plain text; pass a Pulumi secret (pulumi config set --secret goguard:netrc …, then config.requireSecret)"],
    ["a plain-text Redis password", "prod", { redis: { address: "r:6379", port: 6379, tls: true, password: "hunter2" as unknown as pulumi.Output<string> } }, "GoModuleProxy bad-prod: redis.password: given as plain text; pass a Pulumi secret (pulumi config set --secret goguard:redisPassword …, then config.requireSecret)"],
  ])("refuses %s before creating any child", async (_n, env, over, message) => {
    expect(await refuse(env, over)).toBe(message);
  });
});
