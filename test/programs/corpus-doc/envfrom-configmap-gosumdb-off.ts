// Weakness: GOSUMDB=off reaches the container through envFrom (no prefix): every key of the
// ConfigMap "go-settings" becomes an environment variable of the container.
// Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables
// Expected: refused in prod; the violation sits on "fetch" and names GOSUMDB, off, go-settings.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const settings = new k8s.core.v1.ConfigMap("go-settings", {
  metadata: { namespace: "ci", name: "go-settings" },
  data: { GOPROXY: "http://athens.goproxy.svc.cluster.local", GOSUMDB: "off", GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -trimpath", CGO_ENABLED: "0" },
});

new k8s.batch.v1.Job("fetch", {
  metadata: { namespace: "ci" },
  spec: {
    template: {
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "fetch",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{ name: "build", image, envFrom: [{ configMapRef: { name: settings.metadata.name } }], securityContext, resources }],
      },
    },
  },
});
