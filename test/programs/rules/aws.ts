// Registry and storage rules: ECR repositories (R1), cache buckets (R2), protection in prod (R3),
// images handed to workloads by digest output (R4). Happy resources and one mutation each.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as dockerbuild from "@pulumi/docker-build";
import * as k8s from "@pulumi/kubernetes";

const ecr = (over: Partial<aws.ecr.RepositoryArgs> = {}): aws.ecr.RepositoryArgs => ({ imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: "KMS" }], ...over });
new aws.ecr.Repository("ecr-happy", ecr(), { protect: true });
new aws.ecr.Repository("ecr-mutable", ecr({ imageTagMutability: "MUTABLE" }), { protect: true });
new aws.ecr.Repository("ecr-unprotected", ecr());
// Tag immutability with exclusions: only the build-cache tag may stay mutable.
new aws.ecr.Repository("ecr-cache-excluded", ecr({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "buildcache*", filterType: "WILDCARD" }] }), { protect: true });
new aws.ecr.Repository("ecr-excludes-all", ecr({ imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "buildcache", filterType: "WILDCARD" }, { filter: "*", filterType: "WILDCARD" }] }), { protect: true });

function bucket(name: string, parts: { pab?: boolean; sse?: boolean; versioning?: boolean }): void {
  const b = new aws.s3.Bucket(name, { bucket: `acme-${name}` }, { protect: true });
  if (parts.pab !== false) new aws.s3.BucketPublicAccessBlock(`${name}-pab`, { bucket: b.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  if (parts.sse !== false) new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, { bucket: b.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] });
  if (parts.versioning !== false) new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: b.id, versioningConfiguration: { status: "Enabled" } });
}
bucket("bucket-happy", {});
bucket("bucket-public", { pab: false });
bucket("bucket-unversioned", { versioning: false });

// Relative to the program's working directory (Pulumi.yaml's main directory, stacks/).
const built = new docker.Image("svc-image", { imageName: "registry.corp.example/svc:1.0.0", skipPush: true, build: { context: "../test/fixtures/dockerfiles/minimal" } });
const workload = (name: string, image: string | typeof built.repoDigest) =>
  new k8s.batch.v1.Job(name, { metadata: { namespace: "apps" }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "app", image }] } } } });
workload("job-by-digest-output", built.repoDigest);
workload("job-by-tag", "registry.corp.example/svc:1.0.0");
// A docker-build Image names its image in tags; a workload taking that tag is refused the same way.
const dbBuilt = new dockerbuild.Image("svc-db-image", { tags: ["registry.corp.example/svc-db:2.0.0"], context: { location: "../test/fixtures/dockerfiles/minimal" }, platforms: ["linux/amd64"], push: false });
// By its digest output (unknown offline): `ref` would not do, since the provider returns the bare
// first tag there whenever it did not build (a preview with unknown inputs, buildOnPreview off).
workload("job-db-by-digest-output", pulumi.interpolate`registry.corp.example/svc-db@${dbBuilt.digest}`);
workload("job-db-by-tag", "registry.corp.example/svc-db:2.0.0");

// The proxy's single-flight Redis (ElastiCache): encrypted in transit and at rest, behind an auth token, protected in prod.
const redis = (over: Partial<aws.elasticache.ReplicationGroupArgs> = {}): aws.elasticache.ReplicationGroupArgs => ({
  description: "single-flight", engine: "redis", nodeType: "cache.t4g.small", numCacheClusters: 2, transitEncryptionEnabled: true, atRestEncryptionEnabled: true, authToken: pulumi.secret("0123456789abcdefXYZ"), ...over,
});
new aws.elasticache.ReplicationGroup("redis-happy", redis(), { protect: true });
new aws.elasticache.ReplicationGroup("redis-plain", redis({ transitEncryptionEnabled: false, atRestEncryptionEnabled: undefined, authToken: undefined }), { protect: true });
new aws.elasticache.ReplicationGroup("redis-unprotected", redis());
