import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { parse } from "yaml";
import { didYouMean, editDistance, KNOWN_KEYS, parseStackConfig, parseStackSettings, StackConfigError, RawStackSettings, StackConfigInput } from "../../stacks/config";
import { readStackConfig, stackConfigPath } from "../../cli/stack-files";

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof StackConfigError) return err.problems;
    throw err;
  }
  return [];
}

/** The shipped stack file as Pulumi hands it to the program: namespaced keys, objects as JSON text. */
function shippedConfig(stack: string): Record<string, string> {
  return readStackConfig(stackConfigPath(stack), "goguard").config;
}

function input(stack: string, over: Record<string, string | undefined>, secretKeys: string[] = []): StackConfigInput {
  const config: Record<string, string> = { ...shippedConfig(stack) };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete config[`goguard:${k}`];
    else config[`goguard:${k}`] = v;
  }
  return { stack, config, secretKeys };
}

/** The shared pattern rule (components/toolchain/goenv.ts broadPatternReason) names golang.org/x/crypto as a public module the prefix covers. */
const GOLANG_X_REFUSAL = 'goguard:privatePrefixes entry "golang.org/x": "golang.org/x" matches public modules such as golang.org/x/crypto; public modules must stay checked against the checksum database: name your organisation\'s own path, such as git.corp.example or github.com/acme';
const ok = { environment: "dev", proxyUrl: "http://athens.goproxy.svc.cluster.local", privatePrefixes: ["git.corp.example"] };
const ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

describe("stack settings", () => {
  test.each(["dev", "staging", "prod"])("the shipped Pulumi.%s.yaml is valid, names its environment, and holds only known keys", (env) => {
    const s = parseStackConfig({ stack: env, config: shippedConfig(env), secretKeys: [] });
    expect(s.environment).toBe(env);
    expect(s.secrets).toEqual({ netrc: false, redisPassword: false, kubeconfig: false });
    expect(s.policyOverrides).toEqual([]);
    const doc = parse(fs.readFileSync(path.join(__dirname, `../../stacks/Pulumi.${env}.yaml`), "utf8"));
    for (const k of Object.keys(doc.config).filter((k) => !k.startsWith("pulumi:"))) expect(KNOWN_KEYS).toContain(k.replace(/^goguard:/, ""));
    // Nothing outside dev deploys through a default provider (ambient credentials); dev renders files.
    expect(doc.config["pulumi:disable-default-providers"]).toEqual(env === "dev" ? undefined : ["*"]);
    expect(s.cluster).toEqual(env === "dev" ? undefined : { kind: "stack", stack: `acme/eks-cluster/${env}`, output: "kubeconfig" });
  });

  test("the shipped prod provisions its single-flight Redis; the proxy URL defaults to the in-cluster Service", () => {
    expect(parseStackConfig({ stack: "prod", config: shippedConfig("prod"), secretKeys: [] }).proxy).toMatchObject({
      elasticache: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], clientSecurityGroupIds: ["sg-0123456789abcdef0"], nodeType: "cache.t4g.small" },
      adoptConsumerNamespaces: false,
    });
    expect(parseStackSettings({ ...ok, proxyUrl: undefined }).proxyUrl).toBe("http://athens.goproxy.svc.cluster.local");
  });

  test.each<[string, Record<string, unknown>, unknown]>([
    ["a TLS Secret, defaults for class and controller", { tlsSecretName: "goproxy-tls" }, { className: "nginx", tls: { secretName: "goproxy-tls" }, controllerNamespace: "ingress-nginx" }],
    ["a cert-manager issuer, another controller", { clusterIssuer: "letsencrypt", className: "traefik", controllerNamespace: "traefik" }, { className: "traefik", tls: { clusterIssuer: "letsencrypt" }, controllerNamespace: "traefik" }],
  ])("an Ingress for the external URL: %s", (_n, ingress, expected) => {
    expect(parseStackSettings({ ...ok, proxyUrl: "https://goproxy.corp.example", proxyIngress: ingress }).proxy.ingress).toEqual(expected);
  });

  test("an ElastiCache setting is accepted exactly when every id is in its grammar; any other value is refused naming goguard:elasticache", () => {
    const id = (prefix: string) => fc.oneof(fc.stringMatching(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`)), fc.string({ maxLength: 24 }));
    fc.assert(
      fc.property(id("vpc"), fc.array(id("subnet"), { maxLength: 4 }), fc.array(id("sg"), { maxLength: 3 }), (vpcId, subnetIds, clientSecurityGroupIds) => {
        const valid = /^vpc-[0-9a-f]{8,17}$/.test(vpcId) && subnetIds.length >= 2 && subnetIds.every((x) => /^subnet-[0-9a-f]{8,17}$/.test(x)) && clientSecurityGroupIds.length >= 1 && clientSecurityGroupIds.every((x) => /^sg-[0-9a-f]{8,17}$/.test(x));
        const problems = problemsOf(() => parseStackSettings({ ...ok, environment: "prod", proxyBucket: "acme-goproxy-prod", awsRegion: "eu-west-1", oidcProviderArn: ARN, oidcIssuerHost: ARN.split("oidc-provider/")[1], elasticache: { vpcId, subnetIds, clientSecurityGroupIds } }));
        if (valid) expect(problems).toEqual([]);
        else {
          expect(problems.length).toBeGreaterThan(0);
          for (const p of problems) expect(p).toMatch(/^goguard:elasticache\.(vpcId|subnetIds|clientSecurityGroupIds) /);
        }
      }),
      { numRuns: 300 },
    );
  });

  test.each<[string, Record<string, unknown>, string[]]>([
    ["unknown environment", { environment: "qa" }, ['goguard:environment must be dev, staging or prod; got "qa"']],
    ["missing environment", { environment: undefined }, ["goguard:environment is required: set it to dev, staging or prod (pulumi config set goguard:environment prod)"]],
    ["plain http to a public host", { proxyUrl: "http://goproxy.example.com" }, ['goguard:proxyUrl "http://goproxy.example.com" must be an https:// URL, or http:// to a cluster-internal service name (such as http://athens.goproxy.svc.cluster.local)']],
    ["a proxy URL carrying shell", { proxyUrl: "http://athens.goproxy.svc.cluster.local/$(id)" }, ['goguard:proxyUrl "http://athens.goproxy.svc.cluster.local/$(id)" is not a plain URL (scheme, lowercase host, optional port, path of letters, digits and . _ ~ -); set it such as http://athens.goproxy.svc.cluster.local']],
    ["a proxy URL with a newline", { proxyUrl: "https://proxy.corp.example\nRUN id" }, ['goguard:proxyUrl "https://proxy.corp.example\\nRUN id" is not a plain URL (scheme, lowercase host, optional port, path of letters, digits and . _ ~ -); set it such as http://athens.goproxy.svc.cluster.local']],
    ["wildcard prefix", { privatePrefixes: ["*"] }, ['goguard:privatePrefixes entry "*" must be a module path prefix without wildcards, such as git.corp.example or github.com/acme']],
    ["a whole public host", { privatePrefixes: ["github.com"] }, ['goguard:privatePrefixes entry "github.com": "github.com" matches public modules such as github.com/stretchr/testify; public modules must stay checked against the checksum database: name your organisation\'s own path, such as git.corp.example or github.com/acme']],
    ["public modules under a public host (golang.org/x)", { privatePrefixes: ["git.corp.example", "golang.org/x"] }, [GOLANG_X_REFUSAL]],
    ["not a list", { privatePrefixes: "git.corp.example" }, ['goguard:privatePrefixes must be a list of module path prefixes (such as ["git.corp.example"]); got "git.corp.example"']],
    ["a goVersion with a quote", { goVersion: "1.26.7'" }, [`goguard:goVersion must be an exact Go release such as "1.26.7" (one the lock allows); got "1.26.7'"`]],
    ["prod without its proxy settings", { environment: "prod" }, [
      "goguard:proxyBucket is required in prod: set it, for example to acme-goproxy-prod",
      "goguard:awsRegion is required in prod: set it, for example to eu-west-1",
      "goguard:oidcProviderArn is required in prod: set it, for example to arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
      "goguard:oidcIssuerHost is required in prod: set it, for example to oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
      "goguard:elasticache (or goguard:redisEndpoint) is required in prod: its two proxy replicas need a single-flight backend; set goguard:elasticache {vpcId, subnetIds, clientSecurityGroupIds} to have GoGuard create one, or goguard:redisEndpoint to a Redis you run",
    ]],
    ["a malformed bucket name", { environment: "staging", proxyBucket: "Acme_Bucket", awsRegion: "eu-west-1", oidcProviderArn: ARN, oidcIssuerHost: ARN.split("oidc-provider/")[1] }, ['goguard:proxyBucket "Acme_Bucket" is not an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens); set it such as acme-goproxy-prod']],
    ["a bucket that is an IP address", { environment: "staging", proxyBucket: "192.168.1.1", awsRegion: "eu-west-1", oidcProviderArn: ARN, oidcIssuerHost: ARN.split("oidc-provider/")[1] }, ['goguard:proxyBucket "192.168.1.1" is not an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens); set it such as acme-goproxy-prod']],
    ["an ARN with a quote", { environment: "staging", proxyBucket: "acme-goproxy-staging", awsRegion: "eu-west-1", oidcProviderArn: `${ARN}"}`, oidcIssuerHost: ARN.split("oidc-provider/")[1] }, [`goguard:oidcProviderArn "${ARN.slice(0, 60)}"… (110 characters) is not an IAM OIDC provider ARN; set it such as arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE`]],
    ["an issuer that is not the ARN's", { environment: "staging", proxyBucket: "acme-goproxy-staging", awsRegion: "eu-west-1", oidcProviderArn: ARN, oidcIssuerHost: "oidc.eks.us-east-1.amazonaws.com/id/OTHER" }, [
      'goguard:oidcIssuerHost "oidc.eks.us-east-1.amazonaws.com/id/OTHER" is not the issuer of goguard:oidcProviderArn ("oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"); the IAM role would trust one provider and check claims of another: set both from the same cluster',
    ]],
    ["a region with a space", { environment: "staging", proxyBucket: "acme-goproxy-staging", awsRegion: "eu-west-1 ", oidcProviderArn: ARN, oidcIssuerHost: ARN.split("oidc-provider/")[1] }, ['goguard:awsRegion "eu-west-1 " is not an AWS region; set it such as eu-west-1']],
    ["a redis endpoint with an out-of-range port", { redisEndpoint: "redis.goproxy.svc.cluster.local:70000" }, ['goguard:redisEndpoint "redis.goproxy.svc.cluster.local:70000" has port 70000, outside 1-65535; set it such as rediss://redis.corp.example:6379']],
    ["a redis endpoint with a path", { redisEndpoint: "redis:6379/0" }, ['goguard:redisEndpoint "redis:6379/0" is not a host:port or a redis[s]://host:port URL without credentials; set it such as rediss://redis.corp.example:6379']],
    ["a redis URL carrying a password", { redisEndpoint: "rediss://:hunter2@redis.corp.example:6379" }, ['goguard:redisEndpoint "rediss://:hunter2@redis.corp.example:6379" is not a host:port or a redis[s]://host:port URL without credentials; set it such as rediss://redis.corp.example:6379']],
    ["both a declared and a provisioned Redis", { redisEndpoint: "redis:6379", elasticache: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], clientSecurityGroupIds: ["sg-0123456789abcdef0"] } }, [
      "goguard:redisEndpoint and goguard:elasticache are both set; Athens takes one single-flight backend: keep goguard:elasticache to have GoGuard create it, or goguard:redisEndpoint to use one you run",
    ]],
    ["an ElastiCache in one subnet with a misspelt key and a bad VPC", { elasticache: { vpcId: "vpc-xyz", subnetIds: ["subnet-0123456789abcdef0"], clientSecurityGroupIds: ["sg-0123456789abcdef0"], nodetype: "cache.t4g.small" } }, [
      'goguard:elasticache: unknown key "nodetype"; did you mean nodeType?',
      'goguard:elasticache.vpcId "vpc-xyz" is not a VPC id; set the cluster\'s VPC, such as vpc-0123456789abcdef0',
      'goguard:elasticache.subnetIds must be a list of at least 2 private subnet ids in different availability zones (the replica fails over across them); got ["subnet-0123456789abcdef0"]; set it such as ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]',
    ]],
    ["an ElastiCache without client security groups and a bad node type", { elasticache: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"], clientSecurityGroupIds: [], nodeType: "t4g.small" } }, [
      "goguard:elasticache.clientSecurityGroupIds must be a list of at least 1 security group ids of the cluster's nodes (the only sources admitted); got []; set it such as [\"sg-0123456789abcdef0\"]",
      'goguard:elasticache.nodeType "t4g.small" is not an ElastiCache node type; set it such as cache.t4g.small',
    ]],
    ["an Ingress for an in-cluster URL", { proxyIngress: { tlsSecretName: "goproxy-tls" } }, [
      'goguard:proxyIngress is set but goguard:proxyUrl "http://athens.goproxy.svc.cluster.local" is not an external https:// URL without a port or path; the Ingress serves that URL: set goguard:proxyUrl such as https://goproxy.corp.example',
    ]],
    ["an Ingress with both TLS sources", { proxyUrl: "https://goproxy.corp.example", proxyIngress: { tlsSecretName: "goproxy-tls", clusterIssuer: "letsencrypt" } }, [
      "goguard:proxyIngress needs exactly one of tlsSecretName (an existing kubernetes.io/tls Secret in the proxy's namespace) or clusterIssuer (a cert-manager ClusterIssuer); the proxy is served over TLS only",
    ]],
    ["an Ingress without TLS and a bad class", { proxyUrl: "https://goproxy.corp.example", proxyIngress: { className: "Nginx!" } }, [
      'goguard:proxyIngress.className "Nginx!" is not an IngressClass name; set it such as nginx',
      "goguard:proxyIngress needs exactly one of tlsSecretName (an existing kubernetes.io/tls Secret in the proxy's namespace) or clusterIssuer (a cert-manager ClusterIssuer); the proxy is served over TLS only",
    ]],
    ["a cluster stack that is not org/project/stack", { clusterStack: "eks-prod" }, ['goguard:clusterStack "eks-prod" is not a stack name organization/project/stack; set it such as acme/eks-cluster/prod']],
    ["a cluster stack output without the stack", { clusterStackOutput: "kubeconfig" }, ["goguard:clusterStackOutput is set but goguard:clusterStack is not; set the stack that exports it (such as acme/eks-cluster/prod), or remove goguard:clusterStackOutput"]],
    ["a cluster stack output that is not a name", { clusterStack: "acme/eks/prod", clusterStackOutput: "kube-config" }, ['goguard:clusterStackOutput "kube-config" is not a stack output name; set it to the cluster stack\'s kubeconfig output, such as kubeconfig']],
    ["adoption that is not a boolean", { adoptConsumerNamespaces: "yes" }, ['goguard:adoptConsumerNamespaces must be true or false; got "yes"']],
    ["a namespace that is not a DNS label", { consumerNamespaces: ["builds", "Builds;x"] }, ['goguard:consumerNamespaces must be a list of Kubernetes namespace names (lowercase letters, digits, -; at most 63); got ["builds","Builds;x"]']],
  ])("%s", (_n, over, expected) => {
    expect(problemsOf(() => parseStackSettings({ ...ok, ...over } as RawStackSettings))).toEqual(expected);
  });
});

describe("the whole goguard namespace of a stack file", () => {
  test.each<[string, StackConfigInput, string[]]>([
    ["prod claiming to be dev", input("prod", { environment: "dev", clusterStack: undefined, elasticache: undefined }), ["goguard:environment is dev in stacks/Pulumi.prod.yaml, but stack prod runs the prod environment; set goguard:environment: prod (a stack cannot take another environment's policy)"]],
    ["staging claiming to be prod", input("staging", { environment: "prod", redisEndpoint: "redis.goproxy.svc.cluster.local:6379" }), ["goguard:environment is prod in stacks/Pulumi.staging.yaml, but stack staging runs the staging environment; set goguard:environment: staging (a stack cannot take another environment's policy)"]],
    ["an undeclared stack name", { ...input("dev", {}), stack: "qa" }, ['stack "qa" is not an environment\'s name (dev, staging, prod) and is not declared in stacks/config.ts DECLARED_STACKS; name the stack after its environment, or declare it there with the environment it runs']],
    ["a misspelt key", input("prod", { proxyURL: "http://athens.goproxy.svc.cluster.local" }), ["goguard:proxyURL is not a GoGuard setting; did you mean goguard:proxyUrl? Rename it in stacks/Pulumi.prod.yaml"]],
    ["a misspelt key, one letter off", input("prod", { privatePrefixe: '["git.corp.example"]' }), ["goguard:privatePrefixe is not a GoGuard setting; did you mean goguard:privatePrefixes? Rename it in stacks/Pulumi.prod.yaml"]],
    ["an unknown key", input("dev", { sumdbOff: "true" }), [`goguard:sumdbOff is not a GoGuard setting (known: ${KNOWN_KEYS.join(", ")}); remove it from stacks/Pulumi.dev.yaml`]],
    ["plain-text netrc", input("prod", { netrc: "machine git.corp.example login ci password hunter2" }), ["goguard:netrc is plain text in stacks/Pulumi.prod.yaml; a credential must be encrypted: delete that line and run `pulumi config set --secret goguard:netrc --stack prod < netrc`"]],
    ["plain-text redis password", input("prod", { redisPassword: "hunter2" }), ["goguard:redisPassword is plain text in stacks/Pulumi.prod.yaml; a credential must be encrypted: delete that line and run `pulumi config set --secret goguard:redisPassword --stack prod`"]],
    ["a redis password without a backend", input("staging", { redisPassword: "(secure)" }, ["goguard:redisPassword"]), ["goguard:redisPassword is set but neither goguard:redisEndpoint nor goguard:elasticache is; the password is for Athens' Redis: set the backend too, or remove the password"]],
    ["staging without cluster credentials", input("staging", { clusterStack: undefined }), [
      "goguard:kubeconfig or goguard:clusterStack is required in staging: the Kubernetes provider takes its credentials from the stack, never from the ambient kube context; run `pulumi config set --secret goguard:kubeconfig --stack staging < kubeconfig.yaml`, or set goguard:clusterStack to the cluster's stack (such as acme/eks-cluster/staging)",
    ]],
    ["a plain-text kubeconfig", input("prod", { clusterStack: undefined, kubeconfig: "apiVersion: v1" }), ["goguard:kubeconfig is plain text in stacks/Pulumi.prod.yaml; a credential must be encrypted: delete that line and run `pulumi config set --secret goguard:kubeconfig --stack prod < kubeconfig.yaml`"]],
    ["both a kubeconfig and a cluster stack", input("prod", { kubeconfig: "(secure)" }, ["goguard:kubeconfig"]), ["goguard:kubeconfig and goguard:clusterStack are both set; the Kubernetes provider takes its credentials from one: remove one of them"]],
    ["cluster credentials and a provisioned Redis in dev", input("dev", { clusterStack: "acme/eks/dev", elasticache: '{"vpcId":"vpc-0123456789abcdef0","subnetIds":["subnet-0123456789abcdef0","subnet-0fedcba9876543210"],"clientSecurityGroupIds":["sg-0123456789abcdef0"]}' }), [
      "goguard:clusterStack: dev renders its Kubernetes objects to YAML files and creates nothing in a cluster or in AWS; remove goguard:clusterStack from stacks/Pulumi.dev.yaml",
      "goguard:elasticache: dev renders its Kubernetes objects to YAML files and creates nothing in a cluster or in AWS; remove goguard:elasticache from stacks/Pulumi.dev.yaml",
    ]],
    ["prod unprotected", input("prod", { protect: "false" }), ["goguard:protect is false in prod; prod's stateful resources (cache bucket, registries, Redis) are always protected from deletion: remove goguard:protect"]],
    ["a secret in dev (rendered to files in clear)", input("dev", { netrc: "(secure)" }, ["goguard:netrc"]), ["goguard:netrc: dev renders its Kubernetes objects to YAML files on disk, where a Secret would be in clear; remove goguard:netrc from stacks/Pulumi.dev.yaml (fetch private modules through staging's proxy)"]],
    ["an override without a reason or expiry", input("prod", { policyOverrides: '[{"rule":"privatePrefixes"}]' }), ['goguard:policyOverrides[0].reason undefined must say why, in 10 to 300 printable characters on one line', "goguard:policyOverrides[0].expires undefined must be a date YYYY-MM-DD (an override never lasts forever)"]],
    ["an override with an impossible date and an extra key", input("prod", { policyOverrides: '[{"rule":"allowPrereleases","reason":"testing the 1.27 candidate","expires":"2027-02-30","by":"me"}]' }), ['goguard:policyOverrides[0]: unknown key "by"; an override has exactly rule, reason and expires', 'goguard:policyOverrides[0].expires "2027-02-30" must be a date YYYY-MM-DD (an override never lasts forever)']],
  ])("refuses %s", (_n, inp, expected) => {
    expect(problemsOf(() => parseStackConfig(inp))).toEqual(expected);
  });

  test("encrypted credentials are accepted outside dev and reported as present, never as values", () => {
    const s = parseStackConfig(input("prod", { netrc: "(secure value: not decrypted offline)", redisPassword: "(secure value: not decrypted offline)" }, ["goguard:netrc", "goguard:redisPassword"]));
    expect(s.secrets).toEqual({ netrc: true, redisPassword: true, kubeconfig: false });
    expect(JSON.stringify(s)).not.toContain("secure value");
  });

  test("an override is read with its reason and expiry", () => {
    const s = parseStackConfig(input("prod", { policyOverrides: '[{"rule":"privatePrefixes","reason":"vendor modules mirrored at git.vendor.example","expires":"2027-01-31"}]' }));
    expect(s.policyOverrides).toEqual([{ rule: "privatePrefixes", reason: "vendor modules mirrored at git.vendor.example", expires: "2027-01-31" }]);
  });

  test("keys of other namespaces (aws:region, kubernetes:…) are not GoGuard's to judge", () => {
    expect(problemsOf(() => parseStackConfig({ ...input("prod", {}), config: { ...shippedConfig("prod"), "aws:region": "eu-west-1", "kubernetes:context": "x" } }))).toEqual([]);
  });

  test.each<[string, string, string | undefined]>([
    ["proxyUrl", "proxyURL", "proxyUrl"],
    ["redis endpoint", "redisendpoint", "redisEndpoint"],
    ["a transposition", "evnironment", "environment"],
    ["nothing close", "somethingElse", undefined],
    ["a short unrelated key", "x", undefined],
  ])("did-you-mean: %s", (_n, key, expected) => {
    expect(didYouMean(key, KNOWN_KEYS)).toBe(expected);
  });

  test("edit distance is a metric on keys (symmetric, zero only on equal text ignoring case, triangle inequality)", () => {
    const key = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(key, key, key, (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a.toLowerCase() === b.toLowerCase());
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
      }),
      { numRuns: 300 },
    );
  });

  test("every known key is its own suggestion, and any unknown goguard key is refused, naming it escaped", () => {
    for (const k of KNOWN_KEYS) expect(didYouMean(k, KNOWN_KEYS)).toBe(k);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !(KNOWN_KEYS as readonly string[]).includes(k)), (key) => {
        const problems = problemsOf(() => parseStackConfig(input("dev", { [key]: "x" })));
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(/^goguard:.* is not a GoGuard setting/);
        expect(problems[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }),
      { numRuns: 200 },
    );
  });
});
