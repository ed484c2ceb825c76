// Clean: GOSUMDB is listed twice; the earlier entry says "off", the later one (the value the container
// gets) is sum.golang.org.
// Source: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables (a later entry with the same name wins)
// Expected: clean in prod (no violation at all).
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GOSUMDB", value: "off" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "CGO_ENABLED", value: "0" },
  { name: "GOSUMDB", value: "sum.golang.org" },
];

new k8s.batch.v1.CronJob("restored", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "restored",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            containers: [{ name: "build", image, env, securityContext, resources }],
          },
        },
      },
    },
  },
});
