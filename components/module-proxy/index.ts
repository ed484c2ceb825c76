// GoModuleProxy: Athens on Kubernetes, hardened, one per environment, plus the published go-env
// ConfigMap. Validates (pure), renders manifests (pure), creates children.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { bundledCatalog } from "../toolchain/bundled";
import { GoCatalog } from "../toolchain/catalog";
import {
  consumerNamespaceManifest,
  credentialSecretManifest,
  deploymentManifest,
  ingressManifest,
  NETRC_SECRET_KEY,
  netrcSecretName as netrcSecretNameOf,
  REDIS_ENDPOINT_SECRET_KEY,
  redisSecretName as redisSecretNameOf,
  goEnvConfigMapManifest,
  namespaceManifest,
  networkPolicyManifest,
  pdbManifest,
  proxyServiceUrl,
  pvcManifest,
  serviceAccountManifest,
  serviceManifest,
} from "./manifests";
import { ProxyIngress, ProxySpec, ProxyStorage, validateProxySpec } from "./settings";

/** Athens' Redis single-flight backend: where it is and how to authenticate. */
export interface RedisBackend {
  /** `host:port` (an output of the ElastiCache replication group, or a declared address). */
  readonly address: pulumi.Input<string>;
  /** The port, for the NetworkPolicy's egress rule (known before the address is). */
  readonly port: number;
  /** Connect with TLS (`rediss://`); ElastiCache with encryption in transit requires it. */
  readonly tls: boolean;
  /** The password (ElastiCache auth token); must be a Pulumi secret. Reaches Athens only inside the Secret's URL. */
  readonly password?: pulumi.Output<string>;
}

export interface GoModuleProxyArgs {
  /** The proxy image, by digest: a pinned `name@sha256:…` string, or a digest output of a mirrored image. */
  readonly image: pulumi.Input<string>;
  /** @default "goproxy" */
  readonly namespace?: string;
  /** Create the namespace (labelled for Pod Security "restricted"). @default true */
  readonly createNamespace?: boolean;
  /** @default "athens" */
  readonly name?: string;
  /** S3 storage here names the bucket the component creates. */
  readonly storage: ProxyStorage;
  /** @default 1 */
  readonly replicas?: number;
  /** Athens' Redis single-flight backend (required with more than one replica). */
  readonly redis?: RedisBackend;
  /** The URL consumers use, published in the go-env ConfigMaps. @default - the Service's in-cluster URL */
  readonly url?: string;
  /** Serve `url` through an Ingress with TLS (its host must be the url's). @default - no Ingress */
  readonly ingress?: ProxyIngress;
  /** @default "https://proxy.golang.org" */
  readonly upstream?: string;
  /** @default [] */
  readonly privatePrefixes?: readonly string[];
  /** Extra settings for Athens' own `go` command; judged by the shared rules. @default {} */
  readonly goBinarySettings?: Readonly<Record<string, string>>;
  /** The cluster's OIDC provider (S3 storage): the IAM role trusts it for this ServiceAccount only. */
  readonly oidc?: { readonly providerArn: pulumi.Input<string>; readonly issuerHost: string };
  /** netrc text for private repositories; must be a Pulumi secret (`config.requireSecret`). */
  readonly netrc?: pulumi.Output<string>;
  /** Namespaces that receive the go-env ConfigMap. @default [] */
  readonly consumerNamespaces?: readonly string[];
  /**
   * What happens to the consumer namespaces: `create` them with the consumer label, `adopt` existing
   * ones (the label applied by a server-side apply patch), or `none` (they exist and are labelled
   * elsewhere; only the ConfigMaps are written). @default "create"
   */
  readonly consumerNamespaceMode?: "create" | "adopt" | "none";
  /** GO_ENV=production. @default true */
  readonly productionMode?: boolean;
  /** Replicas must land on different nodes. @default - replicas > 1 */
  readonly strictSpread?: boolean;
  /** Accept memory storage (lost on restart). @default false */
  readonly allowEphemeralStorage?: boolean;
  /** Refuse an image without a digest. @default true */
  readonly requireImageDigest?: boolean;
  /** `protect` on the stateful resources (bucket, volume). @default false */
  readonly protect?: boolean;
  /** `retainOnDelete` on the stateful resources. @default true */
  readonly retainOnDelete?: boolean;
  /** @default - the bundled release catalog */
  readonly catalog?: GoCatalog;
}


/** The proxy's spec from its args, defaults applied (pure; the docs render the prod Deployment from it). */
export function proxySpecOf(args: Omit<GoModuleProxyArgs, "image" | "oidc" | "catalog" | "redis"> & { readonly redis?: Pick<RedisBackend, "port" | "tls"> }): ProxySpec {
  const namespace = args.namespace ?? "goproxy";
  const proxyName = args.name ?? "athens";
  const replicas = args.replicas ?? 1;
  return {
    namespace,
    name: proxyName,
    storage: args.storage,
    replicas,
    ...(args.redis ? { singleFlight: { kind: "redis" as const, port: args.redis.port, tls: args.redis.tls } } : {}),
    url: (args.url ?? proxyServiceUrl({ name: proxyName, namespace })).replace(/\/+$/, ""),
    ...(args.ingress ? { ingress: args.ingress } : {}),
    productionMode: args.productionMode ?? true,
    strictSpread: args.strictSpread ?? replicas > 1,
    allowEphemeralStorage: args.allowEphemeralStorage ?? false,
    requireImageDigest: args.requireImageDigest ?? true,
    upstream: args.upstream ?? "https://proxy.golang.org",
    privatePrefixes: [...(args.privatePrefixes ?? [])].sort(),
    goBinarySettings: args.goBinarySettings ?? {},
    downloadMode: "sync",
    timeoutSeconds: 300,
    shutdownTimeoutSeconds: 60,
    hasNetrc: args.netrc !== undefined,
  };
}

export class GoModuleProxy extends pulumi.ComponentResource {
  /** The URL consumers use (`args.url`, or the in-cluster `http://athens.goproxy.svc.cluster.local`). */
  public readonly url: pulumi.Output<string>;
  /** The Go environment published to consumers (the go-env ConfigMap data). */
  public readonly goEnv: pulumi.Output<Record<string, string>>;
  public readonly bucketName: pulumi.Output<string | undefined>;

  constructor(name: string, args: GoModuleProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goguard:index:GoModuleProxy", name, {}, opts);
    const spec = proxySpecOf(args);
    const problems = validateProxySpec(spec, typeof args.image === "string" ? args.image : undefined, args.catalog ?? bundledCatalog());
    if (args.netrc !== undefined && !pulumi.Output.isInstance(args.netrc)) {
      problems.push("netrc: credentials were given as plain text; pass a Pulumi secret (pulumi config set --secret goguard:netrc …, then config.requireSecret)");
    }
    if (args.redis?.password !== undefined && !pulumi.Output.isInstance(args.redis.password)) {
      problems.push("redis.password: given as plain text; pass a Pulumi secret (pulumi config set --secret goguard:redisPassword …, then config.requireSecret)");
    }
    if (spec.storage.kind === "s3" && !args.oidc) problems.push("oidc: S3 storage uses IRSA; give the cluster's OIDC provider ARN and issuer host so the IAM role trusts this ServiceAccount only");
    if (problems.length > 0) throw new pulumi.ResourceError(`GoModuleProxy ${name}: ${problems.join("\n")}`, this);

    const child = { parent: this };
    // Stateful resources: the cache's bucket and volume.
    const stateful = { parent: this, protect: args.protect ?? false, retainOnDelete: args.retainOnDelete ?? true };
    const deps: pulumi.Resource[] = [];
    if (args.createNamespace ?? true) deps.push(new k8s.core.v1.Namespace(`${name}-ns`, namespaceManifest(spec) as k8s.core.v1.NamespaceArgs, child));
    const nsOpts = { parent: this, dependsOn: deps };

    let roleArn: pulumi.Output<string> | undefined;
    let bucketName: pulumi.Output<string | undefined> = pulumi.output(undefined);
    if (spec.storage.kind === "s3") {
      const bucket = new aws.s3.Bucket(`${name}-cache`, { bucket: spec.storage.bucketName, forceDestroy: false }, stateful);
      new aws.s3.BucketPublicAccessBlock(`${name}-cache-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, child);
      new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-cache-encryption`, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] }, child);
      new aws.s3.BucketVersioning(`${name}-cache-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
      new aws.s3.BucketLifecycleConfiguration(
        `${name}-cache-lifecycle`,
        { bucket: bucket.id, rules: [{ id: "expire-old-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }] },
        child,
      );
      const oidc = args.oidc!;
      const role = new aws.iam.Role(
        `${name}-irsa`,
        {
          assumeRolePolicy: pulumi.output(oidc.providerArn).apply((arn) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Principal: { Federated: arn },
                  Action: "sts:AssumeRoleWithWebIdentity",
                  Condition: { StringEquals: { [`${oidc.issuerHost}:sub`]: `system:serviceaccount:${spec.namespace}:${spec.name}`, [`${oidc.issuerHost}:aud`]: "sts.amazonaws.com" } },
                },
              ],
            }),
          ),
        },
        child,
      );
      // Exactly the actions Athens uses, on this bucket only.
      new aws.iam.RolePolicy(
        `${name}-irsa-s3`,
        {
          role: role.id,
          policy: bucket.arn.apply((arn) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: arn },
                { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource: `${arn}/*` },
              ],
            }),
          ),
        },
        child,
      );
      roleArn = role.arn;
      bucketName = bucket.bucket;
    }

    // Credentials: Secrets with base64 `data`, the value an Output kept secret end to end.
    const toBase64 = (v: pulumi.Output<string>): pulumi.Output<string> => pulumi.secret(v.apply((t) => Buffer.from(t, "utf8").toString("base64")));
    const netrcSecretName = netrcSecretNameOf(spec);
    if (args.netrc) {
      new k8s.core.v1.Secret(`${name}-netrc`, credentialSecretManifest(spec, netrcSecretName, NETRC_SECRET_KEY, toBase64(args.netrc)) as k8s.core.v1.SecretArgs, nsOpts);
    }
    const redisSecretName = redisSecretNameOf(spec);
    if (args.redis) {
      // One URL with the password inside: Athens parses `redis[s]://:password@host:port` in every
      // release that reads a URL, where a separate password beside a URL is honoured only lately.
      const redis = args.redis;
      const endpoint = pulumi.all([pulumi.output(redis.address), redis.password ?? pulumi.output("")]).apply(([address, password]) => `${redis.tls ? "rediss" : "redis"}://${password ? `:${encodeURIComponent(password)}@` : ""}${address}`);
      new k8s.core.v1.Secret(`${name}-redis`, credentialSecretManifest(spec, redisSecretName, REDIS_ENDPOINT_SECRET_KEY, toBase64(endpoint)) as k8s.core.v1.SecretArgs, nsOpts);
    }
    const inputs = { image: args.image, ...(roleArn ? { roleArn } : {}), ...(args.netrc ? { netrcSecretName } : {}), ...(args.redis ? { redisSecretName } : {}) };
    const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, serviceAccountManifest(spec, inputs) as k8s.core.v1.ServiceAccountArgs, nsOpts);
    const pvc = pvcManifest(spec);
    const pvcRes = pvc ? [new k8s.core.v1.PersistentVolumeClaim(`${name}-storage`, pvc as k8s.core.v1.PersistentVolumeClaimArgs, { ...stateful, dependsOn: deps })] : [];
    new k8s.apps.v1.Deployment(`${name}-deployment`, deploymentManifest(spec, inputs) as unknown as k8s.apps.v1.DeploymentArgs, { parent: this, dependsOn: [...deps, sa, ...pvcRes] });
    new k8s.core.v1.Service(`${name}-service`, serviceManifest(spec) as k8s.core.v1.ServiceArgs, nsOpts);
    if (spec.replicas > 1) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, pdbManifest(spec) as k8s.policy.v1.PodDisruptionBudgetArgs, nsOpts);
    new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, networkPolicyManifest(spec) as k8s.networking.v1.NetworkPolicyArgs, nsOpts);
    const ingress = ingressManifest(spec);
    if (ingress) new k8s.networking.v1.Ingress(`${name}-ingress`, ingress as k8s.networking.v1.IngressArgs, nsOpts);
    const published = goEnvConfigMapManifest(spec, spec.namespace);
    new k8s.core.v1.ConfigMap(`${name}-go-env-${spec.namespace}`, published as k8s.core.v1.ConfigMapArgs, nsOpts);
    const mode = args.consumerNamespaceMode ?? "create";
    for (const ns of [...new Set(args.consumerNamespaces ?? [])].sort()) {
      // A consumer namespace exists (created or labelled) before its ConfigMap is written to it.
      const consumer =
        mode === "create"
          ? [new k8s.core.v1.Namespace(`${name}-consumer-${ns}`, consumerNamespaceManifest(ns) as k8s.core.v1.NamespaceArgs, child)]
          : mode === "adopt"
            ? [new k8s.core.v1.NamespacePatch(`${name}-consumer-${ns}`, consumerNamespaceManifest(ns) as k8s.core.v1.NamespacePatchArgs, child)]
            : [];
      new k8s.core.v1.ConfigMap(`${name}-go-env-${ns}`, goEnvConfigMapManifest(spec, ns) as k8s.core.v1.ConfigMapArgs, { parent: this, dependsOn: consumer });
    }

    this.url = pulumi.output(spec.url);
    this.goEnv = pulumi.output(published.data as Record<string, string>);
    this.bucketName = bucketName;
    this.registerOutputs({ url: this.url, goEnv: this.goEnv, bucketName: this.bucketName });
  }
}
