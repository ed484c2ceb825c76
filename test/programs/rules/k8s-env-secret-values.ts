// Go settings taken from Secrets, weak in ways each rule catches, every value carrying a marker
// (secret-marker-NNNN) that must never appear in a report: a Secret a workload takes with envFrom,
// one no workload consumes (judged on its own data), and Athens' ATHENS_GO_BINARY_ENV_VARS from a
// secretKeyRef (judged as the proxy's upstream settings).
import * as k8s from "@pulumi/kubernetes";

const consumed = new k8s.core.v1.Secret("go-secret-consumed", {
  metadata: { namespace: "ci", name: "go-secret-consumed" },
  stringData: { GOFLAGS: "-mod=mod -tags=secret-marker-1111", GONOSUMDB: "github.com/secret-marker-2222" },
});

new k8s.core.v1.Secret("go-secret-unused", {
  metadata: { namespace: "ci", name: "go-secret-unused" },
  stringData: { GOPROXY: "https://proxy.secret-marker-3333.example" },
});

const athensEnv = new k8s.core.v1.Secret("athens-go-env", {
  metadata: { namespace: "goproxy", name: "athens-go-env" },
  stringData: { goenv: "GOPROXY=direct;GONOSUMDB=github.com/secret-marker-4444" },
});

new k8s.apps.v1.Deployment("secret-env-build", {
  metadata: { namespace: "ci" },
  spec: {
    selector: { matchLabels: { app: "secret-env-build" } },
    template: {
      metadata: { labels: { app: "secret-env-build" } },
      spec: { containers: [{ name: "build", image: "registry.corp.example/ci/build:1", envFrom: [{ secretRef: { name: consumed.metadata.name } }] }] },
    },
  },
});

new k8s.apps.v1.Deployment("athens", {
  metadata: { namespace: "goproxy" },
  spec: {
    selector: { matchLabels: { app: "athens" } },
    template: {
      metadata: { labels: { app: "athens" } },
      spec: {
        containers: [
          {
            name: "athens",
            image: "gomods/athens:v0.18.0",
            env: [{ name: "ATHENS_GO_BINARY_ENV_VARS", valueFrom: { secretKeyRef: { name: athensEnv.metadata.name, key: "goenv" } } }],
          },
        ],
      },
    },
  },
});
