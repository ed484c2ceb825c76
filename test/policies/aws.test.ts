// Registry and storage rules through the real handlers, in prod: ECR hardening (R1), cache bucket
// public access, encryption and versioning (R2, a stack rule matching children to their bucket by
// property dependency), protection of stateful resources (R3), images by digest output (R4).
import { violationsByResource, Expected } from "./helpers";

const expected: Expected = {
  "bucket-public": [
    ["cache-bucket-hardened", "mandatory", "bucket-public: public access is not fully blocked. Fix: add a BucketPublicAccessBlock with all four flags true."],
  ],
  "bucket-unversioned": [
    ["cache-bucket-hardened", "mandatory", "bucket-unversioned: versioning is not enabled. Fix: add BucketVersioning with status Enabled."],
  ],
  "ecr-mutable": [
    ["ecr-repository-hardened", "mandatory", "ecr-mutable imageTagMutability is MUTABLE. Fix: set IMMUTABLE so a tag can never point at other bytes."],
  ],
  "ecr-unprotected": [
    ["stateful-protected", "mandatory", "ecr-unprotected (Repository) is not protected. Fix: set protect: true."],
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

  test.each(["ecr-happy", "bucket-happy", "job-by-digest-output", "svc-image"])("%s stays quiet", (name) => {
    expect(by[name]).toBeUndefined();
  });

  test.each(Object.keys(expected))("%s fires exactly its rule(s)", (name) => {
    expect(by[name]).toEqual(expected[name]);
  });

  test("nothing else fires", () => {
    expect(Object.keys(by).sort()).toEqual(Object.keys(expected).sort());
  });
});
