// Weakness: a CronJob whose init container runs `go mod download` with GOSUMDB=off; the main
// container is clean.
// Source: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables (initContainers take env like containers)
// Expected: refused in prod; the violation sits on "vendor-refresh" and names GOSUMDB, off.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

new k8s.batch.v1.CronJob("vendor-refresh", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "15 2 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "vendor-refresh",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            initContainers: [{
              name: "download",
              image,
              command: ["go", "mod", "download"],
              env: [{ name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" }, { name: "GOSUMDB", value: "off" }, { name: "GOTOOLCHAIN", value: "local" }],
              securityContext,
              resources,
            }],
            containers: [{
              name: "build",
              image,
              env: [{ name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" }, { name: "GOSUMDB", value: "sum.golang.org" }, { name: "GOTOOLCHAIN", value: "local" }],
              securityContext,
              resources,
            }],
          },
        },
      },
    },
  },
});
