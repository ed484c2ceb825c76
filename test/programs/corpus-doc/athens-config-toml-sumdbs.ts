// Weakness: the mounted config.toml (ConfigMap "athens-sumdb-config") lists SumDBs without
// https://sum.golang.org: Athens proxies only another checksum database.
// Source: /work/shared/NOTES-ATHENS.md (ATHENS_GO_BINARY_ENV_VARS) ; https://docs.gomods.io/configuration/ (config.dev.toml: GoBinaryEnvVars, SumDBs) ; catalog P2 (ATHENS_SUM_DBS / SumDBs must include https://sum.golang.org)
// Expected: refused in prod; the violation sits on "athens" and names SumDBs, sum.golang.org.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };

// The upstream image by tag: its digest could not be sourced offline (data/image-digests.json,
// "unresolved"); the expected violation does not depend on it.
const athensImage = "docker.io/gomods/athens:v0.18.1";

const config = new k8s.core.v1.ConfigMap("athens-sumdb-config", {
  metadata: { namespace: "goproxy", name: "athens-sumdb-config" },
  data: {
    "config.toml": `GoEnv = "production"
StorageType = "disk"
GoBinaryEnvVars = ["GOPROXY=https://proxy.golang.org,direct", "GOPRIVATE=git.corp.example/*"]
SumDBs = ["https://sum.golang.google.cn"]
NoSumPatterns = ["git.corp.example/*"]

[Storage]
  [Storage.Disk]
    RootPath = "/var/lib/athens"
`,
  },
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
          env: [],
          ports: [{ containerPort: 3000 }],
          volumeMounts: [{ name: "config", mountPath: "/config/config.toml", subPath: "config.toml", readOnly: true }],
          securityContext,
          resources,
        }],
        volumes: [{ name: "config", configMap: { name: config.metadata.name } }],
      },
    },
  },
});
