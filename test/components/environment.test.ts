import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { outputOf, recordResources, settled } from "../helpers/mocks";
import { GoEnvironment, GoEnvironmentArgs } from "../../components/environment";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { parseLock } from "../../components/toolchain/lock";
import { environmentPolicy, resolveToolchain } from "../../components/toolchain/toolchain";
import { tempDir } from "../helpers/catalog-fixtures";

const rec = recordResources();
const catalog = bundledCatalog();
const lock = parseLock(JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8")));
const PROXY = "http://athens.goproxy.svc.cluster.local";
const DEBIAN = "debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

function args(env: "dev" | "staging" | "prod"): GoEnvironmentArgs {
  return {
    environment: env,
    toolchain: resolveToolchain(lock, env, catalog),
    policy: environmentPolicy(lock, env, { proxies: [PROXY], privatePrefixes: ["git.corp.example"] }),
    proxyUrl: PROXY,
    privatePrefixes: ["git.corp.example"],
    builderBase: DEBIAN,
    proxyImageSource: "docker.io/gomods/athens:v0.18.1",
    outDir: tempDir("env"),
    workDir: path.join(__dirname, "../../stacks"),
    ...(env !== "dev"
      ? { cloud: { bucket: `acme-goproxy-${env}`, region: "eu-west-1", oidc: { providerArn: "arn:aws:iam::123456789012:oidc-provider/x", issuerHost: "x" }, ...(env === "prod" ? { singleFlight: { kind: "redis" as const, endpoint: "redis:6379" } } : {}) } }
      : {}),
    consumerNamespaces: ["builds"],
  };
}

const count = (types: string[]) => types.reduce<Record<string, number>>((m, t) => ({ ...m, [t]: (m[t] ?? 0) + 1 }), {});

describe("GoEnvironment", () => {
  test.each<["dev" | "staging" | "prod", Record<string, number>]>([
    ["dev", { "goguard:index:GoEnvironment": 1, "goguard:index:GoBuildImage": 1, "docker-build:index:Image": 1, "goguard:index:GoModuleProxy": 1, "kubernetes:core/v1:Namespace": 1, "kubernetes:core/v1:ServiceAccount": 1, "kubernetes:core/v1:PersistentVolumeClaim": 1, "kubernetes:apps/v1:Deployment": 1, "kubernetes:core/v1:Service": 1, "kubernetes:networking.k8s.io/v1:NetworkPolicy": 1, "kubernetes:core/v1:ConfigMap": 2 }],
    ["prod", {
      "goguard:index:GoEnvironment": 1, "goguard:index:GoBuildImage": 1, "aws:ecr/repository:Repository": 2, "aws:ecr/lifecyclePolicy:LifecyclePolicy": 1,
      // One multi-platform builder image, and the Athens copy (also one docker-build Image).
      "docker-build:index:Image": 2, "goguard:index:MirroredImage": 1,
      "goguard:index:GoModuleProxy": 1, "kubernetes:core/v1:Namespace": 1, "aws:s3/bucket:Bucket": 1, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1, "aws:s3/bucketVersioning:BucketVersioning": 1, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
      "aws:iam/role:Role": 1, "aws:iam/rolePolicy:RolePolicy": 1, "kubernetes:core/v1:ServiceAccount": 1, "kubernetes:apps/v1:Deployment": 1, "kubernetes:core/v1:Service": 1,
      "kubernetes:policy/v1:PodDisruptionBudget": 1, "kubernetes:networking.k8s.io/v1:NetworkPolicy": 1, "kubernetes:core/v1:ConfigMap": 2,
    }],
  ])("%s composes exactly these resources", async (env, expected) => {
    const n = rec.resources.length;
    const e = new GoEnvironment(`env-${env}`, args(env));
    await outputOf(e.proxyUrl);
    await settled();
    expect(count(rec.resources.slice(n).map((r) => r.type))).toEqual(expected);
    expect(await outputOf(e.goVersion)).toBe("1.26.7");
    expect(await outputOf(e.goEnv)).toMatchObject({ GOPROXY: PROXY, GOTOOLCHAIN: "local" });
    expect(Object.keys(await outputOf(e.sha256))).toEqual(["linux/amd64", "linux/arm64"]);
  });

  test("staging without cloud settings is refused before any child exists", async () => {
    const n = rec.resources.length;
    const { cloud: _c, ...noCloud } = args("staging");
    void _c;
    expect(() => new GoEnvironment("env-bad", noCloud)).toThrow(pulumi.ResourceError);
    await settled();
    expect(rec.resources.slice(n).map((r) => r.type)).toEqual(["goguard:index:GoEnvironment"]);
  });
});
