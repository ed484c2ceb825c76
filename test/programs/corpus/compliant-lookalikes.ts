// Compliant: the environment's settings, plus variables that merely look like Go settings.
import * as k8s from "@pulumi/kubernetes";

const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GOSUMDB", value: "sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "CGO_ENABLED", value: "0" },
  { name: "GO_VERSION", value: "1.26.7" },
  { name: "GOPHER_NAME", value: "gordon" },
  { name: "FEATURE_GOSSIP", value: "off" },
];

new k8s.batch.v1.CronJob("nightly", {
  metadata: { namespace: "ci" },
  spec: {
    schedule: "0 3 * * *",
    jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "build", image: "busybox", env }] } } } },
  },
});
