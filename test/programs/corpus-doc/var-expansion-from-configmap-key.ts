// Weakness: two routes chained: MODE comes from key "prod" of ConfigMap "sum-modes" (which holds
// "off"), and GOSUMDB is "$(MODE)", expanded by the kubelet.
// Source: https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/ ; https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#define-container-environment-variables-using-configmap-data
// Expected: refused in prod; the violation sits on "expand-cm" and names GOSUMDB, off, sum-modes.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const modes = new k8s.core.v1.ConfigMap("sum-modes", {
  metadata: { namespace: "ci", name: "sum-modes" },
  data: { prod: "off", dev: "off" },
});

new k8s.batch.v1.Job("expand-cm", {
  metadata: { namespace: "ci" },
  spec: {
    template: {
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "expand-cm",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{
          name: "build",
          image,
          env: [
            { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
            { name: "MODE", valueFrom: { configMapKeyRef: { name: modes.metadata.name, key: "prod" } } },
            { name: "GOSUMDB", value: "$(MODE)" },
            { name: "GOTOOLCHAIN", value: "local" },
          ],
          securityContext,
          resources,
        }],
      },
    },
  },
});
