// The reusable action (action.yml): its inputs, SHA pins shared with the workflows, no input ever
// interpolated into a script, and its scripts run for real (validation against hostile values, the
// check step against a corpus repository, the gate).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { tempDir } from "./helpers/catalog-fixtures";
import { runCli } from "./helpers/cli";

const ROOT = path.join(__dirname, "..");
const action = parse(fs.readFileSync(path.join(ROOT, "action.yml"), "utf8"));

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  "continue-on-error"?: boolean;
}
const steps: Step[] = action.runs.steps;
const step = (name: string): Step => {
  const s = steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step named ${name}`);
  return s;
};

/** Every `uses:` of the repository's own workflows, as written (action@sha). */
function workflowPins(): Set<string> {
  const dir = path.join(ROOT, ".github", "workflows");
  const out = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
    for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)\s*#/gm)) out.add(m[1]);
  }
  return out;
}

function runScript(script: string, env: Record<string, string>, cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  // As the runner runs `shell: bash` (bash --noprofile --norc -eo pipefail {0}), with nothing on stdin.
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8", timeout: 60000, stdio: ["ignore", "pipe", "pipe"] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("action.yml", () => {
  test("a composite action with the documented inputs; env and lock-ref are required", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs)).toEqual(["env", "path", "lock-ref", "sarif", "platform-repository", "token"]);
    expect([action.inputs.env.required, action.inputs["lock-ref"].required, action.inputs.path.default, action.inputs.sarif.default]).toEqual([true, true, ".", "true"]);
    expect(Object.keys(action.outputs)).toEqual(["exit-code", "sarif-file"]);
  });

  test("every uses: is pinned by a full commit SHA, the same pin as in .github/workflows", () => {
    const pins = workflowPins();
    const used = steps.filter((s) => s.uses !== undefined).map((s) => s.uses!);
    expect(used).toEqual(["actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", "actions/setup-node@820762786026740c76f36085b0efc47a31fe5020", "github/codeql-action/upload-sarif@8aad20d150bbac5944a9f9d289da16a4b0d87c1e"]);
    for (const u of used) {
      expect(u).toMatch(/^[^@\s]+@[0-9a-f]{40}$/);
      expect(pins.has(u)).toBe(true);
    }
  });

  test("no run: script holds an expression; every run: step names its shell", () => {
    const runs = steps.filter((s) => s.run !== undefined);
    expect(runs.length).toBe(4);
    for (const s of runs) {
      expect(s.run).not.toContain("${{");
      expect(s.shell).toBe("bash");
    }
    // Inputs reach the shell only through env.
    const envValues = runs.flatMap((s) => Object.values(s.env ?? {}));
    expect(envValues).toEqual(expect.arrayContaining(["${{ inputs.env }}", "${{ inputs.lock-ref }}", "${{ inputs.path }}", "${{ inputs.sarif }}"]));
  });

  test("the platform repository is checked out at lock-ref without persisted credentials, and the upload cannot fail the job", () => {
    expect(step("Check out the platform repository at the pinned lock ref").with).toEqual({
      repository: "${{ inputs.platform-repository }}",
      ref: "${{ inputs.lock-ref }}",
      token: "${{ inputs.token }}",
      path: ".goguard-platform",
      "persist-credentials": false,
    });
    const upload = step("Upload SARIF to code scanning");
    expect([upload["continue-on-error"], upload.if]).toEqual([true, "${{ always() && inputs.sarif == 'true' && steps.check.outputs.sarif-file != '' }}"]);
  });
});

describe("the action's scripts, run", () => {
  const validate = step("Validate inputs").run!;
  const good = { GOGUARD_ENV: "prod", GOGUARD_LOCK_REF: "0123456789abcdef0123456789abcdef01234567", GOGUARD_SARIF: "true", GOGUARD_PLATFORM_REPOSITORY: "acme/platform", GOGUARD_PATH: "services/api" };

  test("valid inputs pass", () => {
    expect(runScript(validate, good)).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  test.each<[string, string, string]>([
    ["GOGUARD_ENV", "prod; touch pwned", "::error title=goguard::input env must be dev, staging or prod; got 'prod; touch pwned'\n"],
    ["GOGUARD_ENV", "$(touch pwned)", "::error title=goguard::input env must be dev, staging or prod; got '$(touch pwned)'\n"],
    ["GOGUARD_LOCK_REF", "main", "::error title=goguard::input lock-ref must be a full 40-hex commit SHA of the platform repository (a branch or tag can move); got 'main'\n"],
    ["GOGUARD_SARIF", "yes", "::error title=goguard::input sarif must be true or false; got 'yes'\n"],
    ["GOGUARD_PLATFORM_REPOSITORY", "", "::error title=goguard::input platform-repository must be owner/name; got '' (set it explicitly)\n"],
    ["GOGUARD_PATH", "/etc", "::error title=goguard::input path must be a directory inside the workspace, relative to it; got '/etc'\n"],
    ["GOGUARD_PATH", "svc/../../x", "::error title=goguard::input path must be a directory inside the workspace, relative to it; got 'svc/../../x'\n"],
    ["GOGUARD_PATH", "..", "::error title=goguard::input path must be a directory inside the workspace, relative to it; got '..'\n"],
  ])("%s=%j is refused with exit 2, and never executed", (name, value, stdout) => {
    const dir = tempDir("action");
    try {
      expect(runScript(validate, { ...good, [name]: value }, dir)).toEqual({ status: 2, stdout, stderr: "" });
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the check step runs check-repo on the service directory, writes SARIF with paths under it, and outputs the exit code", () => {
    const tmp = tempDir("action-run");
    try {
      const output = path.join(tmp, "github-output");
      fs.writeFileSync(output, "");
      const r = runScript(step("goguard check-repo").run!, {
        GOGUARD_HOME: ROOT,
        GOGUARD_ENV: "prod",
        GOGUARD_PATH: "repo",
        GITHUB_WORKSPACE: path.join(ROOT, "test", "repos", "go-version-minor"),
        GITHUB_OUTPUT: output,
        RUNNER_TEMP: tmp,
      });
      expect(r.status).toBe(0);
      expect(r.stdout.split("\n")[0]).toBe("✗ prod: 1 file judged, 1 mandatory, 0 advisory");
      const sarifFile = path.join(tmp, "goguard-check-repo.sarif");
      expect(fs.readFileSync(output, "utf8")).toBe(`exit-code=1\nsarif-file=${sarifFile}\n`);
      const sarif = JSON.parse(fs.readFileSync(sarifFile, "utf8"));
      expect(sarif.runs[0].results.map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0].physicalLocation.artifactLocation.uri)).toEqual(["repo/.go-version"]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test.each([
    ["0", 0, ""],
    ["1", 1, "::error title=goguard::mandatory findings (exit 1); see the check-repo step's log or code scanning\n"],
  ])("the gate with exit-code %s exits %d", (code, status, stdout) => {
    expect(runScript(step("Gate on mandatory findings").run!, { GOGUARD_EXIT: code })).toEqual({ status, stdout, stderr: "" });
  });
});

describe("the README's service workflow", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("**The action.**"));
  const m = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error("README: no yaml block after **The action.**");
  const workflowText = m[1];
  const workflow = parse(workflowText);

  test("calls the action with inputs it declares, and feeds the test matrix from the github-matrix export", () => {
    const goguard = workflow.jobs.goguard.steps.find((s: Step) => s.uses !== undefined && s.uses.startsWith("acme/goguard@"));
    for (const k of Object.keys(goguard.with)) expect(Object.keys(action.inputs)).toContain(k);
    expect(workflow.jobs.goguard.permissions).toEqual({ contents: "read", "security-events": "write", actions: "read" });
    expect(workflow.jobs.test.strategy.matrix).toBe("${{ fromJSON(needs.matrix.outputs.go) }}");
    for (const job of Object.values<{ steps: Step[] }>(workflow.jobs)) for (const s of job.steps) if (s.run !== undefined) expect(s.run).not.toContain("${{");
  });

  test("passes check-repo itself in a repository beside a go.mod and the exported matrix", async () => {
    const dir = tempDir("readme-workflow");
    try {
      fs.mkdirSync(path.join(dir, ".github", "workflows"), { recursive: true });
      fs.writeFileSync(path.join(dir, ".github", "workflows", "go.yml"), workflowText);
      fs.writeFileSync(path.join(dir, "go.mod"), "module example.com/svc\n\ngo 1.26\n");
      const r = await runCli("check-repo", dir, "--env", "prod");
      expect(r).toEqual({ code: 0, stdout: "✓ prod: 2 files judged, 0 mandatory, 0 advisory\nno mandatory findings\n", stderr: "" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
