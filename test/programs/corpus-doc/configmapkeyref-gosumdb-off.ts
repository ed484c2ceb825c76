// Weakness: GOSUMDB comes from key "sumdb" of ConfigMap "go-knobs" (valueFrom.configMapKeyRef);
// the key's name says nothing about Go, its value turns checksum verification off.
// Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#define-container-environment-variables-using-configmap-data
// Expected: refused in prod; the violation sits on "builders" and names GOSUMDB, off, go-knobs.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const knobs = new k8s.core.v1.ConfigMap("go-knobs", {
  metadata: { namespace: "ci", name: "go-knobs" },
  data: { proxy: "http://athens.goproxy.svc.cluster.local", sumdb: "off" },
});

new k8s.apps.v1.ReplicaSet("builders", {
  metadata: { namespace: "ci" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "builders" } },
    template: {
      metadata: { labels: { app: "builders" } },
      spec: {
        serviceAccountName: "builders",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{
          name: "build",
          image,
          env: [
            { name: "GOPROXY", valueFrom: { configMapKeyRef: { name: knobs.metadata.name, key: "proxy" } } },
            { name: "GOSUMDB", valueFrom: { configMapKeyRef: { name: knobs.metadata.name, key: "sumdb" } } },
            { name: "GOTOOLCHAIN", value: "local" },
          ],
          securityContext,
          resources,
        }],
      },
    },
  },
});
