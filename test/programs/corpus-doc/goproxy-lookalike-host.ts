// Weakness: GOPROXY's host starts with the environment's proxy name but is a public DNS name
// (athens.goproxy.svc.cluster.local.example.com), over plain http.
// Source: https://go.dev/ref/mod#environment-variables (go help environment) ; catalog G6 (plain http only for cluster-internal service names)
// Expected: refused in prod; the violation sits on "lookalike" and names GOPROXY, athens.goproxy.svc.cluster.local.example.com.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local.example.com" },
  { name: "GOSUMDB", value: "sum.golang.org" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "CGO_ENABLED", value: "0" },
];

new k8s.batch.v1.Job("lookalike", {
  metadata: { namespace: "ci" },
  spec: {
    template: {
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "lookalike",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{ name: "build", image, env, securityContext, resources }],
      },
    },
  },
});
