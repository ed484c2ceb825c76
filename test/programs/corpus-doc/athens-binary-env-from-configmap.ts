// Weakness: ATHENS_GO_BINARY_ENV_VARS comes from key "goenv" of ConfigMap "athens-upstream"
// (valueFrom.configMapKeyRef) and holds GONOSUMDB=github.com.
// Source: /work/shared/NOTES-ATHENS.md (ATHENS_GO_BINARY_ENV_VARS) ; https://docs.gomods.io/configuration/ (config.dev.toml: GoBinaryEnvVars, SumDBs) ; https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#define-container-environment-variables-using-configmap-data
// Expected: refused in prod; the violation sits on "athens" and names ATHENS_GO_BINARY_ENV_VARS, GONOSUMDB, athens-upstream.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };

// The upstream image by tag: its digest could not be sourced offline (data/image-digests.json,
// "unresolved"); the expected violation does not depend on it.
const athensImage = "docker.io/gomods/athens:v0.18.1";

const upstream = new k8s.core.v1.ConfigMap("athens-upstream", {
  metadata: { namespace: "goproxy", name: "athens-upstream" },
  data: { goenv: "GOPROXY=https://proxy.golang.org;GOPRIVATE=git.corp.example/*;GONOSUMDB=github.com" },
});

new k8s.apps.v1.Deployment("athens", {
  metadata: { namespace: "goproxy" },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "athens" } },
    template: {
      metadata: { labels: { app: "athens" } },
      spec: {
        serviceAccountName: "athens",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{
          name: "athens",
          image: athensImage,
          env: [
            { name: "ATHENS_STORAGE_TYPE", value: "disk" },
            { name: "GO_ENV", value: "production" },
            { name: "ATHENS_GO_BINARY_ENV_VARS", valueFrom: { configMapKeyRef: { name: upstream.metadata.name, key: "goenv" } } },
          ],
          ports: [{ containerPort: 3000 }],
          securityContext,
          resources,
        }],
      },
    },
  },
});
