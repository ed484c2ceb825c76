// Objects a yaml/v2 ConfigGroup (inline YAML) or ConfigFile (a file next to the program) registers
// are judged like any other: the Deployment takes GOSUMDB from a ConfigMap of the same group.
// Expected findings: test/policies/k8s-env.test.ts.
import * as k8s from "@pulumi/kubernetes";

const manifest = (sumdb: string, suffix: string): string => `
apiVersion: v1
kind: ConfigMap
metadata:
  name: go-env-${suffix}
  namespace: ci
data:
  GOSUMDB: "${sumdb}"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: builder-${suffix}
  namespace: ci
spec:
  selector: { matchLabels: { app: builder } }
  template:
    metadata: { labels: { app: builder } }
    spec:
      containers:
        - name: app
          image: registry.corp.example/ci@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818
          envFrom:
            - configMapRef: { name: go-env-${suffix} }
`;

new k8s.yaml.v2.ConfigGroup("cg-off", { yaml: manifest("off", "off") });
// The compliant twin gives its ConfigMap as `objs` and its Deployment as YAML: were the object not
// registered, the Deployment's envFrom would be unresolved and fire.
const [, deploymentYaml] = manifest("sum.golang.org", "ok").split("---");
new k8s.yaml.v2.ConfigGroup("cg-ok", {
  objs: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "go-env-ok", namespace: "ci" }, data: { GOSUMDB: "sum.golang.org" } }],
  yaml: deploymentYaml,
});
new k8s.yaml.v2.ConfigFile("cf", { file: "manifests/go-env-off.yaml" });
