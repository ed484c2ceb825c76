// Weakness: Athens' go binary gets GONOSUMDB=* through ATHENS_GO_BINARY_ENV_VARS (';'-separated): the
// proxy fetches every module unverified and caches it for everyone.
// Source: /work/shared/NOTES-ATHENS.md (ATHENS_GO_BINARY_ENV_VARS) ; https://docs.gomods.io/configuration/ (config.dev.toml: GoBinaryEnvVars, SumDBs)
// Expected: refused in prod; the violation sits on "athens" and names ATHENS_GO_BINARY_ENV_VARS, GONOSUMDB, *.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };

// The upstream image by tag: its digest could not be sourced offline (data/image-digests.json,
// "unresolved"); the expected violation does not depend on it.
const athensImage = "docker.io/gomods/athens:v0.18.1";

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
            { name: "ATHENS_DISK_STORAGE_ROOT", value: "/var/lib/athens" },
            { name: "GO_ENV", value: "production" },
            { name: "ATHENS_GO_BINARY_ENV_VARS", value: "GOPROXY=https://proxy.golang.org,direct;GOPRIVATE=git.corp.example/*;GONOSUMDB=*" },
          ],
          ports: [{ containerPort: 3000 }],
          securityContext,
          resources,
        }],
      },
    },
  },
});
