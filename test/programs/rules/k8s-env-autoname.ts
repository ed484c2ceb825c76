// The common shape: a workload takes an auto-named ConfigMap by its name output. The provider names
// it during preview, so the reference resolves and the weakness is tied to the Job.
// Expected findings: test/policies/k8s-env.test.ts.
import * as k8s from "@pulumi/kubernetes";

const image = "registry.corp.example/ci@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";
for (const [name, sumdb] of [["autoname-off", "off"], ["autoname-ok", "sum.golang.org"]]) {
  const env = new k8s.core.v1.ConfigMap(`${name}-env`, { metadata: { namespace: "ci" }, data: { GOSUMDB: sumdb } });
  new k8s.batch.v1.Job(name, { metadata: { namespace: "ci" }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "build", image, envFrom: [{ configMapRef: { name: env.metadata.name } }] }] } } } });
}
