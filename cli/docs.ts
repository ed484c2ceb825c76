// README sections generated from the code itself (the pack's metadata, the renderer), so the docs
// cannot drift: `npm run docs` rewrites them, test/docs.test.ts fails when they differ.
import * as fs from "fs";
import * as path from "path";
import { RULE_DOCS } from "../policies/rules/registry";
import { levelForRows } from "../policies/lib/levels";
import { renderBuilderDockerfile } from "../components/build-image/dockerfile";
import { bundledCatalog } from "../components/toolchain/bundled";
import { parseLock } from "../components/toolchain/lock";
import { PROJECT_ROOT } from "./files";
import { stringify } from "yaml";
import * as pulumi from "@pulumi/pulumi";
import { deploymentManifest, netrcSecretName, redisSecretName } from "../components/module-proxy/manifests";
import { proxySpecOf } from "../components/module-proxy";
import { proxyArgsOf } from "../components/environment";
import { EnvironmentPlan, resolvePlan } from "../components/environment/plan";
import { parseStackConfig } from "../stacks/config";
import { projectName, readStackConfig, stackConfigPath } from "./stack-files";

const short = { mandatory: "M", advisory: "A", disabled: "–" } as const;

export function policyTable(): string {
  const key = (rows: readonly string[]): string => rows.map((r) => r[0] + r.slice(1).padStart(2, "0")).join(",");
  const docs = [...RULE_DOCS].sort((a, b) => (key(a.rows) < key(b.rows) ? -1 : 1));
  const lines = ["| catalog rows | policy | dev / stg / prod | what it enforces |", "|---|---|---|---|"];
  for (const r of docs) lines.push(`| ${r.rows.join(", ")} | \`${r.name}\` | ${(["dev", "staging", "prod"] as const).map((e) => short[levelForRows(r.rows, e)]).join(" / ")} | ${r.description} |`);
  return lines.join("\n");
}

/** Prod's plan from the shipped stack file and lock: the same resolution the stack program runs. */
export function prodPlan(): EnvironmentPlan {
  const lock = parseLock(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "stacks/toolchain.lock.json"), "utf8")));
  const project = projectName();
  const raw = readStackConfig(stackConfigPath("prod"), project);
  return resolvePlan(lock, parseStackConfig({ stack: "prod", namespace: project, config: raw.config, secretKeys: raw.secretKeys }), bundledCatalog());
}

export function prodDockerfile(): string {
  const plan = prodPlan();
  const t = plan.toolchain;
  return renderBuilderDockerfile({
    goVersion: t.version,
    archives: t.archives,
    mirror: "https://dl.google.com/go/",
    verifySignature: true,
    toolchainBase: plan.images.builderBase,
    builderBase: plan.images.builderBase,
    goEnv: plan.goEnv,
    uid: 65532,
    labels: { version: t.version },
  });
}

export function prodDeploymentYaml(): string {
  const plan = prodPlan();
  const redis = plan.singleFlight.kind === "redis" ? { port: plan.singleFlight.source === "elasticache" ? plan.singleFlight.port : Number(/:(\d+)$/.exec(plan.singleFlight.address)![1]), tls: plan.singleFlight.tls } : undefined;
  // As deployed with a netrc for private modules (the Secret names are fixed; their values never appear).
  const spec = proxySpecOf({ ...proxyArgsOf(plan), ...(redis ? { redis } : {}), netrc: pulumi.secret("") });
  return stringify(deploymentManifest(spec, { image: "<ECR repository>@sha256:<digest pushed at deploy time>", roleArn: "<IAM role ARN>", netrcSecretName: netrcSecretName(spec), ...(redis ? { redisSecretName: redisSecretName(spec) } : {}) }), { version: "1.1", lineWidth: 0, aliasDuplicateObjects: false });
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

// Console blocks: every ```console block in the README is a real run. Each is preceded by the marker
// `<!-- console -->`; its `$ npx goguard ARGS` lines (optionally ending `# exit N`, default 0) are run
// and their output (stdout and stderr, in order) replaces what follows each of them. `npm run docs`
// rewrites the blocks; test/docs.test.ts reruns them and fails on any difference.
export const CONSOLE_MARKER = "<!-- console -->";

export interface ConsoleCommand {
  /** The `$ …` line as written (its spacing and comment kept). */
  readonly line: string;
  readonly args: string[];
  readonly exit: number;
  /** The output the README shows for it. */
  readonly shown: string;
}

export interface ConsoleBlock {
  /** Offsets of the block's body (between the fence lines) in the README. */
  readonly start: number;
  readonly end: number;
  readonly commands: ConsoleCommand[];
}

export class DocsError extends Error {}

export function parseConsoleBlocks(readme: string): ConsoleBlock[] {
  const blocks: ConsoleBlock[] = [];
  const fence = /```console\n([\s\S]*?)```/g;
  for (const m of readme.matchAll(fence)) {
    const before = readme.slice(0, m.index).trimEnd();
    const line = readme.slice(0, m.index).split("\n").length;
    if (!before.endsWith(CONSOLE_MARKER)) throw new DocsError(`README.md:${line}: a console block without ${CONSOLE_MARKER} before it; every console block must be a real, drift-tested run`);
    const body = m[1];
    const commands: ConsoleCommand[] = [];
    let current: { line: string; args: string[]; exit: number; shown: string[] } | undefined;
    for (const l of body.split("\n").slice(0, -1)) {
      const cmd = /^\$ npx goguard((?: [^#\s]+)*)\s*(?:#\s*exit (\d))?\s*$/.exec(l);
      if (cmd) {
        if (current) commands.push({ ...current, shown: current.shown.join("\n") });
        current = { line: l, args: cmd[1].trim() === "" ? [] : cmd[1].trim().split(/ +/), exit: cmd[2] ? Number(cmd[2]) : 0, shown: [] };
      } else if (l.startsWith("$")) {
        throw new DocsError(`README.md:${line}: console blocks run goguard only ("$ npx goguard …"); got ${JSON.stringify(l)}`);
      } else if (!current) {
        throw new DocsError(`README.md:${line}: a console block must start with a "$ npx goguard …" line`);
      } else current.shown.push(l);
    }
    if (current) commands.push({ ...current, shown: current.shown.join("\n") });
    const start = m.index! + "```console\n".length;
    blocks.push({ start, end: start + body.length, commands });
  }
  return blocks;
}

/** Only timings vary between runs (none print today; kept so a future one does not flake). */
export function normaliseConsoleOutput(text: string): string {
  return text.replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, "<time>").replace(/\n+$/, "");
}

export type ConsoleRunner = (args: string[]) => Promise<{ code: number; output: string }>;

/** The README with every console block replaced by a fresh run; throws when an exit code differs from `# exit N`. */
export async function regenerateConsoleBlocks(readme: string, runner: ConsoleRunner): Promise<string> {
  let out = "";
  let at = 0;
  for (const b of parseConsoleBlocks(readme)) {
    const parts: string[] = [];
    for (const c of b.commands) {
      const r = await runner(c.args);
      if (r.code !== c.exit) throw new DocsError(`README console \`goguard ${c.args.join(" ")}\` exits ${r.code}, the README says ${c.exit}: fix the command or its "# exit N"`);
      const output = r.output.replace(/\n+$/, "");
      parts.push(output === "" ? c.line : `${c.line}\n${output}`);
    }
    out += readme.slice(at, b.start) + parts.join("\n") + "\n";
    at = b.end;
  }
  return out + readme.slice(at);
}
