// Weakness: GOSUMDB takes its value from the Downward API: valueFrom.fieldRef
// metadata.annotations['build.corp.example/sumdb'], and the pod template carries that annotation with
// value "off". The value is in this very object, so it is known before deployment.
// Source: https://kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/ (env valueFrom.fieldRef: metadata.annotations['<KEY>']) ; https://kubernetes.io/docs/concepts/workloads/pods/downward-api/#downwardapi-fieldRef
// Expected: refused in prod; the violation sits on "annotated-build" and names GOSUMDB, off.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from test/programs/corpus/compliant-lookalikes.ts, so the Kubernetes baseline
// (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

new k8s.batch.v1.CronJob("annotated-build", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: {
      spec: {
        template: {
          metadata: { annotations: { "build.corp.example/sumdb": "off" } },
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "annotated-build",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            containers: [{
              name: "build",
              image,
              env: [
                { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
                { name: "GOSUMDB", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['build.corp.example/sumdb']" } } },
                { name: "GONOSUMDB", value: "git.corp.example" },
                { name: "GOTOOLCHAIN", value: "local" },
                { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
                { name: "CGO_ENABLED", value: "0" },
              ],
              securityContext,
              resources,
            }],
          },
        },
      },
    },
  },
});
