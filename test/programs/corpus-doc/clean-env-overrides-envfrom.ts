// Clean: ConfigMap "old-build-settings" (through envFrom) says GOSUMDB=off and GOPROXY=direct, but the
// container's env sets both again, and env takes precedence over envFrom.
// Source: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables (envFrom: values defined by an Env with a duplicate key take precedence)
// Expected: clean in prod (no violation at all).
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const old = new k8s.core.v1.ConfigMap("old-build-settings", {
  metadata: { namespace: "ci", name: "old-build-settings" },
  data: { GOSUMDB: "off", GOPROXY: "direct", GOTOOLCHAIN: "local" },
});
const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GOSUMDB", value: "sum.golang.org" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "CGO_ENABLED", value: "0" },
];

new k8s.batch.v1.CronJob("overridden", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "overridden",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            containers: [{ name: "build", image, envFrom: [{ configMapRef: { name: old.metadata.name } }], env, securityContext, resources }],
          },
        },
      },
    },
  },
});
