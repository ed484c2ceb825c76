// A container's own command (Kubernetes command, then args): settings it assigns before go reach that
// go (POSIX sh 2.9.1; env(1)). Each Job's env is the environment's baseline; only the command differs.
import * as k8s from "@pulumi/kubernetes";

const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GOSUMDB", value: "sum.golang.org" },
  { name: "GOFLAGS", value: "-mod=readonly" },
];
const job = (name: string, container: Record<string, unknown>) =>
  new k8s.batch.v1.Job(name, {
    metadata: { namespace: "ci" },
    spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "build", image: "registry.corp.example/ci/build:1", env, ...container }] } } },
  });

job("cmd-sh-sumoff", { command: ["/bin/sh", "-c"], args: ["GOSUMDB=off go mod download && go build ./..."] });
job("cmd-env-modmod", { command: ["env", "GOFLAGS=-mod=mod", "go", "build", "./..."] });
// bash -ec (bash(1): -c among combined flags); coreutils timeout's DURATION operand before the command.
job("cmd-bash-ec-export", { command: ["/bin/bash", "-ec", "export GOFLAGS=-mod=mod; go build ./..."] });
job("cmd-timeout-env", { command: ["timeout", "-k", "10", "600", "env", "GONOSUMDB=*", "go", "mod", "download"] });
// Quiet: the value the environment already has; a plain go; args alone (the image's entrypoint runs them, unknown offline).
job("cmd-same-value", { command: ["sh", "-c", "GOSUMDB=sum.golang.org go mod download"] });
job("cmd-plain", { command: ["go", "build", "./..."] });
job("cmd-args-only", { args: ["GOSUMDB=off", "go", "build"] });
