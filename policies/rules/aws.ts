// R1–R4: registries, the proxy's cache bucket, stateful resources, images handed by digest.
import { PolicyResource } from "@pulumi/policy";
import { parseImageRef } from "../../components/toolchain/image-ref";
import { containerImage, containers, DOCKER_IMAGE, isWorkload, known } from "../lib/sources";
import { environmentFromConfig } from "../lib/config";
import { DOCKER_BUILD_IMAGE } from "../lib/resources";
import { resourceRule, stackRule } from "./common";

type Obj = Record<string, any>;
const ECR = "aws:ecr/repository:Repository";
const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";

export const redisEncrypted = resourceRule(
  {
    name: "redis-encrypted",
    rows: ["R2"],
    severity: "high",
    description: "ElastiCache replication groups (the proxy's single-flight Redis) encrypt in transit and at rest and require an auth token.",
    remediation: "Set transitEncryptionEnabled and atRestEncryptionEnabled to true and an authToken from a Pulumi secret (GoGuard's ElastiCacheRedis does); clients connect with rediss://.",
  },
  (args) => {
    if (args.type !== REDIS) return [];
    const p = args.props as Obj;
    const out: string[] = [];
    if (p.transitEncryptionEnabled !== true) out.push(`transitEncryptionEnabled is ${p.transitEncryptionEnabled ?? "unset (false)"}: the Redis password and lock keys cross the network in clear. Fix: set transitEncryptionEnabled: true (Athens then connects with rediss://).`);
    if (p.atRestEncryptionEnabled !== true) out.push(`atRestEncryptionEnabled is ${p.atRestEncryptionEnabled ?? "unset (false)"}. Fix: set atRestEncryptionEnabled: true.`);
    // Presence only: a generated token is unknown during preview, and set all the same.
    const keys = Object.keys(p);
    if (!keys.includes("authToken") && !keys.includes("authTokenWo") && !keys.includes("userGroupIds")) out.push(`has no auth token: anything that reaches its port can take and release Athens' locks. Fix: set authToken from a Pulumi secret.`);
    return out;
  },
  REDIS,
);

export const ecrRepository = resourceRule(
  {
    name: "ecr-repository-hardened",
    rows: ["R1"],
    severity: "high",
    description: "ECR repositories have immutable tags (IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION whose exclusions name only build-cache tags starting with buildcache), scan on push and encryption configured.",
    remediation: "Set imageTagMutability IMMUTABLE, imageScanningConfiguration.scanOnPush true and encryptionConfigurations (KMS).",
  },
  (args) => {
    if (args.type !== ECR) return [];
    const p = args.props as Obj;
    const out: string[] = [];
    // IMMUTABLE_WITH_EXCLUSION passes only when every excluded pattern is a build-cache tag
    // (`buildcache…`): BuildKit rewrites its registry cache manifest on every build, previews
    // included, which an immutable tag refuses; image tags stay immutable.
    const filters: Obj[] = Array.isArray(p.imageTagMutabilityExclusionFilters) ? p.imageTagMutabilityExclusionFilters : [];
    const notCache = filters.map((f) => String(f?.filter ?? "")).filter((f) => !/^buildcache[A-Za-z0-9._-]*\*?$/.test(f));
    if (p.imageTagMutability === "IMMUTABLE_WITH_EXCLUSION" && filters.length > 0 && notCache.length > 0) out.push(`imageTagMutability is IMMUTABLE_WITH_EXCLUSION with exclusion filter(s) ${notCache.map((f) => JSON.stringify(f)).join(", ")}, which make image tags mutable. Fix: exclude only build-cache tags (a filter starting with "buildcache", such as "buildcache*").`);
    else if (p.imageTagMutability !== "IMMUTABLE" && !(p.imageTagMutability === "IMMUTABLE_WITH_EXCLUSION" && filters.length > 0)) out.push(`imageTagMutability is ${p.imageTagMutability ?? "unset (MUTABLE)"}. Fix: set IMMUTABLE so a tag can never point at other bytes (or IMMUTABLE_WITH_EXCLUSION excluding only build-cache tags, "buildcache*").`);
    if (p.imageScanningConfiguration?.scanOnPush !== true) out.push(`does not scan on push. Fix: set imageScanningConfiguration.scanOnPush: true.`);
    if (!(p.encryptionConfigurations ?? []).length) out.push(`has no encryption configuration. Fix: set encryptionConfigurations: [{ encryptionType: "KMS" }].`);
    return out;
  },
  ECR,
);

/** Whether `r` targets the bucket: by a dependency on it, or by its literal name. */
function targets(r: PolicyResource, bucket: PolicyResource): boolean {
  const deps = r.propertyDependencies?.bucket ?? [];
  return deps.some((d) => d.urn === bucket.urn) || ((r.props as Obj).bucket !== undefined && (r.props as Obj).bucket === (bucket.props as Obj).bucket);
}

export const bucketHardened = stackRule(
  {
    name: "cache-bucket-hardened",
    rows: ["R2"],
    severity: "high",
    description: "S3 buckets have public access blocked (all four settings), default encryption and versioning enabled.",
    remediation: "Add a BucketPublicAccessBlock with all four flags, a BucketServerSideEncryptionConfiguration and BucketVersioning (GoModuleProxy does).",
  },
  (args) => {
    const out: Array<[string, string]> = [];
    for (const b of args.resources.filter((r) => BUCKETS.includes(r.type))) {
      const related = (type: string) => args.resources.filter((r) => r.type === type && targets(r, b));
      const pab = related("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
      if (!pab.some((r) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => (r.props as Obj)[k] === true))) out.push([b.urn, `${b.name}: public access is not fully blocked. Fix: add a BucketPublicAccessBlock with all four flags true.`]);
      if (!related("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").length) out.push([b.urn, `${b.name}: no default encryption. Fix: add a BucketServerSideEncryptionConfiguration (aws:kms).`]);
      if (!related("aws:s3/bucketVersioning:BucketVersioning").some((r) => (r.props as Obj).versioningConfiguration?.status === "Enabled")) out.push([b.urn, `${b.name}: versioning is not enabled. Fix: add BucketVersioning with status Enabled.`]);
    }
    return out;
  },
);

export const statefulProtected = stackRule(
  {
    name: "stateful-protected",
    rows: ["R3"],
    severity: "medium",
    description: "In prod, stateful resources (cache buckets, volumes, registries, the single-flight Redis) are protected from deletion.",
    remediation: "Create them with { protect: true } (GoGuard's components do in prod).",
  },
  (args, config) => {
    if (environmentFromConfig(config) !== "prod") return [];
    return args.resources
      .filter((r) => [...BUCKETS, ECR, REDIS, "kubernetes:core/v1:PersistentVolumeClaim"].includes(r.type) && r.opts.protect !== true)
      .map((r) => [r.urn, `${r.name} (${r.type.split(":").pop()}) is not protected. Fix: set protect: true.`] as [string, string]);
  },
);

export const imagesByDigestOutput = stackRule(
  {
    name: "images-by-digest-output",
    rows: ["R4"],
    severity: "high",
    description: "Images built in the stack are handed to workloads by their digest output (repoDigest), never by tag.",
    remediation: "Pass image.repoDigest (or GoBuildImage.repoDigests) to the workload, not the image name and tag.",
  },
  (args) => {
    // docker.Image names its image in imageName, a docker-build Image in tags.
    const built = args.resources
      .flatMap((r) => {
        if (r.type === DOCKER_IMAGE) return [known(() => (r.props as Obj).imageName)];
        if (r.type !== DOCKER_BUILD_IMAGE) return [];
        // Each tag on its own: one unknown during preview (a repository URL not created yet) must
        // not stop the rule for the others.
        const tags = known(() => (r.props as Obj).tags);
        const out: unknown[] = [];
        const n = Array.isArray(tags) ? tags.length : 0;
        for (let i = 0; i < n; i++) out.push(known(() => (tags as unknown[])[i]));
        return out;
      })
      .filter((n): n is string => typeof n === "string")
      .map((n) => parseImageRef(n))
      .filter((x): x is NonNullable<typeof x> => x !== undefined);
    const out: Array<[string, string]> = [];
    for (const r of args.resources.filter((x) => isWorkload(x.type))) {
      for (const c of containers(r.type, r.props)) {
        const image = containerImage(c);
        if (image === undefined) continue;
        const ref = parseImageRef(image);
        if (!ref || ref.digest !== undefined) continue;
        if (built.some((b) => b.registry === ref.registry && b.repository === ref.repository)) {
          out.push([r.urn, `${r.name} container "${c.name}" takes ${image}, an image built in this stack, by tag. Fix: pass its repoDigest output.`]);
        }
      }
    }
    return out;
  },
);
