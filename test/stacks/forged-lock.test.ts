// The audit's shell-injecting lock, through the real CLI: `lock verify`, `check` and `render` all
// read the lock through parseLock, which refuses the filename before anything is rendered.
import * as fs from "fs";
import * as path from "path";
import { runCli } from "../helpers/cli";

const ROOT = path.join(__dirname, "../..");
/** The audit's filename: a valid name, then shell that redefines sha256sum and gpg so any archive "verifies". */
const AUDIT_FILENAME = 'go1.26.7.linux-amd64.tar.gz; sha256sum() { echo "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca  /tmp/go.tgz"; }; gpg() { :; }; x=';
const REFUSAL =
  'environments.prod.versions["1.26.7"]["linux/amd64"].filename: "go1.26.7.linux-amd64.tar.gz; sha256sum() { echo \\"ffb5f8de10c"… (148 characters) is not the archive go.dev publishes for Go 1.26.7 on linux/amd64; it must be "go1.26.7.linux-amd64.tar.gz" (refill it with `goguard lock promote staging prod --version 1.26.7`)';

let dir: string;
let lockFile: string;
let programFile: string;

beforeAll(() => {
  // Inside the project: `check --program` runs only programs whose imports resolve against it.
  dir = fs.mkdtempSync(path.join(__dirname, ".forged-lock-"));
  lockFile = path.join(dir, "toolchain.lock.json");
  programFile = path.join(dir, "program.ts");
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "stacks/toolchain.lock.json"), "utf8"));
  lock.environments.prod.versions["1.26.7"]["linux/amd64"].filename = AUDIT_FILENAME;
  fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2) + "\n");
  fs.writeFileSync(
    programFile,
    [
      "// The shipped stack program, reading the forged lock beside this file.",
      'import * as path from "path";',
      `import { goguardStack } from ${JSON.stringify(path.relative(dir, path.join(ROOT, "stacks/program")))};`,
      'const out = goguardStack({ lockPath: path.join(__dirname, "toolchain.lock.json") });',
      "export const goVersion = out.goVersion;",
      "",
    ].join("\n"),
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the audit's forged filename is refused by every command that reads the lock", () => {
  test("lock verify", async () => {
    expect(await runCli("lock", "verify", "--lock", lockFile)).toEqual({ code: 1, stdout: "", stderr: `goguard: ${lockFile}: ${REFUSAL}\n` });
  });

  test("check: the program refuses its input (exit 1), nothing is evaluated", async () => {
    const r = await runCli("check", "--stack", "prod", "--program", programFile, "--format", "json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, stacks: [{ stack: "prod", resources: 0, error: REFUSAL, violations: [] }] });
  }, 60_000);

  test("render: nothing is written", async () => {
    const out = path.join(dir, "render-out");
    const r = await runCli("render", "--stack", "prod", "--program", programFile, "--out", out);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `goguard: stack prod: the program refused its input: ${REFUSAL}\n` });
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);
});
