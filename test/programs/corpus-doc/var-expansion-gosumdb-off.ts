// Weakness: GOSUMDB is written as "$(SUMDB_MODE)"; the kubelet expands $(VAR) from variables
// defined earlier in the same list, so the container sees GOSUMDB=off.
// Source: https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
// Expected: refused in prod; the violation sits on "probe-build" and names GOSUMDB, off.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

new k8s.core.v1.Pod("probe-build", {
  metadata: { namespace: "ci" },
  spec: {
    restartPolicy: "Never",
    serviceAccountName: "probe-build",
    automountServiceAccountToken: false,
    securityContext: podSecurityContext,
    containers: [{
      name: "build",
      image,
      env: [
        { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
        { name: "SUMDB_MODE", value: "off" },
        { name: "GOSUMDB", value: "$(SUMDB_MODE)" },
        { name: "GOTOOLCHAIN", value: "local" },
      ],
      securityContext,
      resources,
    }],
  },
});
