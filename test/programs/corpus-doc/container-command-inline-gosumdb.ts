// Weakness: the container's env is the environment's baseline, but its command is
// ["/bin/sh", "-c", "GOSUMDB=off go mod download && go build ./..."]: the shell puts GOSUMDB=off in the
// environment of `go mod download`. The Dockerfile equivalent (RUN GOSUMDB=off go …) is refused by the
// corpus; here it sits in a Kubernetes container's command.
// Source: POSIX sh (Shell Command Language 2.9.1: variable assignments before a command name are exported to that command) ; https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/ (command/args run in a shell)
// Expected: refused in prod; the violation sits on "inline-sumoff" and names GOSUMDB, off.
import * as k8s from "@pulumi/kubernetes";

// Hardening copied from test/programs/corpus/compliant-lookalikes.ts, so the Kubernetes baseline
// (K1-K8) has nothing to say and only the Go setting under test can fire.
const podSecurityContext = { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } };
const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const resources = { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "2Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "4Gi" } };
const image = "registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

new k8s.batch.v1.Job("inline-sumoff", {
  metadata: { namespace: "ci" },
  spec: {
    template: {
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "inline-sumoff",
        automountServiceAccountToken: false,
        securityContext: podSecurityContext,
        containers: [{
          name: "build",
          image,
          command: ["/bin/sh", "-c", "GOSUMDB=off go mod download && go build ./..."],
          env: [
            { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
            { name: "GOSUMDB", value: "sum.golang.org" },
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
});
