// Go settings delivered through the kubelet's environment rules, judged through the real handlers:
// each weakness fires on the consuming workload and names where the value comes from; each
// compliant twin stays quiet; references outside the stack are findings in prod, advisory in dev.
// (The workload baseline K1–K8 also judges these deliberately bare Jobs; only the Go-settings rules
// are compared here, in full.)
import * as path from "path";
import { kubernetesAutoname } from "../../cli/harness/program";
import { runCli } from "../helpers/cli";
import { GO_SETTINGS_RULES } from "../../policies/rules/go-settings";
import { Expected, violationsByResource } from "./helpers";

const GO_RULES = new Set(GO_SETTINGS_RULES.map((r) => r.name));
const goOnly = (by: Expected): Expected =>
  Object.fromEntries(Object.entries(by).map(([k, v]) => [k, v.filter(([p]) => GO_RULES.has(p))]).filter(([, v]) => v.length > 0));

const autonameSuffix = (name: string): string => kubernetesAutoname("kubernetes:core/v1:ConfigMap", name, {})!.slice(name.length + 1);
const SUMDB_FIX = `Fix: Set GOSUMDB=sum.golang.org (or "sum.golang.org <proxy>/sumdb/sum.golang.org" through the environment's proxy).`;
const SUMDB_OFF = `GOSUMDB=off turns off checksum verification of every module not already in go.sum. ${SUMDB_FIX}`;
// A value from a Secret is never quoted: the report names the rule and its remedy instead.
const FROM_SECRET = `GOFLAGS takes its value from a Secret (not shown here), and that value breaks go-flags-no-insecure: GOFLAGS has no -insecure (removed from Go; a sign of intent to skip verification). Fix: Remove -insecure from GOFLAGS.`;
const INSECURE = `GOFLAGS=-insecure contains -insecure: Go no longer supports -insecure (go get stops with "use GOINSECURE instead"); it only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS.`;
const outsideEnvFrom = (level: string): Expected[string] => [
  ["go-sumdb-on", level, `outside-envfrom: container "build" takes variables with envFrom that cannot be read offline (ConfigMap ci/team-go-env is not part of this stack); they may carry Go settings (GOSUMDB, GOPROXY, GOFLAGS, …), so what Go will do cannot be verified. Fix: Declare the ConfigMap or Secret in this stack, or set the Go settings literally in the container's env.`],
];
const outsideKeyRef = (level: string): Expected[string] => [
  ["go-proxy-own-first", level, `outside-keyref: GOPROXY comes from container "build" env, which cannot be read offline (ConfigMap ci/team-go-env is not part of this stack), so what Go will do with it cannot be verified. Fix: Declare the ConfigMap or Secret that holds GOPROXY in this stack, or set GOPROXY literally in the container's env.`],
];

describe("kubelet-delivered Go settings, prod", () => {
  let by: Expected;
  beforeAll(async () => {
    by = goOnly((await violationsByResource("k8s-env-refs.ts")).by);
  });

  test.each<[string, Expected[string]]>([
    ["envfrom-prefix", [["go-sumdb-on", "mandatory", `envfrom-prefix container "build" env GOSUMDB (from ConfigMap ci/sumdb-choice key SUMDB with prefix GO): ${SUMDB_OFF}`]]],
    ["secret-ref-bad", [["go-flags-no-insecure", "mandatory", `secret-ref-bad container "build" env GOFLAGS (from Secret ci/go-secret-bad key flags): ${FROM_SECRET}`]]],
    ["expand-off", [["go-sumdb-on", "mandatory", `expand-off container "build" env GOSUMDB (expanded from $(CHOICE)): ${SUMDB_OFF}`]]],
    ["ephemeral-off", [["go-sumdb-on", "mandatory", `ephemeral-off ephemeral container "debug" env: ${SUMDB_OFF}`]]],
    ["patch-off", [["go-sumdb-on", "mandatory", `patch-off container "app" env: ${SUMDB_OFF}`]]],
    ["outside-envfrom", outsideEnvFrom("mandatory")],
    ["outside-keyref", outsideKeyRef("mandatory")],
  ])("%s fires on the workload, naming the source", (name, want) => {
    expect(by[name]).toEqual(want);
  });

  test("the compliant twins, the prefix-less envFrom and the consumed objects stay quiet", () => {
    expect(Object.keys(by).sort()).toEqual(["envfrom-prefix", "ephemeral-off", "expand-off", "outside-envfrom", "outside-keyref", "patch-off", "secret-ref-bad"]);
  });
});

describe("kubelet-delivered Go settings, dev", () => {
  test("references outside the stack are advisory in dev (G1, G6 are advisory there)", async () => {
    const { by } = await violationsByResource("k8s-env-refs.ts", "dev");
    const go = goOnly(by);
    expect(go["outside-envfrom"]).toEqual(outsideEnvFrom("advisory"));
    expect(go["outside-keyref"]).toEqual(outsideKeyRef("advisory"));
    // G4 (-insecure) is mandatory everywhere.
    expect(go["secret-ref-bad"]).toEqual([["go-flags-no-insecure", "mandatory", `secret-ref-bad container "build" env GOFLAGS (from Secret ci/go-secret-bad key flags): ${FROM_SECRET}`]]);
  });
});

describe("auto-named objects referenced by their name output", () => {
  test("the reference resolves as in a real preview: the weak one fires on the Job, the twin is quiet", async () => {
    const { by } = await violationsByResource("k8s-env-autoname.ts");
    expect(goOnly(by)).toEqual({
      "autoname-off": [["go-sumdb-on", "mandatory", `autoname-off container "build" env GOSUMDB (from ConfigMap ci/autoname-off-env-${autonameSuffix("autoname-off-env")} key GOSUMDB): ${SUMDB_OFF}`]],
    });
  });
});

describe("objects registered by yaml/v2 ConfigGroup and ConfigFile", () => {
  test("the child Deployment/Job is judged with the ConfigMap of its group; the compliant group is quiet", async () => {
    const { by, code } = await violationsByResource("k8s-env-configgroup.ts");
    expect(code).toBe(1);
    expect(by).toEqual({
      "cf:ci/file-build": [["go-flags-no-insecure", "mandatory", `cf:ci/file-build container "build" env GOFLAGS (from ConfigMap ci/file-go-env key GOFLAGS): ${INSECURE}`]],
      "cg-off:ci/builder-off": [["go-sumdb-on", "mandatory", `cg-off:ci/builder-off container "app" env GOSUMDB (from ConfigMap ci/go-env-off key GOSUMDB): ${SUMDB_OFF}`]],
    });
  });
});

describe("values taken from Secrets are judged and never quoted", () => {
  test("envFrom a Secret, a Secret no workload consumes, Athens' upstream settings from a secretKeyRef: each rule fires, and no report carries a value", async () => {
    const program = path.join(__dirname, "../programs/rules/k8s-env-secret-values.ts");
    const r = await runCli("check", "--stack", "prod", "--program", program, "--format", "json");
    const { by } = await violationsByResource("k8s-env-secret-values.ts");
    const secretFinding = (setting: string, rule: string): string => {
      const meta = GO_SETTINGS_RULES.find((m) => m.name === rule)!;
      return `${setting} takes its value from a Secret (not shown here), and that value breaks ${rule}: ${meta.description} Fix: ${meta.remediation}`;
    };
    expect(goOnly(by)).toEqual({
      athens: [
        ["go-private-patterns-narrow", "mandatory", `athens container "athens" ATHENS_GO_BINARY_ENV_VARS (from Secret goproxy/athens-go-env key goenv): ${secretFinding("GONOSUMDB", "go-private-patterns-narrow")}`],
        ["go-proxy-own-first", "mandatory", `athens container "athens" ATHENS_GO_BINARY_ENV_VARS (from Secret goproxy/athens-go-env key goenv): ${secretFinding("GOPROXY", "go-proxy-own-first")}`],
      ],
      "go-secret-unused": [["go-proxy-own-first", "mandatory", `go-secret-unused data: ${secretFinding("GOPROXY", "go-proxy-own-first")}`]],
      "secret-env-build": [
        ["go-flags-no-mod-mod", "mandatory", `secret-env-build container "build" env GOFLAGS (from Secret ci/go-secret-consumed key GOFLAGS): ${secretFinding("GOFLAGS", "go-flags-no-mod-mod")}`],
        ["go-private-patterns-narrow", "mandatory", `secret-env-build container "build" env GONOSUMDB (from Secret ci/go-secret-consumed key GONOSUMDB): ${secretFinding("GONOSUMDB", "go-private-patterns-narrow")}`],
      ],
    });
    // Every report format, every rule (the workload baseline and Athens' own rules included).
    for (const format of ["json", "text", "markdown", "sarif"]) {
      const out = format === "json" ? r.stdout : (await runCli("check", "--stack", "prod", "--program", program, "--format", format)).stdout;
      expect([format, out.match(/secret-marker-\d+/g)]).toEqual([format, null]);
    }
  });
});

describe("kustomize directories, whose objects the provider builds when it runs", () => {
  test("without its objects in the stack the Directory fails closed; with them (the engine's children) the objects are judged instead", async () => {
    const { by } = await violationsByResource("k8s-kustomize.ts");
    const dir = path.join(__dirname, "../programs/rules/manifests/kustomize-unbuilt");
    expect(goOnly(by)).toEqual({
      "kz-built:ci/nightly": [["go-sumdb-on", "mandatory", `kz-built:ci/nightly container "build" env: ${SUMDB_OFF}`]],
      "kz-unbuilt": [
        [
          "go-sumdb-on",
          "mandatory",
          `kz-unbuilt: kustomize directory ${dir}: its Kubernetes objects cannot be read offline (kustomize builds them when the Kubernetes provider runs, and none of them is in the stack); their workloads may carry Go settings (GOSUMDB, GOPROXY, GOFLAGS, …), so what Go will do cannot be verified. Fix: Render the directory in the program (\`kustomize build\` output through yaml/v2.ConfigGroup or ConfigFile, whose objects the check reads), or keep Go settings out of it and set them where the check sees them.`,
        ],
      ],
    });
  });
});

describe("a container's own command", () => {
  test("settings it assigns before go are judged on the workload; the environment's own value, a plain go and args alone are quiet", async () => {
    const { by } = await violationsByResource("k8s-command.ts");
    expect(goOnly(by)).toEqual({
      "cmd-bash-ec-export": [["go-flags-no-mod-mod", "mandatory", 'cmd-bash-ec-export container "build" command (go build): GOFLAGS=-mod=mod sets -mod=mod: go build and go test may then rewrite go.mod and go.sum on their own. Fix: Use -mod=readonly (the default) or -mod=vendor.']],
      "cmd-env-modmod": [["go-flags-no-mod-mod", "mandatory", 'cmd-env-modmod container "build" command (go build): GOFLAGS=-mod=mod sets -mod=mod: go build and go test may then rewrite go.mod and go.sum on their own. Fix: Use -mod=readonly (the default) or -mod=vendor.']],
      "cmd-timeout-env": [["go-private-patterns-narrow", "mandatory", 'cmd-timeout-env container "build" command (go mod): GONOSUMDB pattern "*" matches every module path (such as github.com/stretchr/testify); Go skips the checksum database for every module it matches. Fix: Set GONOSUMDB=git.corp.example.']],
      "cmd-sh-sumoff": [["go-sumdb-on", "mandatory", `cmd-sh-sumoff container "build" command (go mod): ${SUMDB_OFF}`]],
    });
  });
});
