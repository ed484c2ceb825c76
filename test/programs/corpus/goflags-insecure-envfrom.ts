// Weakness: GOFLAGS=-insecure published in a ConfigMap that a workload takes with envFrom.
import * as k8s from "@pulumi/kubernetes";

const env = new k8s.core.v1.ConfigMap("build-env", { metadata: { namespace: "ci", name: "build-env" }, data: { GOFLAGS: "-insecure" } });
new k8s.batch.v1.Job("build", {
  metadata: { namespace: "ci" },
  spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "build", image: "registry.corp.example/ci@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818", envFrom: [{ configMapRef: { name: env.metadata.name } }] }] } } },
});
