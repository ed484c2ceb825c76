// Weakness: ATHENS_GO_BINARY_ENV_VARS sets GOPROXY/GOPRIVATE/GONOSUMDB/GOTOOLCHAIN but not GOSUMDB, and a
// ConfigMap "athens-go-defaults" is mounted (subPath) at $HOME/.config/go/env = /home/athens/.config/go/env
// with "GOSUMDB=off". Athens passes HOME to the go command it runs (module.prepareEnv copies PATH, HOME,
// GIT_SSH… and appends GoBinaryEnvVars); cmd/go reads its env file at os.UserConfigDir()/go/env for every
// variable not set in its environment. So `go mod download` inside Athens runs with GOSUMDB=off even though
// ATHENS_GO_BINARY_ENV_VARS looks clean.
// Source: https://github.com/gomods/athens pkg/module/prepare_env.go (prepareEnv keys: PATH, HOME, …; cmdEnv = append(cmdEnv, envVars...)) ; go help environment (GOENV: default os.UserConfigDir()/go/env) ; go help env (-w file format NAME=VALUE)
// Expected: refused in prod; the violation sits on "athens" and names GOSUMDB, off, athens-go-defaults.
import * as k8s from "@pulumi/kubernetes";

// Hardening and settings copied from the Athens Deployment that `goguard render --stack prod` writes (the
// project's own compliant proxy), so only the setting under test can fire.
// NOTE: no digest of gomods/athens could be sourced (image-digests.json: "unresolved"); the digest below is
// debian:bookworm-slim's, used only so the digest rule stays quiet. No expectation depends on it.
const athensImage = "docker.io/gomods/athens:v0.18.1@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";
const labels = { "app.kubernetes.io/name": "athens", "app.kubernetes.io/instance": "athens" };
const baseEnv: k8s.types.input.core.v1.EnvVar[] = [
  { name: "ATHENS_DOWNLOAD_MODE", value: "sync" },
  { name: "ATHENS_ENABLE_PPROF", value: "false" },
  { name: "ATHENS_GOGET_DIR", value: "/tmp" },
  { name: "ATHENS_GONOSUM_PATTERNS", value: "git.corp.example" },
  { name: "ATHENS_LOG_FORMAT", value: "json" },
  { name: "ATHENS_LOG_LEVEL", value: "info" },
  { name: "ATHENS_NETWORK_MODE", value: "strict" },
  { name: "ATHENS_S3_BUCKET_NAME", value: "acme-goproxy-prod" },
  { name: "ATHENS_SHUTDOWN_TIMEOUT", value: "60" },
  { name: "ATHENS_SINGLE_FLIGHT_TYPE", value: "redis" },
  { name: "ATHENS_REDIS_ENDPOINT", value: "athens-redis.goproxy.svc.cluster.local:6379" },
  { name: "ATHENS_STORAGE_TYPE", value: "s3" },
  { name: "ATHENS_SUM_DBS", value: "https://sum.golang.org" },
  { name: "ATHENS_TIMEOUT", value: "300" },
  { name: "AWS_REGION", value: "eu-west-1" },
  { name: "AWS_USE_DEFAULT_CONFIGURATION", value: "true" },
  { name: "GO_ENV", value: "production" },
  { name: "HOME", value: "/home/athens" },
];
const goodBinaryEnv = "GONOSUMDB=git.corp.example;GOPRIVATE=git.corp.example;GOPROXY=https://proxy.golang.org;GOSUMDB=sum.golang.org;GOTOOLCHAIN=local";
const containerSecurityContext = {
  allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true,
  runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" },
};
const probes = {
  livenessProbe: { httpGet: { path: "/healthz", port: 3000 }, periodSeconds: 20, timeoutSeconds: 5 },
  readinessProbe: { httpGet: { path: "/readyz", port: 3000 }, periodSeconds: 10, timeoutSeconds: 5 },
  startupProbe: { httpGet: { path: "/healthz", port: 3000 }, periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 30 },
};
const resources = { requests: { cpu: "100m", memory: "256Mi", "ephemeral-storage": "1Gi" }, limits: { memory: "1Gi", "ephemeral-storage": "5Gi" } };

// athens(name, container overrides, extra volumes): a Deployment + its PodDisruptionBudget and NetworkPolicy.
function athens(name: string, c: Partial<k8s.types.input.core.v1.Container>, extraVolumes: k8s.types.input.core.v1.Volume[] = []) {
  new k8s.apps.v1.Deployment(name, {
    metadata: { namespace: "goproxy", name, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          serviceAccountName: "athens",
          terminationGracePeriodSeconds: 75,
          securityContext: { fsGroup: 1000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
          topologySpreadConstraints: [{ labelSelector: { matchLabels: labels }, maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" }],
          containers: [{
            name: "athens",
            image: athensImage,
            ports: [{ containerPort: 3000, name: "http", protocol: "TCP" }],
            ...probes,
            resources,
            securityContext: containerSecurityContext,
            volumeMounts: [{ mountPath: "/tmp", name: "tmp" }, { mountPath: "/home/athens", name: "home" }],
            ...c,
          }],
          volumes: [{ name: "tmp", emptyDir: { sizeLimit: "4Gi" } }, { name: "home", emptyDir: { sizeLimit: "256Mi" } }, ...extraVolumes],
        },
      },
    },
  });
  new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: { namespace: "goproxy" }, spec: { minAvailable: 1, selector: { matchLabels: labels } } });
  new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, {
    metadata: { namespace: "goproxy" },
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "builds" } } }], ports: [{ port: 3000 }] }],
    },
  });
}

const goDefaults = new k8s.core.v1.ConfigMap("athens-go-defaults", {
  metadata: { namespace: "goproxy", name: "athens-go-defaults" },
  data: { env: "GOSUMDB=off\n" },
});

athens("athens", {
  env: [
    ...baseEnv,
    { name: "ATHENS_GO_BINARY_ENV_VARS", value: "GONOSUMDB=git.corp.example;GOPRIVATE=git.corp.example;GOPROXY=https://proxy.golang.org;GOTOOLCHAIN=local" },
  ],
  volumeMounts: [
    { mountPath: "/tmp", name: "tmp" },
    { mountPath: "/home/athens", name: "home" },
    { mountPath: "/home/athens/.config/go/env", name: "go-defaults", subPath: "env", readOnly: true },
  ],
}, [{ name: "go-defaults", configMap: { name: goDefaults.metadata.name } }]);
