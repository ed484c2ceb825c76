// Weakness: a kubernetes:yaml/v2:ConfigGroup whose inline YAML holds a Deployment with GOSUMDB "off".
// The objects exist only as YAML text in the ConfigGroup's input; the violation belongs to the
// Deployment child
// "legacy-build:ci/legacy-build" (yaml/v2 prefixes child names with the ConfigGroup's name).
// Source: https://www.pulumi.com/registry/packages/kubernetes/api-docs/yaml/v2/configgroup/ (yaml: literal YAML text; children are named <ConfigGroup name>:<namespace>/<name>, pulumi/pulumi-kubernetes#2784)
// Expected: refused in prod; the violation sits on "legacy-build:ci/legacy-build" and names GOSUMDB, off.
import * as k8s from "@pulumi/kubernetes";

new k8s.yaml.v2.ConfigGroup("legacy-build", {
  yaml: `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy-build
  namespace: ci
spec:
  replicas: 2
  selector:
    matchLabels: {app: legacy-build}
  template:
    metadata:
      labels: {app: legacy-build}
    spec:
      serviceAccountName: legacy-build
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: build
          image: registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818
          env:
            - name: GOPROXY
              value: http://athens.goproxy.svc.cluster.local
            - name: GOSUMDB
              value: "off"
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
`,
});
