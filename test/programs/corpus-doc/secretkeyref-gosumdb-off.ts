// Weakness: GOSUMDB takes its value from a Secret key (valueFrom.secretKeyRef), and that key
// holds "off". The Secret is in the same stack, so the value is known before deployment.
// Source: https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/#define-container-environment-variables-using-secret-data
// Expected: refused in prod; the violation sits on "node-builder" and names GOSUMDB, go-secrets.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const secrets = new k8s.core.v1.Secret("go-secrets", {
  metadata: { namespace: "ci", name: "go-secrets" },
  stringData: { sumdb: "off", "netrc-host": "git.corp.example" },
});

new k8s.apps.v1.DaemonSet("node-builder", {
  metadata: { namespace: "ci" },
  spec: {
    selector: { matchLabels: { app: "node-builder" } },
    template: {
      metadata: { labels: { app: "node-builder" } },
      spec: {
        serviceAccountName: "node-builder",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{
          name: "build",
          image,
          env: [
            { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
            { name: "GOSUMDB", valueFrom: { secretKeyRef: { name: secrets.metadata.name, key: "sumdb" } } },
            { name: "GOTOOLCHAIN", value: "local" },
          ],
          securityContext,
          resources,
        }],
      },
    },
  },
});
