// Lock history and rollback through goguard: every change appends an entry (who, when, command,
// before → after, catalog, why) under the lock's file lock; --reason is required for staging and
// prod; a broken history line stops every change; rollback restores an earlier state after checking
// it against the catalog, the vulnerability data and the promotion rule, and records itself.
import * as fs from "fs";
import * as path from "path";
import { BUNDLED_CATALOG_PATH } from "../../components/toolchain/bundled";
import { bundledVulns } from "../../components/toolchain/vulndb";
import { findingsFor } from "../../components/toolchain/vulns";
import { historyLine } from "../../cli/commands/lock";
import { tempDir } from "../helpers/catalog-fixtures";
import { runCli } from "../helpers/cli";
import { createHash } from "crypto";

const ROOT = path.join(__dirname, "../..");
const SHIPPED_LOCK = path.join(ROOT, "stacks/toolchain.lock.json");
const CATALOG_SHA = createHash("sha256").update(fs.readFileSync(BUNDLED_CATALOG_PATH)).digest("hex");

let dir: string;
let lockFile: string;
let historyFile: string;
let stacksDir: string;
let savedActor: string | undefined;

beforeEach(() => {
  dir = tempDir("lockhist");
  lockFile = path.join(dir, "toolchain.lock.json");
  historyFile = path.join(dir, "toolchain.history.jsonl");
  stacksDir = path.join(dir, "stacks");
  fs.mkdirSync(stacksDir);
  for (const s of ["dev", "staging", "prod"]) fs.copyFileSync(path.join(ROOT, "stacks", `Pulumi.${s}.yaml`), path.join(stacksDir, `Pulumi.${s}.yaml`));
  fs.copyFileSync(SHIPPED_LOCK, lockFile);
  savedActor = process.env.GITHUB_ACTOR;
  process.env.GITHUB_ACTOR = "release-bot";
});
afterEach(() => {
  if (savedActor === undefined) delete process.env.GITHUB_ACTOR;
  else process.env.GITHUB_ACTOR = savedActor;
  fs.rmSync(dir, { recursive: true, force: true });
});

const lock = (...args: string[]) => runCli("lock", ...args, "--lock", lockFile);
const history = (): any[] => (fs.existsSync(historyFile) ? fs.readFileSync(historyFile, "utf8").trim().split("\n").map((l) => JSON.parse(l)) : []);
const prodDefault = (): string => JSON.parse(fs.readFileSync(lockFile, "utf8")).environments.prod.default;

/** staging and prod moved to 1.27.0, with reasons: the usual bump. */
async function bumpTo127(): Promise<void> {
  expect((await lock("promote", "dev", "staging", "--version", "1.27.0", "--reason", "candidate 1.27.0")).code).toBe(0);
  expect((await lock("promote", "staging", "prod", "--reason", "release 1.27.0 (CHG-1234)")).code).toBe(0);
}

describe("every change is recorded", () => {
  test("the entry holds UTC time, actor and its source, command, environment, before and after, catalog and reason", async () => {
    const t0 = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    await bumpTo127();
    const t1 = new Date(Date.now() + 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const shipped = JSON.parse(fs.readFileSync(SHIPPED_LOCK, "utf8"));
    const after = JSON.parse(fs.readFileSync(lockFile, "utf8"));
    const [staging, prod] = history();
    for (const e of [staging, prod]) expect(e.time >= t0 && e.time <= t1).toBe(true);
    expect(prod).toEqual({
      v: 1,
      time: prod.time,
      actor: "release-bot",
      actorSource: "GITHUB_ACTOR",
      command: "lock promote staging prod --version 1.27.0",
      catalog: { file: "components/toolchain/data/go-releases.json", sha256: CATALOG_SHA },
      reason: "release 1.27.0 (CHG-1234)",
      kind: "environment",
      environment: "prod",
      before: shipped.environments.prod,
      after: after.environments.prod,
    });
    expect([staging.environment, staging.command, staging.before.default, staging.after.default]).toEqual(["staging", "lock promote dev staging --version 1.27.0", "1.26.7", "1.27.0"]);
  });

  test.each([
    [["promote", "dev", "staging", "--version", "1.27.0"], "lock promote changes staging"],
    [["allow", "staging", "1.27.0"], "lock allow changes staging"],
    [["disallow", "dev", "1.27.0", "--reason", "ok"], null],
    [["platforms", "staging", "linux/amd64"], "lock platforms changes staging"],
  ])("%j without a usable --reason is refused before anything is written", async (args, what) => {
    const before = fs.readFileSync(lockFile);
    const r = await lock(...(args as string[]));
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: what ? `goguard: ${what}: give the reason with --reason "<why>" (recorded in the lock history with your name and the time)\n` : 'goguard: --reason "ok" is too short to tell a reader why; say what the change is for (at least 5 characters)\n',
    });
    expect(fs.readFileSync(lockFile).equals(before)).toBe(true);
    expect(fs.existsSync(historyFile)).toBe(false);
  });

  test("dev needs no reason; its entry records null", async () => {
    expect((await lock("disallow", "dev", "1.27.0")).code).toBe(0);
    expect(history().map((e) => [e.environment, e.command, e.reason])).toEqual([["dev", "lock disallow dev 1.27.0", null]]);
  });

  test("a history line that does not parse stops the change, naming the file and the line", async () => {
    await bumpTo127();
    fs.appendFileSync(historyFile, '{"v":1,"time":"yesterday"\n');
    const before = fs.readFileSync(lockFile);
    const r = await lock("disallow", "dev", "1.27.0");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^goguard: ${historyFile.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:3: not a JSON object \\(.+\\): .+; the history is append-only: restore the file from version control \\(git checkout -- .+\\); nothing was changed\\n$`));
    expect(fs.readFileSync(lockFile).equals(before)).toBe(true);
    expect((await lock("history")).stderr).toMatch(/:3: not a JSON object/);
  });
});

describe("goguard lock history", () => {
  test("text: one entry per change with who and why; --env filters; --json is the entries", async () => {
    await bumpTo127();
    const entries = history();
    expect((await lock("history")).stdout).toBe(entries.map(historyLine).join(""));
    expect(historyLine(entries[1])).toBe(
      `${entries[1].time}  prod     1.26.7 (allows 1.26.7; linux/amd64, linux/arm64) → 1.27.0 (allows 1.27.0; linux/amd64, linux/arm64)\n    by release-bot (GITHUB_ACTOR): goguard lock promote staging prod --version 1.27.0\n    reason: release 1.27.0 (CHG-1234)\n`,
    );
    expect((await lock("history", "--env", "staging")).stdout).toBe(historyLine(entries[0]));
    expect(JSON.parse((await lock("history", "--env", "prod", "--json")).stdout)).toEqual([entries[1]]);
  });

  test.each<[string[], string]>([
    [["history", "--env", "qa"], 'goguard: --env: unknown environment "qa"; use one of dev, staging, prod\n'],
    [["promote", "qa", "prod"], 'goguard: from: unknown environment "qa"; use one of dev, staging, prod\n'],
    [["rollback", "qa"], 'goguard: environment: unknown environment "qa"; use one of dev, staging, prod\n'],
  ])("lock %j names the option or argument of the unknown environment", async (args, stderr) => {
    expect(await lock(...args)).toEqual({ code: 2, stdout: "", stderr });
  });

  test("no history yet says so", async () => {
    expect(await lock("history", "--env", "prod")).toEqual({ code: 0, stdout: `no history for prod in ${historyFile} (it starts with the first goguard lock change)\n`, stderr: "" });
  });
});

describe("goguard lock rollback", () => {
  test("prod returns to its previous version in one command; the entry shows who and why; rolling back again returns", async () => {
    await bumpTo127();
    expect(prodDefault()).toBe("1.27.0");
    const r = await lock("rollback", "prod", "--reason", "1.27.0 breaks the TLS handshake of svc-a (INC-77)", "--stacks-dir", stacksDir);
    expect(r).toEqual({ code: 0, stdout: "prod rolled back to 1.26.7 (allows 1.26.7; linux/amd64, linux/arm64) (history line 2)\n", stderr: "" });
    expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).environments.prod).toEqual(JSON.parse(fs.readFileSync(SHIPPED_LOCK, "utf8")).environments.prod);
    const last = history().at(-1);
    expect([last.environment, last.command, last.actor, last.reason, last.before.default, last.after.default]).toEqual(["prod", "lock rollback prod", "release-bot", "1.27.0 breaks the TLS handshake of svc-a (INC-77)", "1.27.0", "1.26.7"]);
    expect((await lock("verify")).code).toBe(0);
    // The next rollback undoes the rollback: the state before the newest change.
    expect((await lock("rollback", "prod", "--reason", "fixed upstream in svc-a", "--stacks-dir", stacksDir)).stdout).toBe("prod rolled back to 1.27.0 (allows 1.27.0; linux/amd64, linux/arm64) (history line 3)\n");
  });

  test("--to names a recorded version; an unrecorded one is refused naming those recorded", async () => {
    await bumpTo127();
    // staging cannot drop the version prod runs: prod goes back first.
    expect((await lock("rollback", "staging", "--to", "1.26.7", "--reason", "back to the known-good release", "--stacks-dir", stacksDir)).stderr).toBe(
      'goguard: environments.prod.versions["1.27.0"]: a version enters prod only if staging runs it; staging has 1.26.7\n',
    );
    expect((await lock("rollback", "prod", "--to", "1.26.7", "--reason", "back to the known-good release", "--stacks-dir", stacksDir)).stdout).toBe("prod rolled back to 1.26.7 (allows 1.26.7; linux/amd64, linux/arm64) (history line 2)\n");
    expect((await lock("rollback", "staging", "--to", "1.26.7", "--reason", "back to the known-good release", "--stacks-dir", stacksDir)).stdout).toBe("staging rolled back to 1.26.7 (allows 1.26.7; linux/amd64, linux/arm64) (history line 1)\n");
    expect(await lock("rollback", "prod", "--to", "1.25.14", "--reason", "back to the known-good release", "--stacks-dir", stacksDir)).toEqual({
      code: 1,
      stdout: "",
      stderr: 'goguard: prod never ran "1.25.14" in the recorded history; it ran 1.26.7, 1.27.0\n',
    });
  });

  test("prod cannot return to a version staging no longer allows; the message says how", async () => {
    await bumpTo127();
    expect((await lock("rollback", "staging", "--to", "1.27.0", "--reason", "staging keeps only 1.27.0 now", "--stacks-dir", stacksDir)).code).toBe(0);
    expect((await lock("disallow", "staging", "1.26.7", "--reason", "staging keeps only 1.27.0 now")).code).toBe(0);
    const before = fs.readFileSync(lockFile);
    const r = await lock("rollback", "prod", "--reason", "1.27.0 breaks svc-a", "--stacks-dir", stacksDir);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "goguard: 2 problems in the toolchain lock:\n" +
        "  - environments.prod.versions[\"1.26.7\"]: a version enters prod only if staging runs it; staging has 1.27.0\n" +
        "  - prod returns only to a version staging still allows; allow it in staging first (`goguard lock rollback staging --to 1.26.7` or `goguard lock allow staging 1.26.7`)\n",
    });
    expect(fs.readFileSync(lockFile).equals(before)).toBe(true);
  });

  test("without history, or without a reason for prod, nothing happens", async () => {
    expect(await lock("rollback", "prod", "--reason", "1.27.0 breaks svc-a", "--stacks-dir", stacksDir)).toEqual({
      code: 1,
      stdout: "",
      stderr: "goguard: the lock history has no entry for prod: nothing to roll back to (the history starts with the first goguard lock change after it was introduced)\n",
    });
    await bumpTo127();
    expect((await lock("rollback", "prod", "--stacks-dir", stacksDir)).stderr).toBe('goguard: lock rollback changes prod: give the reason with --reason "<why>" (recorded in the lock history with your name and the time)\n');
    expect(prodDefault()).toBe("1.27.0");
  });

  test("a recorded state whose checksum the catalog does not have is refused (history is no more trusted than the lock)", async () => {
    await bumpTo127();
    const lines = fs.readFileSync(historyFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const real = lines[1].before.versions["1.26.7"]["linux/amd64"].sha256;
    const forged = (real[0] === "0" ? "1" : "0") + real.slice(1);
    lines[1].before.versions["1.26.7"]["linux/amd64"].sha256 = forged;
    fs.writeFileSync(historyFile, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    expect(await lock("rollback", "prod", "--reason", "1.27.0 breaks svc-a", "--stacks-dir", stacksDir)).toEqual({
      code: 1,
      stdout: "",
      stderr: `goguard: refusing to restore prod to 1.26.7 (allows 1.26.7; linux/amd64, linux/arm64) (history line 2): it disagrees with the catalog:\n  prod 1.26.7 linux/amd64: go1.26.7.linux-amd64.tar.gz: locked sha256 ${forged} differs from the catalog's ${real}\n`,
    });
  });

  test("a state affected by fixable vulnerabilities is refused for prod unless the stack config excepts them, as promote is", async () => {
    const ids = findingsFor(bundledVulns(), "1.26.5", ["linux"]).filter((f) => f.fixedBy !== undefined).map((f) => f.id);
    expect(ids.length).toBeGreaterThan(0);
    const prodYaml = path.join(stacksDir, "Pulumi.prod.yaml");
    const original = fs.readFileSync(prodYaml, "utf8");
    fs.appendFileSync(prodYaml, `  goguard:vulnExceptions:\n${ids.map((id) => `    - id: ${id}\n      reason: reviewed, not reachable from our services\n      expires: "2999-12-31"\n`).join("")}`);
    expect((await lock("allow", "staging", "1.26.5", "--default", "--reason", "pin 1.26.5 for a regression test")).code).toBe(0);
    expect((await lock("promote", "staging", "prod", "--reason", "1.26.5 with recorded exceptions", "--stacks-dir", stacksDir)).code).toBe(0);
    expect((await lock("promote", "staging", "prod", "--version", "1.26.5", "--reason", "again", "--stacks-dir", stacksDir)).code).toBe(0);
    expect((await lock("allow", "staging", "1.26.7", "--default", "--reason", "back to 1.26.7")).code).toBe(0);
    expect((await lock("promote", "staging", "prod", "--reason", "1.26.7 is clean", "--stacks-dir", stacksDir)).code).toBe(0);
    fs.writeFileSync(prodYaml, original);
    const r = await lock("rollback", "prod", "--reason", "1.26.7 breaks svc-a", "--stacks-dir", stacksDir);
    expect(r.code).toBe(1);
    // The warning names every report first; the refusal follows on its own goguard: line.
    expect(r.stderr.startsWith("warning: Go 1.26.5 is affected by 10 known vulnerabilities with a fix")).toBe(true);
    expect(r.stderr.split("\n").find((l) => l.startsWith("goguard:"))).toBe(`goguard: refusing Go 1.26.5 for prod: ${ids.length} known vulnerabilit${ids.length === 1 ? "y" : "ies"} with a fix and no exception in ${prodYaml}:`);
    expect(prodDefault()).toBe("1.26.7");
  });
});
