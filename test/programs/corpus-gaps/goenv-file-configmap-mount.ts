// Weakness: no weak Go variable in env at all. GOENV=/etc/go/env points cmd/go at its configuration file,
// and that path is a ConfigMap key mounted into the container; the file (the format `go env -w` writes:
// NAME=VALUE lines) says GONOSUMDB=* and GOFLAGS=-mod=mod. Variables not set in the process environment are
// read from the GOENV file, so every module skips the checksum database and builds may rewrite go.mod.
// Source: go help environment (GOENV: "The location of the Go environment configuration file") ; go help env (-w writes NAME=VALUE to the GOENV file; the process environment takes precedence) ; https://kubernetes.io/docs/concepts/configuration/configmap/#using-configmaps-as-files-from-a-pod
// Expected: refused in prod; the violation sits on "goenv-file" and names GONOSUMDB, build-defaults.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from test/programs/corpus/compliant-lookalikes.ts, so the Kubernetes baseline
// (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const defaults = new k8s.core.v1.ConfigMap("build-defaults", {
  metadata: { namespace: "ci", name: "build-defaults" },
  data: { env: "GONOSUMDB=*\nGOFLAGS=-mod=mod\n" },
});

new k8s.batch.v1.CronJob("goenv-file", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: {
      spec: {
        template: {
          spec: {
            restartPolicy: "Never",
            serviceAccountName: "goenv-file",
            automountServiceAccountToken: false,
            securityContext: podSecurityContext,
            containers: [{
              name: "build",
              image,
              env: [
                { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
                { name: "GOSUMDB", value: "sum.golang.org" },
                { name: "GOTOOLCHAIN", value: "local" },
                { name: "GOENV", value: "/etc/go/env" },
                { name: "CGO_ENABLED", value: "0" },
              ],
              volumeMounts: [{ name: "go-config", mountPath: "/etc/go", readOnly: true }],
              securityContext,
              resources,
            }],
            volumes: [{ name: "go-config", configMap: { name: defaults.metadata.name } }],
          },
        },
      },
    },
  },
});
