// The GitHub workflows cannot run here; this checks what can be checked without GitHub: they parse,
// reference what exists (npm scripts, goguard commands, stacks, policy configs, reusable workflows),
// ask for least-privilege permissions per job, pin every action by commit SHA with its release in a
// comment, never interpolate an expression inside `run:`, set up QEMU/Buildx before the Pulumi step
// that builds the multi-platform image, cannot be blocked by the SARIF upload, pin the Pulumi CLI to
// the SDK's version, and validate the commit a redeploy names (the validation script is executed).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");
const DIR = path.join(ROOT, ".github/workflows");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const text = (f: string): string => fs.readFileSync(path.join(DIR, f), "utf8");
const doc = (f: string): any => parse(text(f));

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly id?: string;
  readonly "continue-on-error"?: boolean;
}

function jobs(f: string): [string, any][] {
  return Object.entries(doc(f).jobs ?? {});
}
function steps(f: string): Step[] {
  return jobs(f).flatMap(([, j]) => j.steps ?? []);
}
function jobSteps(f: string, job: string): Step[] {
  return doc(f).jobs[job].steps;
}
const indexOf = (ss: readonly Step[], pred: (s: Step) => boolean): number => ss.findIndex(pred);
const usesAction = (action: string) => (s: Step) => typeof s.uses === "string" && s.uses.split("@")[0] === action;
const runs = (re: RegExp) => (s: Step) => typeof s.run === "string" && re.test(s.run);

describe("GitHub workflows", () => {
  test("the three workflows and the Dependabot config exist and parse", () => {
    expect(files.sort()).toEqual(["deploy.yml", "drift.yml", "pull-request.yml", "up.yml"]);
    for (const f of files) expect(doc(f).jobs).toBeDefined();
    const dependabot = parse(fs.readFileSync(path.join(ROOT, ".github/dependabot.yml"), "utf8"));
    expect(dependabot.version).toBe(2);
    expect(dependabot.updates.map((u: any) => [u["package-ecosystem"], u.directory])).toEqual([
      ["github-actions", "/"],
      ["npm", "/"],
    ]);
  });

  test.each(files)("%s: every `npm run`/`npm test` script and goguard command exists", (f) => {
    for (const s of steps(f).filter((x) => typeof x.run === "string")) {
      for (const m of s.run!.matchAll(/npm (?:run )?(test|[a-z:]+)\b(?: --workspace (\S+))?/g)) {
        if (m[1] === "ci") continue;
        const scripts = m[2] ? JSON.parse(fs.readFileSync(path.join(ROOT, m[2], "package.json"), "utf8")).scripts : pkg.scripts;
        expect(Object.keys(scripts)).toContain(m[1]);
      }
      for (const m of s.run!.matchAll(/npx goguard (\w[\w-]*)/g)) expect(["check", "lock", "policy-config", "catalog", "render", "drift"]).toContain(m[1]);
    }
  });

  test("previews and updates name existing stacks and their policy configs", () => {
    const pr = doc("pull-request.yml");
    for (const stack of pr.jobs.preview.strategy.matrix.stack) {
      expect(fs.existsSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`))).toBe(true);
      expect(fs.existsSync(path.join(ROOT, "policies/config", `${stack}.json`))).toBe(true);
    }
    // Forks get no OIDC token or secrets: their previews are skipped, not failed.
    expect(pr.jobs.preview.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    const pulumiStep = steps("pull-request.yml").find(usesAction("pulumi/actions"))!;
    expect(pulumiStep.with).toMatchObject({ command: "preview", policyPacks: "policies", policyPackConfigs: "policies/config/${{ matrix.stack }}.json" });
    expect(fs.existsSync(path.join(ROOT, String(pulumiStep.with!.policyPacks), "PulumiPolicy.yaml"))).toBe(true);
    const deploy = doc("deploy.yml");
    expect(
      Object.entries(deploy.jobs)
        .filter(([k]) => k !== "resolve")
        .map(([k, j]: [string, any]) => [k, j.with.stack, j.needs, j.with.environment ?? null, j.with["strict-lock"], j.with.ref]),
    ).toEqual([
      ["dev", "dev", "resolve", null, false, "${{ needs.resolve.outputs.sha }}"],
      ["staging", "staging", ["resolve", "dev"], null, false, "${{ needs.resolve.outputs.sha }}"],
      ["prod", "prod", ["resolve", "staging"], "prod", true, "${{ needs.resolve.outputs.sha }}"],
    ]);
    for (const [k, j] of Object.entries(deploy.jobs) as [string, any][]) if (k !== "resolve") expect(fs.existsSync(path.join(ROOT, j.uses.replace(/^\.\//, "")))).toBe(true);
  });
});

describe("permissions: least privilege per job", () => {
  // The exact grant of every job. A new job or a wider grant has to be added here on purpose.
  const EXPECTED: [string, string, Record<string, string>][] = [
    ["pull-request.yml", "check", { contents: "read", "pull-requests": "write", "security-events": "write", actions: "read" }],
    ["pull-request.yml", "preview", { contents: "read", "id-token": "write", "pull-requests": "write" }],
    ["deploy.yml", "resolve", { contents: "read" }],
    ["deploy.yml", "dev", { contents: "read", "id-token": "write" }],
    ["deploy.yml", "staging", { contents: "read", "id-token": "write" }],
    ["deploy.yml", "prod", { contents: "read", "id-token": "write" }],
    ["up.yml", "up", { contents: "read", "id-token": "write" }],
    ["drift.yml", "drift", { contents: "read", "id-token": "write" }],
  ];

  test.each(files)("%s grants nothing at the top level", (f) => {
    expect(doc(f).permissions).toEqual({});
  });

  test("every job's grant, exactly", () => {
    const actual = files.flatMap((f) => jobs(f).map(([name, j]) => [f, name, j.permissions ?? null]));
    expect(actual.sort()).toEqual([...EXPECTED].sort());
  });

  // The rules behind the table, so it cannot drift from what the steps use.
  test.each(files.flatMap((f) => jobs(f).filter(([, j]) => j.steps).map(([name]) => [f, name])))("%s %s: id-token only to assume an AWS role, security-events and actions: read only to upload SARIF", (f, job) => {
    const j = doc(f).jobs[job];
    const ss: Step[] = j.steps;
    expect(j.permissions["id-token"] === "write").toBe(ss.some(usesAction("aws-actions/configure-aws-credentials")));
    expect(j.permissions["security-events"] === "write").toBe(ss.some(usesAction("github/codeql-action/upload-sarif")));
    // upload-sarif reads the workflow run for its analysis key (codeql-action src/api-client.ts).
    expect(j.permissions.actions === "read").toBe(ss.some(usesAction("github/codeql-action/upload-sarif")));
    expect(j.permissions["pull-requests"] === "write").toBe(ss.some((s) => usesAction("marocchino/sticky-pull-request-comment")(s) || (usesAction("pulumi/actions")(s) && s.with?.["comment-on-pr"] === true)));
    if (ss.some(usesAction("actions/checkout"))) expect(j.permissions.contents).toBe("read");
  });

  test("a job calling up.yml grants what up.yml's job asks for, no more", () => {
    const up = doc("up.yml").jobs.up.permissions;
    for (const [, j] of jobs("deploy.yml").filter(([, j]) => j.uses === "./.github/workflows/up.yml")) expect(j.permissions).toEqual(up);
  });
});

describe("actions pinned by commit SHA", () => {
  const lines = files.flatMap((f) => text(f).split("\n").map((l, i) => ({ f, line: i + 1, l })));
  const usesLines = lines.filter((x) => /^\s*(-\s+)?uses:/.test(x.l));

  test("every `uses:` is a local workflow or owner/repo@<40-hex SHA> # vX.Y.Z (no tag pins, no TODO left)", () => {
    const bad = usesLines.filter(({ l }) => !/^\s*(-\s+)?uses: (\.\/\.github\/workflows\/[a-z-]+\.yml|[A-Za-z0-9-]+\/[A-Za-z0-9._/-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+)$/.test(l));
    expect(bad.map(({ f, line, l }) => `${f}:${line}: ${l.trim()}`)).toEqual([]);
    expect(usesLines.filter(({ l }) => /@[0-9a-f]{40}/.test(l)).length).toBe(21);
  });

  test("one action, one SHA and one version everywhere", () => {
    const pins = new Map<string, Set<string>>();
    for (const { l } of usesLines) {
      const m = /uses: ([^@\s]+)@([0-9a-f]{40}) # (v[\d.]+)/.exec(l);
      if (m) pins.set(m[1], new Set([...(pins.get(m[1]) ?? []), `${m[2]} ${m[3]}`]));
    }
    // Resolved with `git rev-parse <tag>^{commit}` on each action's repository (not from memory).
    expect(Object.fromEntries([...pins].map(([k, v]) => [k, [...v]]))).toEqual({
      "actions/checkout": ["3d3c42e5aac5ba805825da76410c181273ba90b1 v7.0.1"],
      "actions/setup-node": ["820762786026740c76f36085b0efc47a31fe5020 v7.0.0"],
      "github/codeql-action/upload-sarif": ["8aad20d150bbac5944a9f9d289da16a4b0d87c1e v4.36.2"],
      "marocchino/sticky-pull-request-comment": ["5770ad5eb8f42dd2c4f34da00c94c5381e49af88 v3.0.5"],
      "docker/setup-qemu-action": ["96fe6ef7f33517b61c61be40b68a1882f3264fb8 v4.2.0"],
      "docker/setup-buildx-action": ["37fe631027851001ddb9b187196cc803df7f5f0e v4.3.0"],
      "aws-actions/configure-aws-credentials": ["e6de054238d6b7531b4efff3b6587d9aade6a06c v6.2.3"],
      "pulumi/actions": ["8e5e406f4007fca908480587cb9893c07090f58d v7.0.0"],
    });
  });
});

describe("no expression injection", () => {
  // Anything in `${{ }}` is pasted into the script before the shell sees it: a branch name, a PR
  // title or a dispatch input becomes code. Values go through `env:` and are quoted in the shell.
  test.each(files)("%s: no `run:` contains `${{`", (f) => {
    const offending = steps(f).filter((s) => typeof s.run === "string" && s.run.includes("${{"));
    expect(offending.map((s) => s.name ?? s.run)).toEqual([]);
  });
});

describe("multi-platform builds, SARIF, CLI and Node versions", () => {
  test.each([
    ["pull-request.yml", "preview"],
    ["up.yml", "up"],
  ])("%s %s: npm ci, the pack built, goguard check, QEMU, Buildx, AWS credentials, then Pulumi", (f, job) => {
    const ss = jobSteps(f, job);
    const order = [
      indexOf(ss, runs(/^npm ci$/)),
      indexOf(ss, runs(/^npm run build --workspace policies$/)),
      indexOf(ss, runs(/^npx goguard check --stack "\$STACK"$/)),
      indexOf(ss, usesAction("docker/setup-qemu-action")),
      indexOf(ss, usesAction("docker/setup-buildx-action")),
      indexOf(ss, usesAction("aws-actions/configure-aws-credentials")),
      indexOf(ss, usesAction("pulumi/actions")),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test("the SARIF upload cannot fail the job, runs after a failing check, and only when the file exists", () => {
    const upload = steps("pull-request.yml").filter(usesAction("github/codeql-action/upload-sarif"));
    expect(upload).toHaveLength(1);
    expect(upload[0]["continue-on-error"]).toBe(true);
    expect(upload[0].if).toBe("always() && hashFiles('goguard.sarif') != ''");
    expect(upload[0].with).toEqual({ sarif_file: "goguard.sarif", category: "goguard" });
    const ss = jobSteps("pull-request.yml", "check");
    expect(indexOf(ss, runs(/--format sarif > goguard\.sarif$/))).toBeLessThan(indexOf(ss, usesAction("github/codeql-action/upload-sarif")));
  });

  test("every Pulumi step pins the CLI to package.json's @pulumi/pulumi", () => {
    const pulumiSteps = steps("pull-request.yml").concat(steps("up.yml")).filter(usesAction("pulumi/actions"));
    expect(pulumiSteps.map((s) => String(s.with!["pulumi-version"]))).toEqual([pkg.dependencies["@pulumi/pulumi"], pkg.dependencies["@pulumi/pulumi"]]);
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe("3.270.0");
  });

  test("every setup-node asks for the Node major package.json's engines names, with the npm cache", () => {
    const major = Number(/^>=(\d+)$/.exec(pkg.engines.node)![1]);
    const nodes = files.flatMap((f) => steps(f)).filter(usesAction("actions/setup-node"));
    expect(nodes.map((s) => s.with)).toEqual(Array(4).fill({ "node-version": major, cache: "npm" }));
  });

  test("prod's update runs `goguard lock verify --strict` before Pulumi, the other stacks the plain verify", () => {
    const ss = jobSteps("up.yml", "up");
    const strict = indexOf(ss, runs(/^npx goguard lock verify --strict$/));
    const plain = indexOf(ss, runs(/^npx goguard lock verify$/));
    expect([ss[strict].if, ss[plain].if]).toEqual(["${{ inputs.strict-lock }}", "${{ !inputs.strict-lock }}"]);
    expect(Math.max(strict, plain)).toBeLessThan(indexOf(ss, usesAction("pulumi/actions")));
    expect(doc("up.yml").on.workflow_call.inputs["strict-lock"]).toEqual({ description: expect.any(String), type: "boolean", required: false, default: false });
  });
});

describe("redeploying a given commit (workflow_dispatch)", () => {
  test("deploy.yml takes a required string `ref`; both workflows validate it before any checkout uses it", () => {
    expect(doc("deploy.yml").on.workflow_dispatch.inputs.ref).toEqual({ description: expect.any(String), type: "string", required: true });
    const resolve = jobSteps("deploy.yml", "resolve");
    expect(indexOf(resolve, (s) => s.id === "sha")).toBe(0);
    expect(resolve[0].env).toEqual({ EVENT_NAME: "${{ github.event_name }}", INPUT_REF: "${{ inputs.ref }}", PUSHED_SHA: "${{ github.sha }}" });
    // The commit must be in main's history: a dispatch cannot deploy an unreviewed branch.
    expect(indexOf(resolve, runs(/git merge-base --is-ancestor "\$SHA" origin\/main/))).toBe(2);
    expect(resolve[1].with).toEqual({ ref: "main", "fetch-depth": 0, "persist-credentials": false });
    const up = jobSteps("up.yml", "up");
    expect(up[0].env).toEqual({ REF: "${{ inputs.ref }}" });
    expect(up[1]).toEqual({ uses: expect.stringMatching(/^actions\/checkout@/), with: { ref: "${{ inputs.ref }}", "persist-credentials": false } });
  });

  // The validation script runs in bash, as on the runner, against hostile values.
  const script = jobSteps("deploy.yml", "resolve")[0].run!;
  const SHA = "0123456789abcdef0123456789abcdef01234567";
  function validate(event: string, ref: string): { status: number | null; output: string; stdout: string; sentinel: boolean } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-wf-"));
    try {
      const out = path.join(dir, "out");
      fs.writeFileSync(out, "");
      const r = spawnSync("bash", ["-e", "-c", script], {
        cwd: dir,
        env: { PATH: process.env.PATH, GITHUB_OUTPUT: out, EVENT_NAME: event, INPUT_REF: ref, PUSHED_SHA: "f".repeat(40) },
        encoding: "utf8",
        timeout: 10_000,
      });
      return { status: r.status, output: fs.readFileSync(out, "utf8"), stdout: r.stdout, sentinel: fs.existsSync(path.join(dir, "pwned")) };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test.each([
    ["a full SHA", SHA, 0, `sha=${SHA}\n`],
    ["a branch name", "main", 1, ""],
    ["a short SHA", SHA.slice(0, 12), 1, ""],
    ["upper case", SHA.toUpperCase(), 1, ""],
    ["a SHA and a second line", `${SHA}\n${SHA}`, 1, ""],
    ["a command substitution", "$(touch pwned)", 1, ""],
    ["backticks", "`touch pwned`", 1, ""],
    ["a workflow command", "::set-output name=sha::x", 1, ""],
    ["empty", "", 1, ""],
  ])("dispatch with %s", (_label, ref, status, output) => {
    const r = validate("workflow_dispatch", ref);
    expect([r.status, r.output, r.sentinel]).toEqual([status, output, false]);
    if (status === 1) expect(r.stdout).toBe(`::error title=ref::ref must be a full 40-hex lowercase commit SHA (got ${ref.length} characters); copy it from git log main\n`);
  });

  // The ancestry check, run in a scratch repository whose origin/main has two commits and a side
  // branch one more: a commit of main passes, the side branch's and an unknown one are refused.
  test("only a commit of main's history is deployed", () => {
    const ancestry = jobSteps("deploy.yml", "resolve")[2].run!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-wf-git-"));
    const git = (...args: string[]): string =>
      spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8", timeout: 10_000 }).stdout.trim();
    try {
      git("init", "-q", "-b", "main");
      git("commit", "-q", "--allow-empty", "-m", "one");
      const first = git("rev-parse", "HEAD");
      git("commit", "-q", "--allow-empty", "-m", "two");
      git("update-ref", "refs/remotes/origin/main", "HEAD");
      git("checkout", "-q", "-b", "side", first);
      git("commit", "-q", "--allow-empty", "-m", "unreviewed");
      const side = git("rev-parse", "HEAD");
      const run = (sha: string) => spawnSync("bash", ["-e", "-c", ancestry], { cwd: dir, env: { PATH: process.env.PATH, SHA: sha }, encoding: "utf8", timeout: 10_000 });
      expect(run(first).status).toBe(0);
      const refused = run(side);
      expect([refused.status, refused.stdout]).toEqual([1, `::error title=ref::commit ${side} is not in main's history; deploy only reviewed commits (merge it first)\n`]);
      expect(run("0".repeat(40)).status).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a push deploys the pushed commit", () => {
    expect(validate("push", "ignored").output).toBe(`sha=${"f".repeat(40)}\n`);
  });

  test("up.yml's check refuses what deploy.yml's refuses", () => {
    const upScript = jobSteps("up.yml", "up")[0].run!;
    for (const [ref, status] of [
      [SHA, 0],
      ["main", 1],
      [`${SHA}\nx`, 1],
    ] as const) {
      const r = spawnSync("bash", ["-e", "-c", upScript], { env: { PATH: process.env.PATH, REF: ref }, encoding: "utf8", timeout: 10_000 });
      expect(r.status).toBe(status);
    }
  });
});
