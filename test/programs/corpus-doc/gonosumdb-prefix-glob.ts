// Weakness: GONOSUMDB="git.corp.example*" also matches hosts anyone can register
// (git.corp.example-mirror.com, git.corp.example.attacker.net): those skip the checksum database.
// Source: https://go.dev/ref/mod#private-modules (go help module-private; patterns as in path.Match) ; https://pkg.go.dev/path#Match
// Expected: refused in prod; the violation sits on "prefix-glob" and names GONOSUMDB, git.corp.example*.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GOSUMDB", value: "sum.golang.org" },
  { name: "GONOSUMDB", value: "git.corp.example*" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "CGO_ENABLED", value: "0" },
];

new k8s.batch.v1.Job("prefix-glob", {
  metadata: { namespace: "ci" },
  spec: {
    template: {
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "prefix-glob",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{ name: "build", image, env, securityContext, resources }],
      },
    },
  },
});
