// GoEnvironment: one environment's governed Go toolchain — the verified builder image, the module
// proxy (its image copied into the registry, its single-flight Redis), the published Go environment —
// from the environment's plan (`resolvePlan`): every difference between environments is a value of
// the plan, none is a branch on the environment's name here. Reads no config itself.
import * as pulumi from "@pulumi/pulumi";
import { GoBuildImage } from "../build-image";
import { GoModuleProxy, GoModuleProxyArgs, RedisBackend } from "../module-proxy";
import { MirroredImage } from "../module-proxy/mirror";
import { ElastiCacheRedis } from "./elasticache";
import { EnvironmentPlan } from "./plan";

export { resolvePlan, EnvironmentPlan, PlanError } from "./plan";

export interface GoEnvironmentArgs {
  /** The environment resolved once (`resolvePlan(lock, settings, catalog)`). */
  readonly plan: EnvironmentPlan;
  /** Absolute directory for rendered Dockerfiles (build contexts). */
  readonly outDir: string;
  /** Absolute: the directory Pulumi runs the program and its providers in (Pulumi.yaml's `main` directory); build paths are handed over relative to it. */
  readonly workDir: string;
  /** netrc for private modules (a Pulumi secret). */
  readonly netrc?: pulumi.Output<string>;
  /** The declared Redis's password, or the ElastiCache auth token (generated when absent); a Pulumi secret. */
  readonly redisPassword?: pulumi.Output<string>;
}

/** The proxy's knobs from the plan: everything but the values only a deployment knows (image digest, Redis address, credentials). Pure. */
export function proxyArgsOf(plan: EnvironmentPlan): Omit<GoModuleProxyArgs, "image" | "redis" | "oidc" | "netrc" | "catalog"> {
  const exposure = plan.proxy.exposure;
  return {
    name: plan.proxy.name,
    namespace: plan.proxy.namespace,
    url: plan.proxy.url,
    ...(exposure.kind === "ingress" ? { ingress: { host: exposure.host, className: exposure.className, tls: exposure.tls, controllerNamespace: exposure.controllerNamespace } } : {}),
    requireImageDigest: plan.images.requireProxyDigest,
    storage: plan.storage,
    replicas: plan.replicas,
    privatePrefixes: plan.privatePrefixes,
    consumerNamespaces: plan.consumerNamespaces.names,
    consumerNamespaceMode: plan.consumerNamespaces.mode,
    productionMode: plan.athens.productionMode,
    strictSpread: plan.athens.strictSpread,
    protect: plan.protection.protect,
    retainOnDelete: plan.protection.retainOnDelete,
  };
}

export class GoEnvironment extends pulumi.ComponentResource {
  public readonly goVersion: pulumi.Output<string>;
  /** Per platform: archive sha256. */
  public readonly sha256: pulumi.Output<Record<string, string>>;
  /** Per platform: the builder image by digest (dev: the local image name; nothing is pushed). */
  public readonly builderImages: pulumi.Output<Record<string, string>>;
  /** The plan's one proxy URL. */
  public readonly proxyUrl: pulumi.Output<string>;
  /** The published Go environment (go-env ConfigMap data). */
  public readonly goEnv: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GoEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goguard:index:GoEnvironment", name, {}, opts);
    const plan = args.plan;
    const problems: string[] = [];
    if (plan.storage.kind === "s3" && !plan.oidc) problems.push("plan.oidc: S3 storage needs the cluster's OIDC provider (IRSA)");
    if (plan.singleFlight.kind === "redis" && plan.singleFlight.source === "declared" && plan.singleFlight.password === "config" && !args.redisPassword) problems.push("redisPassword: the plan's Redis takes a password from config; pass it (config.requireSecret)");
    if (problems.length > 0) throw new pulumi.ResourceError(`GoEnvironment ${name}: ${problems.join("\n")}`, this);
    const stateful = { protect: plan.protection.protect, retainOnDelete: plan.protection.retainOnDelete };
    const builder = new GoBuildImage(
      `${name}-builder`,
      {
        toolchain: plan.toolchain,
        goEnv: plan.goEnv,
        policy: plan.policy,
        baseImages: { toolchain: plan.images.builderBase, builder: plan.images.builderBase },
        registry: plan.registry.kind === "local" ? { kind: "local", repository: plan.registry.builderRepository } : { kind: "ecr", repositoryName: plan.registry.builderRepository, ...stateful },
        requirePinnedBases: plan.images.requirePinnedBases,
        workDir: args.workDir,
        outDir: args.outDir,
      },
      { parent: this },
    );
    const image: pulumi.Input<string> =
      plan.images.mirrorProxy && plan.registry.kind === "ecr"
        ? new MirroredImage(
            `${name}-athens-image`,
            { source: plan.images.proxySource, repositoryName: plan.registry.proxyRepository, platforms: plan.toolchain.platforms, paths: { workDir: args.workDir, outDir: args.outDir }, ...stateful },
            { parent: this },
          ).imageRef
        : plan.images.proxySource;
    const sf = plan.singleFlight;
    let redis: RedisBackend | undefined;
    if (sf.kind === "redis" && sf.source === "elasticache") {
      const cache = new ElastiCacheRedis(
        `${name}-single-flight`,
        { vpcId: sf.vpcId, subnetIds: sf.subnetIds, clientSecurityGroupIds: sf.clientSecurityGroupIds, nodeType: sf.nodeType, port: sf.port, ...(args.redisPassword ? { authToken: args.redisPassword } : {}), ...stateful },
        { parent: this },
      );
      redis = { address: cache.address, port: cache.port, tls: true, password: cache.authToken };
    } else if (sf.kind === "redis") {
      redis = { address: sf.address, port: Number(/:(\d+)$/.exec(sf.address)![1]), tls: sf.tls, ...(args.redisPassword ? { password: args.redisPassword } : {}) };
    }
    const proxy = new GoModuleProxy(
      `${name}-proxy`,
      { ...proxyArgsOf(plan), image, ...(redis ? { redis } : {}), ...(plan.oidc ? { oidc: plan.oidc } : {}), ...(args.netrc ? { netrc: args.netrc } : {}) },
      { parent: this },
    );
    this.goVersion = builder.goVersion;
    this.sha256 = builder.sha256;
    this.builderImages = builder.repoDigests;
    this.proxyUrl = proxy.url;
    this.goEnv = proxy.goEnv;
    this.registerOutputs({ goVersion: this.goVersion, sha256: this.sha256, builderImages: this.builderImages, proxyUrl: this.proxyUrl, goEnv: this.goEnv });
  }
}
