import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parseStackSettings, StackConfigError } from "../../stacks/config";

function problems(raw: Parameters<typeof parseStackSettings>[0]): readonly string[] {
  try {
    parseStackSettings(raw);
  } catch (err) {
    if (err instanceof StackConfigError) return err.problems;
    throw err;
  }
  return [];
}

const ok = { environment: "prod", proxyUrl: "http://athens.goproxy.svc.cluster.local", privatePrefixes: ["git.corp.example"] };

describe("stack settings", () => {
  test.each(["dev", "staging", "prod"])("the shipped Pulumi.%s.yaml is valid and names its environment", (env) => {
    const doc = parse(fs.readFileSync(path.join(__dirname, `../../stacks/Pulumi.${env}.yaml`), "utf8")).config;
    const s = parseStackSettings({ environment: doc["goguard:environment"], proxyUrl: doc["goguard:proxyUrl"], privatePrefixes: doc["goguard:privatePrefixes"] });
    expect(s.environment).toBe(env);
  });

  test.each<[string, Record<string, unknown>, string[]]>([
    ["unknown environment", { environment: "qa" }, ['goguard:environment must be dev, staging or prod; got "qa"']],
    ["missing environment", { environment: undefined }, ["goguard:environment is required: set it to dev, staging or prod (pulumi config set goguard:environment prod)"]],
    ["plain http to a public host", { proxyUrl: "http://goproxy.example.com" }, ['goguard:proxyUrl "http://goproxy.example.com" must be an https:// URL, or http:// to a cluster-internal service name (such as http://athens.goproxy.svc.cluster.local)']],
    ["wildcard prefix", { privatePrefixes: ["*"] }, ['goguard:privatePrefixes entry "*" must be a module path prefix without wildcards, such as git.corp.example or github.com/acme']],
    ["whole public host", { privatePrefixes: ["github.com"] }, ['goguard:privatePrefixes entry "github.com" is a whole public host; name your organisation\'s path under it, such as github.com/acme']],
    ["not a list", { privatePrefixes: "git.corp.example" }, ['goguard:privatePrefixes must be a list of module path prefixes (such as ["git.corp.example"]); got "git.corp.example"']],
  ])("%s", (_n, over, expected) => {
    expect(problems({ ...ok, ...over })).toEqual(expected);
  });
});
