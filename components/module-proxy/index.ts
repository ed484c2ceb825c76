// GoModuleProxy: Athens on Kubernetes, hardened, one per environment, plus the published go-env
// ConfigMap. Validates (pure), renders manifests (pure), creates children.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { bundledCatalog } from "../toolchain/bundled";
import { GoCatalog } from "../toolchain/catalog";
import { EnvironmentName } from "../toolchain/lock";
import {
  credentialSecretManifest,
  deploymentManifest,
  NETRC_SECRET_KEY,
  netrcSecretName as netrcSecretNameOf,
  REDIS_PASSWORD_SECRET_KEY,
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
import { ProxySpec, ProxyStorage, SingleFlight, validateProxySpec } from "./settings";

export interface GoModuleProxyArgs {
  readonly environment: EnvironmentName;
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
  /** @default 1 (prod: 2) */
  readonly replicas?: number;
  readonly singleFlight?: SingleFlight;
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
  /** Password of the redis single-flight backend; must be a Pulumi secret. Reaches Athens as ATHENS_REDIS_PASSWORD from a Secret. */
  readonly redisPassword?: pulumi.Output<string>;
  /** Namespaces that receive the go-env ConfigMap. @default [] */
  readonly consumerNamespaces?: readonly string[];
  /** @default - the bundled release catalog */
  readonly catalog?: GoCatalog;
}

export class GoModuleProxy extends pulumi.ComponentResource {
  /** The in-cluster URL (`http://athens.goproxy.svc.cluster.local`). */
  public readonly url: pulumi.Output<string>;
  /** The Go environment published to consumers (the go-env ConfigMap data). */
  public readonly goEnv: pulumi.Output<Record<string, string>>;
  public readonly bucketName: pulumi.Output<string | undefined>;

  constructor(name: string, args: GoModuleProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goguard:index:GoModuleProxy", name, {}, opts);
    const env = args.environment;
    const spec: ProxySpec = {
      environment: env,
      namespace: args.namespace ?? "goproxy",
      name: args.name ?? "athens",
      storage: args.storage,
      replicas: args.replicas ?? (env === "prod" ? 2 : 1),
      ...(args.singleFlight ? { singleFlight: args.singleFlight } : {}),
      upstream: args.upstream ?? "https://proxy.golang.org",
      privatePrefixes: [...(args.privatePrefixes ?? [])].sort(),
      goBinarySettings: args.goBinarySettings ?? {},
      downloadMode: "sync",
      timeoutSeconds: 300,
      shutdownTimeoutSeconds: 60,
      hasNetrc: args.netrc !== undefined,
      hasRedisPassword: args.redisPassword !== undefined,
    };
    const problems = validateProxySpec(spec, typeof args.image === "string" ? args.image : undefined, args.catalog ?? bundledCatalog());
    if (args.netrc !== undefined && !pulumi.Output.isInstance(args.netrc)) {
      problems.push("netrc: credentials were given as plain text; pass a Pulumi secret (pulumi config set --secret goguard:netrc …, then config.requireSecret)");
    }
    if (args.redisPassword !== undefined && !pulumi.Output.isInstance(args.redisPassword)) {
      problems.push("redisPassword: given as plain text; pass a Pulumi secret (pulumi config set --secret goguard:redisPassword …, then config.requireSecret)");
    }
    if (spec.storage.kind === "s3" && !args.oidc) problems.push("oidc: S3 storage uses IRSA; give the cluster's OIDC provider ARN and issuer host so the IAM role trusts this ServiceAccount only");
    if (problems.length > 0) throw new pulumi.ResourceError(`GoModuleProxy ${name}: ${problems.join("\n")}`, this);

    const child = { parent: this };
    // Stateful resources: protected in prod, retained on delete outside dev.
    const stateful = { parent: this, protect: env === "prod", retainOnDelete: env !== "dev" };
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
    if (args.redisPassword) {
      new k8s.core.v1.Secret(`${name}-redis`, credentialSecretManifest(spec, redisSecretName, REDIS_PASSWORD_SECRET_KEY, toBase64(args.redisPassword)) as k8s.core.v1.SecretArgs, nsOpts);
    }
    const inputs = { image: args.image, ...(roleArn ? { roleArn } : {}), ...(args.netrc ? { netrcSecretName } : {}), ...(args.redisPassword ? { redisSecretName } : {}) };
    const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, serviceAccountManifest(spec, inputs) as k8s.core.v1.ServiceAccountArgs, nsOpts);
    const pvc = pvcManifest(spec);
    const pvcRes = pvc ? [new k8s.core.v1.PersistentVolumeClaim(`${name}-storage`, pvc as k8s.core.v1.PersistentVolumeClaimArgs, { ...stateful, dependsOn: deps })] : [];
    new k8s.apps.v1.Deployment(`${name}-deployment`, deploymentManifest(spec, inputs) as unknown as k8s.apps.v1.DeploymentArgs, { parent: this, dependsOn: [...deps, sa, ...pvcRes] });
    new k8s.core.v1.Service(`${name}-service`, serviceManifest(spec) as k8s.core.v1.ServiceArgs, nsOpts);
    if (spec.replicas > 1) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, pdbManifest(spec) as k8s.policy.v1.PodDisruptionBudgetArgs, nsOpts);
    new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, networkPolicyManifest(spec) as k8s.networking.v1.NetworkPolicyArgs, nsOpts);
    const published = goEnvConfigMapManifest(spec, spec.namespace);
    for (const ns of [spec.namespace, ...(args.consumerNamespaces ?? [])]) {
      new k8s.core.v1.ConfigMap(`${name}-go-env-${ns}`, goEnvConfigMapManifest(spec, ns) as k8s.core.v1.ConfigMapArgs, nsOpts);
    }

    this.url = pulumi.output(proxyServiceUrl(spec));
    this.goEnv = pulumi.output(published.data as Record<string, string>);
    this.bucketName = bucketName;
    this.registerOutputs({ url: this.url, goEnv: this.goEnv, bucketName: this.bucketName });
  }
}
