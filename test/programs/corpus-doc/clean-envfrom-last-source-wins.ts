// Clean: two envFrom sources; the first ("legacy-build-settings") says GOSUMDB=off, the last
// ("platform-go-env") sets the environment's values, and the last source wins.
// Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables ; EnvFromSource: when a key exists in multiple sources, the last source takes precedence
// Expected: clean in prod (no violation at all).
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const legacy = new k8s.core.v1.ConfigMap("legacy-build-settings", {
  metadata: { namespace: "ci", name: "legacy-build-settings" },
  data: { GOSUMDB: "off" },
});
const platform = new k8s.core.v1.ConfigMap("platform-go-env", {
  metadata: { namespace: "ci", name: "platform-go-env" },
  data: { GOPROXY: "http://athens.goproxy.svc.cluster.local", GOSUMDB: "sum.golang.org", GONOSUMDB: "git.corp.example", GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -trimpath", CGO_ENABLED: "0" },
});

new k8s.batch.v1.CronJob("layered", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "layered",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            containers: [{ name: "build", image, envFrom: [{ configMapRef: { name: legacy.metadata.name } }, { configMapRef: { name: platform.metadata.name } }], securityContext, resources }],
          },
        },
      },
    },
  },
});
