// A generated program, its size from GOGUARD_BENCH_WORKLOADS:
// - GOGUARD_BENCH_KIND=workloads (default): N compliant Go workloads (the environment's Go settings,
//   the Kubernetes baseline, a PodDisruptionBudget each), two resources per workload;
// - GOGUARD_BENCH_KIND=configmaps: N ConfigMaps carrying the Go environment, one resource each (the
//   shape of a platform team's large stack: many small objects).
import * as k8s from "@pulumi/kubernetes";

const n = Number(process.env.GOGUARD_BENCH_WORKLOADS ?? "100");
const kind = process.env.GOGUARD_BENCH_KIND ?? "workloads";
if (kind !== "workloads" && kind !== "configmaps") throw new Error(`GOGUARD_BENCH_KIND=${kind}: use workloads or configmaps`);
const env = [
  { name: "GOPROXY", value: "http://athens.goproxy.svc.cluster.local" },
  { name: "GOSUMDB", value: "sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org" },
  { name: "GONOSUMDB", value: "git.corp.example" },
  { name: "GOTOOLCHAIN", value: "local" },
  { name: "GOFLAGS", value: "-mod=readonly -trimpath" },
  { name: "GO_VERSION", value: "1.26.7" },
];
for (let i = 0; kind === "configmaps" && i < n; i++) {
  new k8s.core.v1.ConfigMap(`go-env-${i}`, {
    metadata: { namespace: "apps", name: `go-env-${i}`, labels: { app: `svc-${i}` } },
    data: Object.fromEntries(env.map((e) => [e.name, e.value])),
  });
}
for (let i = 0; kind === "workloads" && i < n; i++) {
  const labels = { app: `svc-${i}` };
  new k8s.apps.v1.Deployment(`svc-${i}`, {
    metadata: { namespace: "apps", labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: `svc-${i}`,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: labels } }],
          containers: [
            {
              name: "app",
              image: "registry.corp.example/svc@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818",
              env,
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "1Gi" }, limits: { memory: "256Mi", "ephemeral-storage": "2Gi" } },
              readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
              livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
            },
          ],
        },
      },
    },
  });
  new k8s.policy.v1.PodDisruptionBudget(`svc-${i}-pdb`, { metadata: { namespace: "apps" }, spec: { minAvailable: 1, selector: { matchLabels: labels } } });
}
