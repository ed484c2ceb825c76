// Compliant: the environment's settings on a hardened CronJob, plus variables that merely look like
// Go settings (GOPHER_NAME, FEATURE_GOSSIP).
import * as k8s from "@pulumi/kubernetes";

const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GOSUMDB", value: "sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "CGO_ENABLED", value: "0" },
  { name: "GO_VERSION", value: "1.26.7" },
  { name: "GOPHER_NAME", value: "gordon" },
  { name: "FEATURE_GOSSIP", value: "off" },
];

new k8s.batch.v1.CronJob("nightly", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "nightly",
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "build",
                image: "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818",
                env,
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } },
              },
            ],
          },
        },
      },
    },
  },
});
