// Weakness: the ConfigMap holds no Go setting by name (keys SUMDB, PROXY), but envFrom with
// prefix "GO" turns them into GOSUMDB=off and GOPROXY=... inside the container.
// Source: https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables (EnvFromSource.prefix: prepended to every key)
// Expected: refused in prod; the violation sits on "cache-warmer" and names GOSUMDB, off, sum-settings.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const settings = new k8s.core.v1.ConfigMap("sum-settings", {
  metadata: { namespace: "ci", name: "sum-settings" },
  data: { SUMDB: "off", PROXY: "http://athens.goproxy.svc.cluster.local", TOOLCHAIN: "local", FLAGS: "-mod=readonly -trimpath" },
});

new k8s.apps.v1.StatefulSet("cache-warmer", {
  metadata: { namespace: "ci" },
  spec: {
    serviceName: "cache-warmer",
    replicas: 1,
    selector: { matchLabels: { app: "cache-warmer" } },
    template: {
      metadata: { labels: { app: "cache-warmer" } },
      spec: {
        serviceAccountName: "cache-warmer",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{
          name: "warm",
          image,
          envFrom: [{ prefix: "GO", configMapRef: { name: settings.metadata.name } }],
          env: [{ name: "CGO_ENABLED", value: "0" }],
          securityContext,
          resources,
        }],
      },
    },
  },
});
