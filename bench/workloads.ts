// A generated program: N Deployments, each with the environment's Go settings in its env and a
// ConfigMap. Its size comes from GOGUARD_BENCH_WORKLOADS (the benchmark's only knob).
import * as k8s from "@pulumi/kubernetes";

const n = Number(process.env.GOGUARD_BENCH_WORKLOADS ?? "100");
const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GOSUMDB", value: "sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "GO_VERSION", value: "1.26.7" },
];
for (let i = 0; i < n; i++) {
  new k8s.apps.v1.Deployment(`svc-${i}`, {
    metadata: { namespace: "apps" },
    spec: {
      selector: { matchLabels: { app: `svc-${i}` } },
      template: { metadata: { labels: { app: `svc-${i}` } }, spec: { containers: [{ name: "app", image: "registry.corp.example/svc@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818", env }] } },
    },
  });
}
