// Each workload rule (K1–K8), image rule (T4–T6) and Athens rule (P2–P6) through the real handlers,
// in prod: a happy-path factory stays quiet, each one-field mutation fires, with the full list.
import { violationsByResource, Expected } from "./helpers";

const expected: Expected = {
  "k1-caps": [
    ["pod-security-restricted", "mandatory", "k1-caps container \"app\": capabilities are not dropped. Fix: set capabilities.drop: [ALL]."],
  ],
  "k1-escalation": [
    ["pod-security-restricted", "mandatory", "k1-escalation container \"app\": allowPrivilegeEscalation is not false. Fix: set allowPrivilegeEscalation: false."],
  ],
  "k1-hostpath": [
    ["pod-security-restricted", "mandatory", "k1-hostpath volume \"docker\" is a hostPath. Fix: use an emptyDir or a PersistentVolumeClaim."],
  ],
  "k1-root": [
    ["pod-security-restricted", "mandatory", "k1-root container \"app\": runAsUser is 0. Fix: set a numeric non-zero runAsUser (such as 65532)."],
  ],
  "k1-seccomp": [
    ["pod-security-restricted", "mandatory", "k1-seccomp container \"app\": seccomp profile is unset. Fix: set seccompProfile.type: RuntimeDefault."],
  ],
  "k2-writable": [
    ["read-only-root-filesystem", "mandatory", "k2-writable container \"app\": the root filesystem is writable. Fix: set readOnlyRootFilesystem: true."],
  ],
  "k3-no-limits": [
    ["resources-requests-limits", "mandatory", "k3-no-limits container \"app\": no limits.memory, limits.ephemeral-storage. Fix: set them."],
  ],
  "k4-same-probe": [
    ["probes-distinct", "mandatory", "k4-same-probe container \"app\": readiness and liveness are the same probe. Fix: make readiness check dependencies (/readyz) and liveness only the process (/healthz)."],
  ],
  "k5-no-pdb": [
    ["high-availability", "mandatory", "k5-no-pdb has no PodDisruptionBudget selecting its pods. Fix: add one with minAvailable: 1."],
  ],
  "k5-one-replica": [
    ["high-availability", "mandatory", "k5-one-replica runs 1 replica(s). Fix: run at least 2."],
  ],
  "k6-ingress-plain": [
    ["proxy-network-policy", "mandatory", "k6-ingress-plain routes goproxy.corp.example to the module proxy without TLS. Fix: add spec.tls with that host and a certificate Secret (or a cert-manager issuer annotation)."],
  ],
  "k6-no-netpol": [
    ["proxy-network-policy", "mandatory", "k6-no-netpol: no NetworkPolicy selects the proxy pods with ingress limited to allowed namespaces. Fix: add one."],
  ],
  "k7-default-sa": [
    ["service-account-dedicated", "mandatory", "k7-default-sa pod runs as the default (unset) ServiceAccount. Fix: give it a dedicated ServiceAccount."],
  ],
  "k8-default-ns": [
    ["not-default-namespace", "mandatory", "k8-default-ns is in the default namespace. Fix: set metadata.namespace."],
  ],
  "p2-sumdbs": [
    ["athens-checksum-database", "mandatory", "p2-sumdbs container \"app\" ATHENS_SUM_DBS=https://sum.evil.example leaves out https://sum.golang.org. Fix: include it."],
  ],
  "p3-memory": [
    ["athens-replicas-shared", "mandatory", "p3-memory container \"app\" runs 2 replicas on memory storage. Fix: use shared storage (s3) or 1 replica."],
    ["athens-storage-production", "mandatory", "p3-memory container \"app\" ATHENS_STORAGE_TYPE=memory keeps the cache in memory. Fix: use s3 storage."],
  ],
  "p3-static-keys": [
    ["athens-storage-production", "mandatory", "p3-static-keys container \"app\" sets AWS_SECRET_ACCESS_KEY: static AWS keys. Fix: remove them and use IRSA."],
  ],
  "p4-no-singleflight": [
    ["athens-replicas-shared", "mandatory", "p4-no-singleflight container \"app\" runs 2 replicas without a single-flight backend. Fix: set ATHENS_SINGLE_FLIGHT_TYPE=redis and ATHENS_REDIS_ENDPOINT."],
  ],
  "p5-redis-password-literal": [
    ["athens-credentials-from-file", "mandatory", "p5-redis-password-literal container \"app\" passes the Redis password in ATHENS_REDIS_PASSWORD as a literal value. Fix: take ATHENS_REDIS_PASSWORD from a Secret (valueFrom.secretKeyRef); Athens reads the Redis credentials only from its environment."],
  ],
  "p5-redis-url-literal": [
    ["athens-credentials-from-file", "mandatory", "p5-redis-url-literal container \"app\" passes the Redis URL's password in ATHENS_REDIS_ENDPOINT as a literal value. Fix: take ATHENS_REDIS_ENDPOINT from a Secret (valueFrom.secretKeyRef); Athens reads the Redis credentials only from its environment."],
  ],
  "p5-token-env": [
    ["athens-credentials-from-file", "mandatory", "p5-token-env container \"app\" passes ATHENS_GITHUB_TOKEN as an environment variable. Fix: mount the credentials from a Secret as a file and set ATHENS_NETRC_PATH."],
  ],
  "p6-pprof": [
    ["athens-operations", "advisory", "p6-pprof container \"app\" ATHENS_ENABLE_PPROF=true exposes profiling. Fix: set it to false."],
  ],
  "t4-golang-minor": [
    ["golang-image-full-patch", "mandatory", "t4-golang-minor container \"app\": image golang:1.26@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818 has tag 1.26: \"1.26\" is a minor series, not a release: pin a patch such as 1.26.7; the tag moves to each new Go release. Fix: use golang:1.26.7[-variant] from the lock, pinned by @sha256 digest."],
  ],
  "t5-tag-only": [
    ["image-pinned-by-digest", "mandatory", "t5-tag-only container \"app\": image registry.corp.example/svc:1.4.2 is not pinned by digest. Fix: use registry.corp.example/svc:1.4.2@sha256:<digest>."],
  ],
  "t6-latest": [
    ["image-no-latest", "mandatory", "t6-latest container \"app\": image registry.corp.example/svc:latest uses the latest tag. Fix: name an exact tag and pin it by digest."],
    ["image-pinned-by-digest", "mandatory", "t6-latest container \"app\": image registry.corp.example/svc:latest is not pinned by digest. Fix: use registry.corp.example/svc:latest@sha256:<digest>."],
  ],
};

describe("workload, image and Athens rules in prod", () => {
  let by: Expected;
  let code: number;
  beforeAll(async () => {
    ({ by, code } = await violationsByResource("workloads.ts"));
  });

  test("the happy-path Go workload and Athens Deployment stay quiet", () => {
    expect(by.happy).toBeUndefined();
    expect(by["athens-happy"]).toBeUndefined();
    expect(by["p5-redis-from-secret"]).toBeUndefined();
    expect(by["athens-happy-ingress"]).toBeUndefined();
  });

  test.each(Object.keys(expected))("%s fires exactly its rule(s)", (name) => {
    expect(by[name]).toEqual(expected[name]);
  });

  test("nothing else fires, and mandatory violations fail the run", () => {
    expect(Object.keys(by).sort()).toEqual(Object.keys(expected).sort());
    expect(code).toBe(1);
  });
});
