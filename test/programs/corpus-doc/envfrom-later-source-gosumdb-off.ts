// Weakness: two ConfigMaps through envFrom; "go-base" is correct, "go-overrides" comes later and
// sets GOSUMDB=off, which is the value the container gets.
// Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables (a key in several envFrom sources: the last source wins)
// Expected: refused in prod; the violation sits on "release" and names GOSUMDB, off, go-overrides.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const base = new k8s.core.v1.ConfigMap("go-base", {
  metadata: { namespace: "ci", name: "go-base" },
  data: { GOPROXY: "http://athens.goproxy.svc.cluster.local", GOSUMDB: "sum.golang.org", GOTOOLCHAIN: "local", GOFLAGS: "-mod=readonly -trimpath", CGO_ENABLED: "0" },
});
const overrides = new k8s.core.v1.ConfigMap("go-overrides", {
  metadata: { namespace: "ci", name: "go-overrides" },
  data: { GOSUMDB: "off" },
});

new k8s.batch.v1.Job("release", {
  metadata: { namespace: "ci" },
  spec: {
    template: {
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "release",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{ name: "build", image, envFrom: [{ configMapRef: { name: base.metadata.name } }, { configMapRef: { name: overrides.metadata.name } }], securityContext, resources }],
      },
    },
  },
});
