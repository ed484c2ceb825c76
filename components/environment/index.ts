// GoEnvironment: one environment's governed Go toolchain — the verified builder image, the module
// proxy (and its mirrored image outside dev), the published Go environment — from plain values the
// stack program resolved (lock entry, settings). Reads no config itself.
import * as pulumi from "@pulumi/pulumi";
import { GoBuildImage } from "../build-image";
import { GoModuleProxy } from "../module-proxy";
import { MirroredImage } from "../module-proxy/mirror";
import { SingleFlight } from "../module-proxy/settings";
import { GoEnvPolicy, resolveGoEnvBaseline } from "../toolchain/goenv";
import { EnvironmentName } from "../toolchain/lock";
import { ResolvedToolchain } from "../toolchain/toolchain";

export interface GoEnvironmentArgs {
  readonly environment: EnvironmentName;
  readonly toolchain: ResolvedToolchain;
  /** The environment's Go settings policy (`environmentPolicy`). */
  readonly policy: GoEnvPolicy;
  /** The proxy URL consumers use (first in GOPROXY). */
  readonly proxyUrl: string;
  readonly privatePrefixes: readonly string[];
  /** Pinned base image for the builder's stages. */
  readonly builderBase: string;
  /** The proxy image: a pinned or (dev) tagged reference; outside dev it is mirrored into ECR. */
  readonly proxyImageSource: string;
  /** Absolute directory for rendered Dockerfiles (build contexts). */
  readonly outDir: string;
  /** Absolute: the directory Pulumi runs the program and its providers in (Pulumi.yaml's `main` directory); build paths are handed over relative to it. */
  readonly workDir: string;
  /** Cloud settings (staging, prod). */
  readonly cloud?: {
    readonly bucket: string;
    readonly region: string;
    readonly oidc: { readonly providerArn: string; readonly issuerHost: string };
    readonly singleFlight?: SingleFlight;
    /** The redis single-flight backend's password (a Pulumi secret). */
    readonly redisPassword?: pulumi.Output<string>;
  };
  readonly netrc?: pulumi.Output<string>;
  /** @default [] */
  readonly consumerNamespaces?: readonly string[];
}

export class GoEnvironment extends pulumi.ComponentResource {
  public readonly goVersion: pulumi.Output<string>;
  /** Per platform: archive sha256. */
  public readonly sha256: pulumi.Output<Record<string, string>>;
  /** Per platform: the builder image by digest (dev: the local image name; nothing is pushed). */
  public readonly builderImages: pulumi.Output<Record<string, string>>;
  public readonly proxyUrl: pulumi.Output<string>;
  /** The published Go environment (go-env ConfigMap data). */
  public readonly goEnv: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: GoEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goguard:index:GoEnvironment", name, {}, opts);
    const env = args.environment;
    if (env !== "dev" && !args.cloud) {
      throw new pulumi.ResourceError(`GoEnvironment ${name}: cloud: ${env} needs { bucket, region, oidc } for the proxy's S3 cache (only dev runs on a local disk)`, this);
    }
    const goEnv = resolveGoEnvBaseline({ proxyUrl: args.proxyUrl, privatePrefixes: args.privatePrefixes });
    const builder = new GoBuildImage(
      `${name}-builder`,
      {
        toolchain: args.toolchain,
        goEnv,
        policy: args.policy,
        baseImages: { toolchain: args.builderBase, builder: args.builderBase },
        registry: env === "dev" ? { kind: "local", repository: "goguard/go-builder" } : { kind: "ecr", repositoryName: `goguard/go-builder-${env}`, protect: env === "prod", retainOnDelete: true },
        requirePinnedBases: env !== "dev",
        workDir: args.workDir,
        outDir: args.outDir,
      },
      { parent: this },
    );
    const image: pulumi.Input<string> =
      env === "dev" ? args.proxyImageSource : new MirroredImage(
            `${name}-athens-image`,
            { source: args.proxyImageSource, repositoryName: `goguard/athens-${env}`, platforms: args.toolchain.platforms, paths: { workDir: args.workDir, outDir: args.outDir }, protect: env === "prod", retainOnDelete: true },
            { parent: this },
          ).imageRef;
    const proxy = new GoModuleProxy(
      `${name}-proxy`,
      {
        environment: env,
        image,
        storage: args.cloud ? { kind: "s3", bucketName: args.cloud.bucket, region: args.cloud.region } : { kind: "disk", size: "20Gi" },
        replicas: env === "prod" ? 2 : 1,
        ...(args.cloud?.singleFlight ? { singleFlight: args.cloud.singleFlight } : {}),
        privatePrefixes: args.privatePrefixes,
        ...(args.cloud ? { oidc: args.cloud.oidc } : {}),
        ...(args.netrc ? { netrc: args.netrc } : {}),
        ...(args.cloud?.redisPassword ? { redisPassword: args.cloud.redisPassword } : {}),
        consumerNamespaces: args.consumerNamespaces ?? [],
      },
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
