// Weakness: Athens installed from its official chart with a k8s.helm.v3.Release; the chart value
// configEnvVars gives ATHENS_GO_BINARY_ENV_VARS with GOSUMDB=off.
// Source: https://github.com/gomods/athens-charts charts/athens-proxy/README.md (values: configEnvVars) ; https://www.pulumi.com/registry/packages/kubernetes/api-docs/helm/v3/release/
// Expected: refused in prod; the violation sits on "athens-proxy" and names ATHENS_GO_BINARY_ENV_VARS, GOSUMDB, off.
import * as k8s from "@pulumi/kubernetes";

new k8s.helm.v3.Release("athens-proxy", {
  chart: "athens-proxy",
  version: "0.17.0",
  namespace: "goproxy",
  repositoryOpts: { repo: "https://gomods.github.io/athens-charts" },
  values: {
    replicaCount: 1,
    storage: { type: "disk" },
    configEnvVars: [
      { name: "GO_ENV", value: "production" },
      { name: "ATHENS_GO_BINARY_ENV_VARS", value: "GOPROXY=https://proxy.golang.org,direct;GOSUMDB=off" },
    ],
  },
});
