import * as fs from "fs";
import * as path from "path";
import { parseStackSettings, StackConfigError, RawStackSettings } from "../../stacks/config";
import { readStackConfig, stackConfigPath, stackSettingsFrom } from "../../cli/stack-files";

function problems(raw: RawStackSettings): readonly string[] {
  try {
    parseStackSettings(raw);
  } catch (err) {
    if (err instanceof StackConfigError) return err.problems;
    throw err;
  }
  return [];
}

const ok = { environment: "dev", proxyUrl: "http://athens.goproxy.svc.cluster.local", privatePrefixes: ["git.corp.example"] };

describe("stack settings", () => {
  test.each(["dev", "staging", "prod"])("the shipped Pulumi.%s.yaml is valid and names its environment", (env) => {
    const s = stackSettingsFrom(readStackConfig(stackConfigPath(env), "goguard").config, "goguard");
    expect(s.environment).toBe(env);
    expect(fs.existsSync(path.join(__dirname, `../../stacks/Pulumi.${env}.yaml`))).toBe(true);
  });

  test.each<[string, Record<string, unknown>, string[]]>([
    ["unknown environment", { environment: "qa" }, ['goguard:environment must be dev, staging or prod; got "qa"']],
    ["missing environment", { environment: undefined }, ["goguard:environment is required: set it to dev, staging or prod (pulumi config set goguard:environment prod)"]],
    ["plain http to a public host", { proxyUrl: "http://goproxy.example.com" }, ['goguard:proxyUrl "http://goproxy.example.com" must be an https:// URL, or http:// to a cluster-internal service name (such as http://athens.goproxy.svc.cluster.local)']],
    ["wildcard prefix", { privatePrefixes: ["*"] }, ['goguard:privatePrefixes entry "*" must be a module path prefix without wildcards, such as git.corp.example or github.com/acme']],
    ["whole public host", { privatePrefixes: ["github.com"] }, ['goguard:privatePrefixes entry "github.com" is a whole public host; name your organisation\'s path under it, such as github.com/acme']],
    ["not a list", { privatePrefixes: "git.corp.example" }, ['goguard:privatePrefixes must be a list of module path prefixes (such as ["git.corp.example"]); got "git.corp.example"']],
    ["prod without its proxy settings", { environment: "prod" }, [
      "goguard:proxyBucket is required in prod: set it, for example to acme-goproxy-prod",
      "goguard:awsRegion is required in prod: set it, for example to eu-west-1",
      "goguard:oidcProviderArn is required in prod: set it, for example to arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
      "goguard:oidcIssuerHost is required in prod: set it, for example to oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
      "goguard:redisEndpoint is required in prod: set it, for example to redis.goproxy.svc.cluster.local:6379",
    ]],
    ["a malformed bucket name", { environment: "staging", proxyBucket: "Acme_Bucket", awsRegion: "eu-west-1", oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/x", oidcIssuerHost: "x" }, ['goguard:proxyBucket must look like acme-goproxy-prod; got "Acme_Bucket"']],
  ])("%s", (_n, over, expected) => {
    expect(problems({ ...ok, ...over })).toEqual(expected);
  });
});
