// Athens' settings given outside literal env: a config.toml mounted from a ConfigMap (env
// overrides the file, as Athens applies it), settings taken with envFrom, and the values of the
// gomods athens-proxy Helm chart (a helm.sh/v3 Release and a helm.sh/v4 Chart). Each weak one next
// to a compliant twin. Expected findings: test/policies/athens-sources.test.ts.
import * as k8s from "@pulumi/kubernetes";

const image = "docker.io/gomods/athens:v0.18.1@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

const goodToml = `# Athens production settings
GoEnv = "production"
StorageType = "s3"
LogFormat = "json"
GoBinaryEnvVars = ["GOPROXY=https://proxy.golang.org", "GOSUMDB=sum.golang.org"]
SumDBs = ["https://sum.golang.org"]
NoSumPatterns = ["git.corp.example/*"]

[Storage.S3]
Region = "eu-west-1"
Bucket = "athens-cache"
UseDefaultConfiguration = true
`;
const weakToml = goodToml
  .replace('"GOSUMDB=sum.golang.org"', '"GOSUMDB=off"')
  .replace('SumDBs = ["https://sum.golang.org"]', 'SumDBs = ["https://sum.corp.example"]');

function athens(name: string, toml: string, extra: Record<string, unknown> = {}): void {
  new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: { namespace: "goproxy", name: `${name}-config` }, data: { "config.toml": toml } });
  new k8s.apps.v1.Deployment(name, {
    metadata: { namespace: "goproxy" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: "athens", image, args: ["-config_file=/etc/athens/config.toml"], volumeMounts: [{ name: "config", mountPath: "/etc/athens", readOnly: true }], ...extra }],
          volumes: [{ name: "config", configMap: { name: `${name}-config` } }],
        },
      },
    },
  });
}

athens("toml-weak", weakToml);
athens("toml-ok", goodToml);
// The environment overrides the file: ATHENS_SUM_DBS from env repairs it, GO_ENV from env weakens it.
athens("toml-env-override", weakToml.replace('"GOSUMDB=off"', '"GOSUMDB=sum.golang.org"'), { env: [{ name: "ATHENS_SUM_DBS", value: "https://sum.golang.org" }, { name: "GO_ENV", value: "development" }] });

// Athens settings taken from a ConfigMap with envFrom.
new k8s.core.v1.ConfigMap("athens-env", { metadata: { namespace: "goproxy", name: "athens-env" }, data: { ATHENS_GONOSUM_PATTERNS: "*", ATHENS_STORAGE_TYPE: "s3", AWS_USE_DEFAULT_CONFIGURATION: "true", GO_ENV: "production", ATHENS_LOG_FORMAT: "json" } });
new k8s.apps.v1.Deployment("envfrom-athens", {
  metadata: { namespace: "goproxy" },
  spec: { replicas: 1, selector: { matchLabels: { app: "a" } }, template: { metadata: { labels: { app: "a" } }, spec: { containers: [{ name: "athens", image, envFrom: [{ configMapRef: { name: "athens-env" } }] }] } } },
});

const chartValues = (goEnv: string, sumdbs: string): Record<string, unknown> => ({
  replicaCount: 1,
  storage: { type: "s3", s3: { region: "eu-west-1", bucket: "athens-cache", useDefaultConfiguration: true } },
  configEnvVars: [
    { name: "GO_ENV", value: "production" },
    { name: "ATHENS_LOG_FORMAT", value: "json" },
    { name: "ATHENS_GO_BINARY_ENV_VARS", value: goEnv },
    { name: "ATHENS_SUM_DBS", value: sumdbs },
  ],
});
new k8s.helm.v3.Release("helm-weak", { chart: "athens-proxy", repositoryOpts: { repo: "https://gomods.github.io/athens-charts" }, values: chartValues("GOSUMDB=off", "https://sum.corp.example") });
new k8s.helm.v3.Release("helm-ok", { chart: "athens-proxy", repositoryOpts: { repo: "https://gomods.github.io/athens-charts" }, values: chartValues("GOPROXY=https://proxy.golang.org", "https://sum.golang.org") });
// Three replicas on the chart's default disk storage without a single-flight backend.
new k8s.helm.v4.Chart("chart-v4-weak", { chart: "oci://ghcr.io/gomods/athens-charts/athens-proxy", values: { ...chartValues("GOPROXY=https://proxy.golang.org", "https://sum.golang.org"), replicaCount: 3, storage: {} } });
