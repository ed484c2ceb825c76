// Clean: two ConfigMaps named "build-settings". The one in "sandbox" says GOSUMDB=off and is read
// only by a sandbox CronJob under prefix "OLD_" (so no Go setting comes of it); the one in "ci" (the
// namespace of CronJob "ns-clean", the only one it can read) holds the environment's settings. A check
// that matched ConfigMaps by name alone would give ns-clean the sandbox values.
// Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables (a Pod can only reference a ConfigMap in its own namespace; EnvFromSource.prefix)
// Expected: clean in prod (no violation at all).
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const sandboxSettings = new k8s.core.v1.ConfigMap("sandbox-build-settings", {
  metadata: { namespace: "sandbox", name: "build-settings" },
  data: { GOSUMDB: "off", GOPROXY: "direct" },
});
const ciSettings = new k8s.core.v1.ConfigMap("ci-build-settings", {
  metadata: { namespace: "ci", name: "build-settings" },
  data: { GOPROXY: "http://athens.goproxy.svc.cluster.local", GOSUMDB: "sum.golang.org", GONOSUMDB: "git.corp.example", GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -trimpath", CGO_ENABLED: "0" },
});
const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GOSUMDB", value: "sum.golang.org" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "CGO_ENABLED", value: "0" },
];

new k8s.batch.v1.CronJob("ns-clean", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "ns-clean",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            containers: [{ name: "build", image, envFrom: [{ configMapRef: { name: ciSettings.metadata.name } }], securityContext, resources }],
          },
        },
      },
    },
  },
});

new k8s.batch.v1.CronJob("sandbox-report", {
  metadata: { namespace: "sandbox" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "sandbox-report",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            containers: [{ name: "build", image, env, envFrom: [{ prefix: "OLD_", configMapRef: { name: sandboxSettings.metadata.name } }], securityContext, resources }],
          },
        },
      },
    },
  },
});
