// Weakness: a Secret's `data` (base64: "b2Zm" is "off") under key SUMDB, consumed with envFrom
// secretRef and prefix "GO": the container gets GOSUMDB=off.
// Source: https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/#define-container-environment-variables-using-secret-data ; https://kubernetes.io/docs/concepts/configuration/secret/ (data values are base64) ; EnvFromSource.prefix
// Expected: refused in prod; the violation sits on "secret-env" and names GOSUMDB, build-secrets.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const secrets = new k8s.core.v1.Secret("build-secrets", {
  metadata: { namespace: "ci", name: "build-secrets" },
  data: { SUMDB: Buffer.from("off").toString("base64"), NETRC_HOST: Buffer.from("git.corp.example").toString("base64") },
});
const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "CGO_ENABLED", value: "0" },
];

new k8s.batch.v1.Job("secret-env", {
  metadata: { namespace: "ci" },
  spec: {
    template: {
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "secret-env",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{ name: "build", image, env, envFrom: [{ prefix: "GO", secretRef: { name: secrets.metadata.name } }], securityContext, resources }],
      },
    },
  },
});
