// README sections generated from the code itself (the pack's metadata, the renderer), so the docs
// cannot drift: `npm run docs` rewrites them, test/docs.test.ts fails when they differ.
import * as fs from "fs";
import * as path from "path";
import { RULE_DOCS } from "../policies/rules/registry";
import { levelForRows } from "../policies/lib/levels";
import { renderBuilderDockerfile } from "../components/build-image/dockerfile";
import { bundledCatalog } from "../components/toolchain/bundled";
import { parseLock, lockedImageRef } from "../components/toolchain/lock";
import { resolveToolchain } from "../components/toolchain/toolchain";
import { resolveGoEnvBaseline } from "../components/toolchain/goenv";
import { PROJECT_ROOT } from "./files";
import { stringify } from "yaml";
import { deploymentManifest } from "../components/module-proxy/manifests";
import { projectName, readStackConfig, stackConfigPath, stackSettingsFrom } from "./stack-files";

const short = { mandatory: "M", advisory: "A", disabled: "–" } as const;

export function policyTable(): string {
  const key = (rows: readonly string[]): string => rows.map((r) => r[0] + r.slice(1).padStart(2, "0")).join(",");
  const docs = [...RULE_DOCS].sort((a, b) => (key(a.rows) < key(b.rows) ? -1 : 1));
  const lines = ["| catalog rows | policy | dev / stg / prod | what it enforces |", "|---|---|---|---|"];
  for (const r of docs) lines.push(`| ${r.rows.join(", ")} | \`${r.name}\` | ${(["dev", "staging", "prod"] as const).map((e) => short[levelForRows(r.rows, e)]).join(" / ")} | ${r.description} |`);
  return lines.join("\n");
}

export function prodDockerfile(): string {
  const lock = parseLock(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "stacks/toolchain.lock.json"), "utf8")));
  const project = projectName();
  const s = stackSettingsFrom(readStackConfig(stackConfigPath("prod"), project).config, project);
  const t = resolveToolchain(lock, "prod", bundledCatalog());
  const debian = lockedImageRef(lock, "debian:bookworm-slim", "prod");
  return renderBuilderDockerfile({
    goVersion: t.version,
    archives: t.archives,
    mirror: "https://dl.google.com/go/",
    verifySignature: true,
    toolchainBase: debian,
    builderBase: debian,
    goEnv: resolveGoEnvBaseline({ proxyUrl: s.proxyUrl, privatePrefixes: s.privatePrefixes }),
    uid: 65532,
    labels: { version: t.version },
  });
}

export function prodDeploymentYaml(): string {
  const project = projectName();
  const st = stackSettingsFrom(readStackConfig(stackConfigPath("prod"), project).config, project);
  const spec = {
    environment: "prod" as const,
    namespace: "goproxy",
    name: "athens",
    storage: { kind: "s3" as const, bucketName: st.proxy.bucket!, region: st.proxy.region! },
    replicas: 2,
    singleFlight: { kind: "redis" as const, endpoint: st.proxy.redisEndpoint! },
    upstream: "https://proxy.golang.org",
    privatePrefixes: st.privatePrefixes,
    goBinarySettings: {},
    downloadMode: "sync" as const,
    timeoutSeconds: 300,
    shutdownTimeoutSeconds: 60,
    hasNetrc: true,
  };
  return stringify(deploymentManifest(spec, { image: "<ECR repository>@sha256:<digest pushed at deploy time>", netrcSecretName: "athens-netrc" }), { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false });
}

export const SECTIONS: Record<string, () => string> = {
  "deployment-prod": () => "```yaml\n" + prodDeploymentYaml() + "```",
  "policy-table": policyTable,
  "dockerfile-prod": () => "```dockerfile\n" + prodDockerfile() + "```",
};

export function applySections(readme: string): string {
  let out = readme;
  for (const [name, gen] of Object.entries(SECTIONS)) {
    const re = new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(out)) throw new Error(`README has no generated:${name} markers`);
    out = out.replace(re, (_m, a: string, b: string) => `${a}\n${gen()}\n${b}`);
  }
  return out;
}
