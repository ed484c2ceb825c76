// Athens' settings wherever they are given, through the real handlers: a mounted config.toml
// (the environment overrides it), envFrom, and athens-proxy Helm values (helm.sh/v3 Release,
// helm.sh/v4 Chart). Only the Athens rules and the Go-settings rules (Athens' own `go`, role
// upstream) are compared, in full; the workload baseline K1–K8 also judges these bare Deployments.
import { GO_SETTINGS_RULES } from "../../policies/rules/go-settings";
import { Expected, violationsByResource } from "./helpers";

const RULES = new Set([...GO_SETTINGS_RULES.map((r) => r.name), "athens-checksum-database", "athens-storage-production", "athens-replicas-shared", "athens-credentials-from-file", "athens-operations"]);
const SUMDB_OFF = `GOSUMDB=off turns off checksum verification of every module not already in go.sum. Fix: Set GOSUMDB=sum.golang.org (or "sum.golang.org <proxy>/sumdb/sum.golang.org" through the environment's proxy).`;

describe("Athens settings from config.toml, envFrom and Helm values, prod", () => {
  let by: Expected;
  beforeAll(async () => {
    const r = await violationsByResource("athens-sources.ts");
    by = Object.fromEntries(Object.entries(r.by).map(([k, v]) => [k, v.filter(([p]) => RULES.has(p))]).filter(([, v]) => v.length > 0));
  });

  test.each<[string, Expected[string]]>([
    ["toml-weak", [
      ["athens-checksum-database", "mandatory", 'toml-weak container "athens" ATHENS_SUM_DBS=https://sum.corp.example (from config.toml key SumDBs in ConfigMap goproxy/toml-weak-config key config.toml) leaves out https://sum.golang.org. Fix: include it.'],
      ["go-sumdb-on", "mandatory", `toml-weak container "athens" ATHENS_GO_BINARY_ENV_VARS (from config.toml key GoBinaryEnvVars in ConfigMap goproxy/toml-weak-config key config.toml): ${SUMDB_OFF}`],
    ]],
    // ATHENS_SUM_DBS from env repairs the file's; GO_ENV from env overrides the file's production.
    ["toml-env-override", [["athens-storage-production", "mandatory", 'toml-env-override container "athens" GO_ENV=development. Fix: set GO_ENV=production.']]],
    ["envfrom-athens", [
      ["athens-checksum-database", "mandatory", 'envfrom-athens container "athens" ATHENS_GONOSUM_PATTERNS (from ConfigMap goproxy/athens-env key ATHENS_GONOSUM_PATTERNS): "*" matches every module path (such as github.com/stretchr/testify). Fix: list only git.corp.example.'],
      // No ATHENS_GO_BINARY_ENV_VARS and no config of its own: the image's baked config gives its go GOPROXY=direct (NOTES-ATHENS).
      ["go-proxy-own-first", "mandatory", `envfrom-athens container "athens" ATHENS_GO_BINARY_ENV_VARS is not set, so Athens' go takes the image's baked config.toml GoBinaryEnvVars: GOPROXY=direct starts with direct: Go fetches every module straight from its version control host, bypassing the environment's proxy. Fix: Set GOPROXY=https://<the environment's proxy>.`],
    ]],
    ["helm-weak", [
      ["athens-checksum-database", "mandatory", "helm-weak Helm values ATHENS_SUM_DBS=https://sum.corp.example (from Helm value configEnvVars[3] ATHENS_SUM_DBS) leaves out https://sum.golang.org. Fix: include it."],
      ["go-sumdb-on", "mandatory", `helm-weak Helm values ATHENS_GO_BINARY_ENV_VARS (from Helm value configEnvVars[2] ATHENS_GO_BINARY_ENV_VARS): ${SUMDB_OFF}`],
    ]],
    ["chart-v4-weak", [
      ["athens-replicas-shared", "mandatory", "chart-v4-weak Helm values runs 3 replicas on disk storage. Fix: use shared storage (s3) or 1 replica."],
      ["athens-replicas-shared", "mandatory", "chart-v4-weak Helm values runs 3 replicas without a single-flight backend. Fix: set ATHENS_SINGLE_FLIGHT_TYPE=redis and ATHENS_REDIS_ENDPOINT."],
    ]],
  ])("%s fires exactly its rules", (name, want) => {
    expect(by[name]).toEqual(want);
  });

  test("the compliant config.toml and Helm release stay quiet, and the ConfigMaps are not reported on their own", () => {
    expect(Object.keys(by).sort()).toEqual(["chart-v4-weak", "envfrom-athens", "helm-weak", "toml-env-override", "toml-weak"]);
  });
});
