// Weakness: the Job in namespace "ci" takes envFrom ConfigMap "go-env"; the stack defines a
// ConfigMap "go-env" only in namespace "platform". The one the Job gets (ci/go-env) is not in the
// stack,
// so its content is unknowable offline: prod must refuse.
// Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables (a Pod can only reference a ConfigMap in its own namespace)
// Expected: refused in prod; the violation sits on "ns-build" and names go-env.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

new k8s.core.v1.ConfigMap("platform-go-env", {
  metadata: { namespace: "platform", name: "go-env" },
  data: { GOPROXY: "http://athens.goproxy.svc.cluster.local", GOSUMDB: "sum.golang.org", GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -trimpath", CGO_ENABLED: "0" },
});

new k8s.batch.v1.Job("ns-build", {
  metadata: { namespace: "ci" },
  spec: {
    template: {
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "ns-build",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{ name: "build", image, envFrom: [{ configMapRef: { name: "go-env" } }], securityContext, resources }],
      },
    },
  },
});
