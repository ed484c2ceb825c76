// Weakness: GOPROXY=http://athens.goproxy.svc.cluster.local@proxy.golang.org. Everything before "@"
// is userinfo; the host Go contacts is proxy.golang.org, over plain http.
// Source: https://go.dev/ref/mod#environment-variables (go help environment) ; RFC 3986 3.2 (userinfo@host: the host is after the @)
// Expected: refused in prod; the violation sits on "userinfo" and names GOPROXY, proxy.golang.org.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local@proxy.golang.org" },
  { name: "GOSUMDB", value: "sum.golang.org" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "CGO_ENABLED", value: "0" },
];

new k8s.batch.v1.CronJob("userinfo", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "userinfo",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            containers: [{ name: "build", image, env, securityContext, resources }],
          },
        },
      },
    },
  },
});
