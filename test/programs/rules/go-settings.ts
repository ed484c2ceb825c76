// Go settings rows through the real handlers: a happy ConfigMap with the environment's baseline and
// one ConfigMap per weakness; T2 and G8 on docker.Image build args (a complete build environment
// there is the GoBuildImage one; here the args carry only what each row needs).
import * as k8s from "@pulumi/kubernetes";
import * as docker from "@pulumi/docker";

const baseline: Record<string, string> = {
  GOPROXY: "http://athens.goproxy.svc.cluster.local",
  GOSUMDB: "sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org",
  GONOSUMDB: "git.corp.example",
  GOPRIVATE: "git.corp.example",
  GOTOOLCHAIN: "local",
  GOFLAGS: "-mod=readonly -trimpath",
  CGO_ENABLED: "0",
};
const variants: Array<[string, Record<string, string | undefined>]> = [
  ["happy", {}],
  ["g3-goinsecure", { GOINSECURE: "git.corp.example" }],
  ["g5-mod-mod", { GOFLAGS: "-mod=mod -trimpath" }],
  ["g7-nosumcheck", { GONOSUMCHECK: "1" }],
  ["g6-direct-fallback", { GOPROXY: "http://athens.goproxy.svc.cluster.local,direct" }],
];
for (const [name, over] of variants) {
  const data = { ...baseline, ...over } as Record<string, string>;
  new k8s.core.v1.ConfigMap(name, { metadata: { namespace: "ci" }, data });
}
new docker.Image("t2-not-allowed", { imageName: "registry.corp.example/x:1", skipPush: true, build: { context: "../test/fixtures/dockerfiles/minimal", args: { GO_VERSION: "1.25.14" } } });
// A published go-env (labelled) is a whole build environment: release flags apply to it.
new k8s.core.v1.ConfigMap("g8-published-no-trimpath", { metadata: { namespace: "ci", labels: { "goguard.dev/go-env": "true" } }, data: { ...baseline, GOFLAGS: "-mod=readonly" } });
// The split between the object and its consumer: a published go-env that a Job takes with envFrom.
// The Job is reported for the values it runs with (G5, naming the ConfigMap); the ConfigMap only for
// what a complete environment adds (G8 release flags), so nothing is reported twice.
new k8s.core.v1.ConfigMap("split-go-env", { metadata: { namespace: "ci", name: "split-go-env", labels: { "goguard.dev/go-env": "true" } }, data: { ...baseline, GOFLAGS: "-mod=mod" } });
new k8s.batch.v1.Job("split-consumer", {
  metadata: { namespace: "ci" },
  spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "build", image: "registry.corp.example/ci@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818", envFrom: [{ configMapRef: { name: "split-go-env" } }] }] } } },
});
