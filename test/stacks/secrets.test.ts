// Credentials through the real CLI: encrypted values render as redacted but valid Secrets, plain
// text is refused with the command that encrypts it, and dev (rendered to files) takes none.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { runCli } from "../helpers/cli";
import { validateKubernetesObject } from "../helpers/k8s-schema";

const ROOT = path.join(__dirname, "../..");
const CIPHER_NETRC = "v1:AAAABBBBCCCCDDDD:EEEEFFFFGGGGHHHH";
const CIPHER_REDIS = "v1:IIIIJJJJKKKKLLLL:MMMMNNNNOOOOPPPP";
const PLACEHOLDER = "(secure value: not decrypted offline)";
const REDACTED = Buffer.from("[redacted]").toString("base64");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-secrets-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function stackFile(stack: string, extra: string, edit: (text: string) => string = (t) => t): string {
  const f = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(f, edit(fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")) + extra);
  return f;
}

/** Prod with a Redis the user runs (declared) in place of the ElastiCache GoGuard creates. */
const declaredRedis = (t: string): string => t.replace(/  goguard:elasticache:\n(    .*\n|      .*\n)+/, "  goguard:redisEndpoint: rediss://redis.corp.example:6379\n");

function filesUnder(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(d, e.name)) : [path.join(d, e.name)]));
}

test("prod with encrypted netrc and a declared Redis's password: Secrets rendered valid and redacted; the Deployment refers to them; no value anywhere", async () => {
  const config = stackFile("prod", `  goguard:netrc:\n    secure: ${CIPHER_NETRC}\n  goguard:redisPassword:\n    secure: ${CIPHER_REDIS}\n`, declaredRedis);
  expect(fs.readFileSync(config, "utf8")).toContain("goguard:redisEndpoint: rediss://redis.corp.example:6379\n");
  expect(fs.readFileSync(config, "utf8")).not.toContain("elasticache");
  const out = path.join(dir, "out");
  const r = await runCli("render", "--stack", "prod", "--config", config, "--out", out);
  expect(r.stderr).toBe("");
  const secrets = filesUnder(out).filter((f) => /kubernetes\/secret-/.test(f)).map((f) => parse(fs.readFileSync(f, "utf8")));
  expect(secrets.map((s) => [s.metadata.name, s.data])).toEqual([
    ["athens-netrc", { ".netrc": REDACTED }],
    ["athens-redis", { endpoint: REDACTED }],
  ]);
  for (const s of secrets) {
    expect(s.stringData).toBeUndefined();
    expect(() => validateKubernetesObject(s)).not.toThrow();
  }
  const deployment = parse(fs.readFileSync(path.join(out, "kubernetes/deployment-goproxy-athens.yaml"), "utf8"));
  expect(deployment.spec.template.spec.containers[0].env.filter((e: { name: string }) => e.name.startsWith("ATHENS_REDIS"))).toEqual([{ name: "ATHENS_REDIS_ENDPOINT", valueFrom: { secretKeyRef: { name: "athens-redis", key: "endpoint" } } }]);
  for (const f of filesUnder(out)) {
    const text = fs.readFileSync(f, "utf8");
    for (const leak of [CIPHER_NETRC, CIPHER_REDIS, PLACEHOLDER, Buffer.from(PLACEHOLDER).toString("base64")]) expect(text).not.toContain(leak);
  }
}, 60_000);

test.each<[string, string, string, string]>([
  ["a plain-text netrc in prod", "prod", '  goguard:netrc: "machine git.corp.example login ci password hunter2"\n', "goguard:netrc is plain text in stacks/Pulumi.prod.yaml; a credential must be encrypted: delete that line and run `pulumi config set --secret goguard:netrc --stack prod < netrc`"],
  ["a plain-text Redis password in prod", "prod", "  goguard:redisPassword: hunter2\n", "goguard:redisPassword is plain text in stacks/Pulumi.prod.yaml; a credential must be encrypted: delete that line and run `pulumi config set --secret goguard:redisPassword --stack prod`"],
  ["an encrypted netrc in dev (rendered to YAML files in clear by renderYamlToDirectory)", "dev", `  goguard:netrc:\n    secure: ${CIPHER_NETRC}\n`, "goguard:netrc: dev renders its Kubernetes objects to YAML files on disk, where a Secret would be in clear; remove goguard:netrc from stacks/Pulumi.dev.yaml (fetch private modules through staging's proxy)"],
])("check refuses %s (exit 1), naming the fix, never the value", async (_n, stack, extra, error) => {
  const file = stackFile(stack, extra);
  const r = await runCli("check", "--stack", stack, "--config", file, "--format", "json");
  expect(r.code).toBe(1);
  // With --config the fix names the file given, not the checkout's stack file.
  expect(JSON.parse(r.stdout)).toEqual({ ok: false, stacks: [{ stack, resources: 0, violations: [], error: error.replace(`stacks/Pulumi.${stack}.yaml`, file) }] });
  expect(r.stdout + r.stderr).not.toContain("hunter2");
}, 60_000);
