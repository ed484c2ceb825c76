// Happy-path Go workload (and Athens) factories, each variant changing one field; every variant also
// gets the PodDisruptionBudget and NetworkPolicy the happy one has, unless the mutation removes them.
import * as k8s from "@pulumi/kubernetes";

type D = any;
const IMAGE = "registry.corp.example/svc@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

function goWorkload(name: string): D {
  const labels = { app: name };
  return {
    metadata: { namespace: "apps", labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: labels } }],
          containers: [
            {
              name: "app",
              image: IMAGE,
              envFrom: [{ configMapRef: { name: "go-env" } }],
              env: [{ name: "GO_VERSION", value: "1.26.7" }],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "1Gi" }, limits: { memory: "256Mi", "ephemeral-storage": "2Gi" } },
              readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
              livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
            },
          ],
        },
      },
    },
  };
}

function athens(name: string): D {
  const d = goWorkload(name);
  d.spec.template.spec.containers[0].envFrom = [];
  d.spec.template.spec.containers[0].env = [
    { name: "ATHENS_STORAGE_TYPE", value: "s3" },
    { name: "ATHENS_S3_BUCKET_NAME", value: "acme-goproxy-prod" },
    { name: "AWS_USE_DEFAULT_CONFIGURATION", value: "true" },
    { name: "ATHENS_SINGLE_FLIGHT_TYPE", value: "redis" },
    { name: "ATHENS_REDIS_ENDPOINT", value: "redis:6379" },
    { name: "ATHENS_GO_BINARY_ENV_VARS", value: "GOPROXY=https://proxy.golang.org;GOSUMDB=sum.golang.org;GOPRIVATE=git.corp.example;GONOSUMDB=git.corp.example" },
    { name: "ATHENS_SUM_DBS", value: "https://sum.golang.org" },
    { name: "ATHENS_GONOSUM_PATTERNS", value: "git.corp.example" },
    { name: "ATHENS_NETRC_PATH", value: "/etc/athens/netrc/.netrc" },
    { name: "ATHENS_LOG_FORMAT", value: "json" },
    { name: "GO_ENV", value: "production" },
  ];
  return d;
}

const env = (d: D): Array<{ name: string; value?: string; valueFrom?: unknown }> => d.spec.template.spec.containers[0].env;
const setEnv = (d: D, name: string, value: string | undefined): void => {
  const list = env(d).filter((e) => e.name !== name);
  if (value !== undefined) list.push({ name, value });
  d.spec.template.spec.containers[0].env = list;
};
const c0 = (d: D): D => d.spec.template.spec.containers[0];
const pod = (d: D): D => d.spec.template.spec;

const variants: Array<[string, (name: string) => D, (d: D) => void, { pdb?: boolean; netpol?: boolean }?]> = [
  ["happy", goWorkload, () => undefined],
  ["k1-root", goWorkload, (d) => (pod(d).securityContext.runAsUser = 0)],
  ["k1-escalation", goWorkload, (d) => (c0(d).securityContext.allowPrivilegeEscalation = true)],
  ["k1-caps", goWorkload, (d) => (c0(d).securityContext.capabilities = { drop: ["NET_RAW"] })],
  ["k1-seccomp", goWorkload, (d) => delete pod(d).securityContext.seccompProfile],
  ["k1-hostpath", goWorkload, (d) => (pod(d).volumes = [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }])],
  ["k2-writable", goWorkload, (d) => (c0(d).securityContext.readOnlyRootFilesystem = false)],
  ["k3-no-limits", goWorkload, (d) => delete c0(d).resources.limits],
  ["k4-same-probe", goWorkload, (d) => (c0(d).livenessProbe = { httpGet: { path: "/readyz", port: 8080 } })],
  ["k5-one-replica", goWorkload, (d) => (d.spec.replicas = 1)],
  ["k5-no-pdb", goWorkload, () => undefined, { pdb: false }],
  ["k7-default-sa", goWorkload, (d) => delete pod(d).serviceAccountName],
  ["k8-default-ns", goWorkload, (d) => (d.metadata.namespace = "default")],
  ["t4-golang-minor", goWorkload, (d) => (c0(d).image = "golang:1.26@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818")],
  ["t5-tag-only", goWorkload, (d) => (c0(d).image = "registry.corp.example/svc:1.4.2")],
  ["t6-latest", goWorkload, (d) => (c0(d).image = "registry.corp.example/svc:latest")],
  ["athens-happy", athens, () => undefined],
  ["p2-sumdbs", athens, (d) => setEnv(d, "ATHENS_SUM_DBS", "https://sum.evil.example")],
  ["p3-memory", athens, (d) => setEnv(d, "ATHENS_STORAGE_TYPE", "memory")],
  ["p3-static-keys", athens, (d) => env(d).push({ name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "aws", key: "secret" } } })],
  ["p4-no-singleflight", athens, (d) => setEnv(d, "ATHENS_SINGLE_FLIGHT_TYPE", undefined)],
  ["p5-token-env", athens, (d) => env(d).push({ name: "ATHENS_GITHUB_TOKEN", valueFrom: { secretKeyRef: { name: "gh", key: "token" } } })],
  ["p5-redis-password-literal", athens, (d) => env(d).push({ name: "ATHENS_REDIS_PASSWORD", value: "hunter2" })],
  ["p5-redis-url-literal", athens, (d) => setEnv(d, "ATHENS_REDIS_ENDPOINT", "rediss://:hunter2@redis:6379")],
  // Quiet: the Redis URL, password inside, from a Secret (Athens has no file setting for it).
  ["p5-redis-from-secret", athens, (d) => {
    setEnv(d, "ATHENS_REDIS_ENDPOINT", undefined);
    env(d).push({ name: "ATHENS_REDIS_ENDPOINT", valueFrom: { secretKeyRef: { name: "athens-redis", key: "endpoint" } } });
  }],
  ["p6-pprof", athens, (d) => setEnv(d, "ATHENS_ENABLE_PPROF", "true")],
  ["k6-no-netpol", athens, () => undefined, { netpol: false }],
];

for (const [name, make, mutate, extras] of variants) {
  const d = make(name);
  mutate(d);
  new k8s.apps.v1.Deployment(name, d);
  const ns = d.metadata.namespace;
  if (extras?.pdb !== false) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: { namespace: ns }, spec: { minAvailable: 1, selector: { matchLabels: { app: name } } } });
  if (make === athens && extras?.netpol !== false) {
    new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
      metadata: { namespace: ns },
      spec: { podSelector: { matchLabels: { app: name } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "goguard.dev/go-consumer": "true" } } }] }] },
    });
  }
}
// The published go-env the workloads take with envFrom, in each namespace they run in: the pack
// resolves envFrom against the stack, and a reference to an object outside it is a finding
// (Go-settings rule G1) in prod.
for (const ns of ["apps", "default"]) new k8s.core.v1.ConfigMap(`go-env-${ns}`, {
  metadata: { namespace: ns, name: "go-env", labels: { "goguard.dev/go-env": "true" } },
  data: {
    GOPROXY: "http://athens.goproxy.svc.cluster.local",
    GOSUMDB: "sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org",
    GONOSUMDB: "git.corp.example",
    GOPRIVATE: "git.corp.example",
    GOTOOLCHAIN: "local",
    GOFLAGS: "-mod=readonly -trimpath",
    CGO_ENABLED: "0",
  },
});

// The proxy behind an Ingress (K6): TLS for the host it routes stays quiet, a plain one is refused.
new k8s.core.v1.Service("athens-happy-svc", { metadata: { namespace: "apps", name: "athens-happy" }, spec: { selector: { app: "athens-happy" }, ports: [{ port: 80, targetPort: 3000 }] } });
const proxyRoute = (tls: boolean) => ({
  metadata: { namespace: "apps" },
  spec: {
    ingressClassName: "nginx",
    ...(tls ? { tls: [{ hosts: ["goproxy.corp.example"], secretName: "goproxy-tls" }] } : {}),
    rules: [{ host: "goproxy.corp.example", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "athens-happy", port: { number: 80 } } } }] } }],
  },
});
new k8s.networking.v1.Ingress("athens-happy-ingress", proxyRoute(true));
new k8s.networking.v1.Ingress("k6-ingress-plain", proxyRoute(false));
