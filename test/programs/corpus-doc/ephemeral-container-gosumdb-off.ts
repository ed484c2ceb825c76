// Weakness: the Pod's regular container is clean, its ephemeral (debug) container runs `go` with
// GOSUMDB=off. Ephemeral containers take env like any other container.
// Source: https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/ ; https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables
// Expected: refused in prod; the violation sits on "debug-target" and names GOSUMDB, off.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from the compliant CronJob of test/programs/corpus/compliant-lookalikes.ts, so the
// Kubernetes baseline (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

new k8s.core.v1.Pod("debug-target", {
  metadata: { namespace: "ci" },
  spec: {
    restartPolicy: "Never",
    serviceAccountName: "debug-target",
    automountServiceAccountToken: false,
    securityContext: podSecurityContext,
    containers: [{
      name: "app",
      image,
      env: [{ name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" }, { name: "GOSUMDB", value: "sum.golang.org" }],
      securityContext,
      resources,
    }],
    ephemeralContainers: [{
      name: "gotools",
      image,
      command: ["sleep", "3600"],
      env: [{ name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" }, { name: "GOSUMDB", value: "off" }],
      securityContext,
    }],
  },
});
