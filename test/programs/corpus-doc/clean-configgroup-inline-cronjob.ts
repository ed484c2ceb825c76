// Clean: a ConfigGroup with inline YAML of a hardened CronJob carrying the environment's settings
// (GOSUMDB quoted as YAML string, GOFLAGS with spaces).
// Source: https://www.pulumi.com/registry/packages/kubernetes/api-docs/yaml/v2/configgroup/
// Expected: clean in prod (no violation at all).
import * as k8s from "@pulumi/kubernetes";

new k8s.yaml.v2.ConfigGroup("nightly-yaml", {
  yaml: `
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-yaml
  namespace: ci
spec:
  schedule: "0 4 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          serviceAccountName: nightly-yaml
          automountServiceAccountToken: false
          securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
          containers:
            - name: build
              image: registry.corp.example/ci/build@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818
              env:
                - {name: GOPROXY, value: "http://athens.goproxy.svc.cluster.local"}
                - {name: GOSUMDB, value: "sum.golang.org"}
                - {name: GONOSUMDB, value: "git.corp.example"}
                - {name: GOTOOLCHAIN, value: "local"}
                - {name: GOFLAGS, value: "-mod=readonly -trimpath"}
                - {name: CGO_ENABLED, value: "0"}
              securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
              resources:
                requests: {cpu: 500m, memory: 1Gi, ephemeral-storage: 2Gi}
                limits: {memory: 2Gi, ephemeral-storage: 4Gi}
`,
});
