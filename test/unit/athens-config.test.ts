// Athens' settings readers (pure): the TOML subset config.toml uses, the mapping of its keys onto
// Athens' variables (pkg/config/config.go envconfig tags), env over file (envOverride), the
// -config_file flag, and the athens-proxy chart's values (templates/deployment.yaml).
import fc from "fast-check";
import { athensConfigFile, athensHelmReplicas, athensSettingsFromHelmValues, athensSettingsFromToml, isAthensChart, mergeAthensSettings, parseToml, TomlError } from "../../components/toolchain/athens-config";

describe("parseToml (the subset Athens' config.toml uses)", () => {
  test.each<[string, string, unknown]>([
    ["basic and literal strings", `a = "x\\ty\\"z"\nb = 'C:\\path'`, { a: 'x\ty"z', b: "C:\\path" }],
    ["unicode escape", `a = "\\u00e9"`, { a: "é" }],
    ["numbers and booleans", "n = 10\nf = 1.5\nu = 1_000\nt = true\nx = false", { n: 10, f: 1.5, u: 1000, t: true, x: false }],
    ["comments and blank lines", "# top\n\na = 1 # trailing\n", { a: 1 }],
    ["multi-line arrays with trailing comma", 'SumDBs = [\n  "https://sum.golang.org", # main\n  "https://b",\n]', { SumDBs: ["https://sum.golang.org", "https://b"] }],
    ["tables and dotted headers", "[Storage]\n[Storage.S3]\nRegion = \"eu\"\nUseDefaultConfiguration = true", { Storage: { S3: { Region: "eu", UseDefaultConfiguration: true } } }],
    ["dotted and quoted keys", 'a.b = 1\n"c d" = 2', { a: { b: 1 }, "c d": 2 }],
    ["CRLF line ends", "a = 1\r\nb = 2\r\n", { a: 1, b: 2 }],
  ])("%s", (_l, text, want) => expect(parseToml(text)).toEqual(want));

  test.each<[string, string, string]>([
    ["inline table", "a = { b = 1 }", "config.toml line 1: inline tables are not supported"],
    ["multi-line string", 'a = """x"""', "config.toml line 1: multi-line strings are not supported"],
    ["array of tables", "[[a]]", "config.toml line 1: arrays of tables are not supported"],
    ["duplicate key", "a = 1\na = 2", "config.toml line 2: key a defined twice"],
    ["unterminated string", 'a = "x', "config.toml line 1: unterminated string"],
    ["a date", "d = 1979-05-27", "config.toml line 1: unsupported value 1979-05-27"],
    ["garbage after a value", 'a = "x" y', 'config.toml line 1: unexpected "y" after a value'],
  ])("refuses %s", (_l, text, msg) => {
    expect(() => parseToml(text)).toThrow(new TomlError(msg));
  });

  test("property: any string either parses or throws TomlError, never anything else", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          parseToml(s);
        } catch (e) {
          expect(e).toBeInstanceOf(TomlError);
        }
      }),
    );
  });

  test("property: string values round-trip through a basic string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)), (s) => {
        const quoted = `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
        expect(parseToml(`k = ${quoted}`)).toEqual({ k: s });
      }),
    );
  });
});

describe("athensSettingsFromToml", () => {
  test("keys map onto Athens' variables, lists joined as the variable carries them, names case-insensitive", () => {
    const toml = `goenv = "production"\nGoBinaryEnvVars = ["GOPROXY=direct", "GOSUMDB=off"]\nSumDBs = ["https://sum.golang.org", "https://b"]\nStorageType = "s3"\n[Storage.S3]\nUseDefaultConfiguration = true\nKey = "AKIA"\n`;
    expect(athensSettingsFromToml(toml)).toEqual({
      GO_ENV: { value: "production", from: "config.toml key GoEnv" },
      ATHENS_GO_BINARY_ENV_VARS: { value: "GOPROXY=direct;GOSUMDB=off", from: "config.toml key GoBinaryEnvVars" },
      ATHENS_SUM_DBS: { value: "https://sum.golang.org,https://b", from: "config.toml key SumDBs" },
      ATHENS_STORAGE_TYPE: { value: "s3", from: "config.toml key StorageType" },
      AWS_USE_DEFAULT_CONFIGURATION: { value: "true", from: "config.toml key Storage.S3.UseDefaultConfiguration" },
      AWS_ACCESS_KEY_ID: { value: "AKIA", from: "config.toml key Storage.S3.Key" },
    });
  });

  test("env overrides the file (GoBinaryEnvVars replaced as a whole)", () => {
    const file = athensSettingsFromToml(`GoBinaryEnvVars = ["GOSUMDB=off"]\nGoEnv = "production"`);
    expect(mergeAthensSettings(file, { ATHENS_GO_BINARY_ENV_VARS: { value: "GOPROXY=https://p", from: "env" } })).toEqual({
      ATHENS_GO_BINARY_ENV_VARS: { value: "GOPROXY=https://p", from: "env" },
      GO_ENV: { value: "production", from: "config.toml key GoEnv" },
    });
  });
});

describe("athensConfigFile", () => {
  test.each<[string[], string[], string]>([
    [[], [], "/config/config.toml"],
    [["athens-proxy"], ["-config_file=/etc/athens/config.toml"], "/etc/athens/config.toml"],
    [[], ["--config_file", "/x.toml"], "/x.toml"],
    [["/bin/athens-proxy", "-config_file", "/y.toml"], [], "/y.toml"],
  ])("%j %j → %s", (cmd, args, want) => expect(athensConfigFile(cmd, args)).toBe(want));
});

describe("athensSettingsFromHelmValues", () => {
  test("the chart's defaults: 3 workers, disk storage", () => {
    expect(athensSettingsFromHelmValues({})).toEqual({
      ATHENS_GOGET_WORKERS: { value: "3", from: "Helm value goGetWorkers" },
      ATHENS_STORAGE_TYPE: { value: "disk", from: "Helm value storage.type" },
    });
  });
  test("s3 storage with static keys, single flight, netrc, basic auth and configEnvVars (last, so they win)", () => {
    expect(
      athensSettingsFromHelmValues({
        storage: { type: "s3", s3: { useDefaultConfiguration: false, accessKey: "AKIA" } },
        singleFlight: { type: "redis", redis: { endpoint: "redis:6379" } },
        netrc: { enabled: true },
        basicAuth: { enabled: true },
        goGetWorkers: 5,
        configEnvVars: [{ name: "ATHENS_STORAGE_TYPE", value: "memory" }, { name: "GO_ENV", value: "production" }],
      }),
    ).toEqual({
      ATHENS_GOGET_WORKERS: { value: "5", from: "Helm value goGetWorkers" },
      ATHENS_STORAGE_TYPE: { value: "memory", from: "Helm value configEnvVars[0] ATHENS_STORAGE_TYPE" },
      AWS_USE_DEFAULT_CONFIGURATION: { value: "false", from: "Helm value storage.s3.useDefaultConfiguration" },
      AWS_ACCESS_KEY_ID: { value: "(from the chart's Secret)", from: "Helm value storage.s3.accessKey" },
      ATHENS_SINGLE_FLIGHT_TYPE: { value: "redis", from: "Helm value singleFlight.type" },
      ATHENS_REDIS_ENDPOINT: { value: "redis:6379", from: "Helm value singleFlight.redis.endpoint" },
      ATHENS_NETRC_PATH: { value: "/etc/netrc/.netrc", from: "Helm value netrc.enabled" },
      BASIC_AUTH_USER: { value: "(from a Secret)", from: "Helm value basicAuth.enabled" },
      BASIC_AUTH_PASS: { value: "(from a Secret)", from: "Helm value basicAuth.enabled" },
      GO_ENV: { value: "production", from: "Helm value configEnvVars[1] GO_ENV" },
    });
  });
  test.each<[unknown, number]>([
    [{}, 1],
    [{ replicaCount: 2 }, 2],
    [{ replicaCount: 1, autoscaling: { enabled: true, maxReplicas: 5 } }, 5],
  ])("athensHelmReplicas(%j) → %d", (values, n) => expect(athensHelmReplicas(values)).toBe(n));
  test.each<[unknown, unknown, boolean]>([
    ["athens-proxy", "https://gomods.github.io/athens-charts", true],
    ["oci://ghcr.io/gomods/athens-charts/athens-proxy", undefined, true],
    ["gomods/athens-proxy", undefined, true],
    ["./charts/athens-proxy-0.12.1.tgz", undefined, true],
    ["nginx", "https://charts.bitnami.com/bitnami", false],
    ["athens-proxy-exporter-x", undefined, false],
  ])("isAthensChart(%j, %j) → %s", (chart, repo, want) => expect(isAthensChart(chart, repo)).toBe(want));
});
