// Registry and storage rules through the real handlers, in prod: ECR hardening (R1), cache bucket
// public access, encryption and versioning (R2, a stack rule matching children to their bucket by
// property dependency), protection of stateful resources (R3), images by digest output (R4), for
// docker.Image and docker-build Images; R1 accepts tag-immutability exclusions of build-cache tags only.
import { violationsByResource, Expected } from "./helpers";

const expected: Expected = {
  "bucket-public": [
    ["cache-bucket-hardened", "mandatory", "bucket-public: public access is not fully blocked. Fix: add a BucketPublicAccessBlock with all four flags true."],
  ],
  "bucket-unversioned": [
    ["cache-bucket-hardened", "mandatory", "bucket-unversioned: versioning is not enabled. Fix: add BucketVersioning with status Enabled."],
  ],
  "ecr-excludes-all": [
    ["ecr-repository-hardened", "mandatory", "ecr-excludes-all imageTagMutability is IMMUTABLE_WITH_EXCLUSION with exclusion filter(s) \"*\", which make image tags mutable. Fix: exclude only build-cache tags (a filter starting with \"buildcache\", such as \"buildcache*\")."],
  ],
  "ecr-mutable": [
    ["ecr-repository-hardened", "mandatory", "ecr-mutable imageTagMutability is MUTABLE. Fix: set IMMUTABLE so a tag can never point at other bytes (or IMMUTABLE_WITH_EXCLUSION excluding only build-cache tags, \"buildcache*\")."],
  ],
  "ecr-unprotected": [
    ["stateful-protected", "mandatory", "ecr-unprotected (Repository) is not protected. Fix: set protect: true."],
  ],
  "redis-plain": [
    ["redis-encrypted", "mandatory", "redis-plain atRestEncryptionEnabled is unset (false). Fix: set atRestEncryptionEnabled: true."],
    ["redis-encrypted", "mandatory", "redis-plain has no auth token: anything that reaches its port can take and release Athens' locks. Fix: set authToken from a Pulumi secret."],
    ["redis-encrypted", "mandatory", "redis-plain transitEncryptionEnabled is false: the Redis password and lock keys cross the network in clear. Fix: set transitEncryptionEnabled: true (Athens then connects with rediss://)."],
  ],
  "redis-unprotected": [
    ["stateful-protected", "mandatory", "redis-unprotected (ReplicationGroup) is not protected. Fix: set protect: true."],
  ],
  "job-db-by-tag": [
    ["image-pinned-by-digest", "mandatory", "job-db-by-tag container \"app\": image registry.corp.example/svc-db:2.0.0 is not pinned by digest. Fix: use registry.corp.example/svc-db:2.0.0@sha256:<digest>."],
    ["images-by-digest-output", "mandatory", "job-db-by-tag container \"app\" takes registry.corp.example/svc-db:2.0.0, an image built in this stack, by tag. Fix: pass its repoDigest output."],
  ],
  "job-by-tag": [
    ["image-pinned-by-digest", "mandatory", "job-by-tag container \"app\": image registry.corp.example/svc:1.0.0 is not pinned by digest. Fix: use registry.corp.example/svc:1.0.0@sha256:<digest>."],
    ["images-by-digest-output", "mandatory", "job-by-tag container \"app\" takes registry.corp.example/svc:1.0.0, an image built in this stack, by tag. Fix: pass its repoDigest output."],
  ],
};

describe("registry and storage rules in prod", () => {
  let by: Expected;
  beforeAll(async () => {
    ({ by } = await violationsByResource("aws.ts"));
  });

  test.each(["ecr-happy", "ecr-cache-excluded", "bucket-happy", "job-by-digest-output", "svc-image", "svc-db-image", "job-db-by-digest-output", "redis-happy"])("%s stays quiet", (name) => {
    expect(by[name]).toBeUndefined();
  });

  test.each(Object.keys(expected))("%s fires exactly its rule(s)", (name) => {
    expect(by[name]).toEqual(expected[name]);
  });

  test("nothing else fires", () => {
    // Resource findings only; stack-wide findings about the lock's records are pinned by their own rules' tests.
    expect(Object.keys(by).filter((k) => k !== "(stack)").sort()).toEqual(Object.keys(expected).sort());
  });
});
