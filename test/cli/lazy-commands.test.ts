// The command's modules load only for the command named (cli/main.ts COMMANDS): a `goguard lock …`
// does not load the policy pack, the harness or the repository scanner. Help, an unknown word and
// no command register every command, so help and suggestions are unchanged.
import { execFileSync } from "child_process";
import * as path from "path";
import { commandsFor, exitCodeFor } from "../../cli/main";
import { LockError } from "../../components/toolchain/lock";
import { CatalogError } from "../../components/toolchain/catalog";
import { RegistryError } from "../../cli/registry";
import { HttpError } from "../../cli/http";
import { LockTimeoutError } from "../../cli/lock-store";
import { StackConfigError } from "../../stacks/config";
import { CommandFailure } from "../../cli/io";

const ROOT = path.join(__dirname, "../..");
const ALL = ["catalog", "lock", "check", "check-repo", "policy-config", "render", "vuln", "export", "drift"];

test.each<[string[], string[]]>([
  [["lock", "allow", "dev", "1.26.7"], ["lock"]],
  [["check", "--stack", "prod"], ["check"]],
  [["check-repo", "."], ["check-repo"]],
  [["--debug", "vuln"], ["vuln"]],
  [["drift", "--help"], ["drift"]],
  [["--help"], ALL],
  [["-h", "lock"], ALL],
  [["help", "lock"], ALL],
  [[], ALL],
  [["chek"], ALL],
  [["--version"], []],
  [["-V"], []],
  [["--nope"], ALL],
])("commandsFor(%j) = %j", (args, want) => expect(commandsFor(args)).toEqual(want));

test("a refusal of any kind exits 1 once its module is loaded; anything else 2", () => {
  const refusals = [new LockError(["x"]), new CatalogError(["x"]), new RegistryError("x"), new HttpError("x"), new LockTimeoutError("x"), new StackConfigError(["x"]), new CommandFailure("x")];
  expect(refusals.map(exitCodeFor)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  expect([new Error("x"), new TypeError("x"), "x", undefined].map(exitCodeFor)).toEqual([2, 2, 2, 2]);
});

test("`goguard vuln --help` in a fresh process loads neither the pack, the harness's program runner, dockerfile-ast nor the scanner", () => {
  const loaded = JSON.parse(
    execFileSync(
      process.execPath,
      [
        "-e",
        `require("./cli/bin/register-ts"); require("./cli/main").main(["vuln", "--help"], { out: () => {}, err: () => {} }).then((code) => process.stdout.write(JSON.stringify({ code, files: Object.keys(require.cache).map((f) => require("path").relative(process.cwd(), f)) })));`,
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
    ),
  ) as { code: number; files: string[] };
  expect(loaded.code).toBe(0);
  expect(loaded.files).toContain("cli/commands/vuln.ts");
  expect(loaded.files.filter((f) => /^policies\/|^cli\/commands\/(check|render|drift|lock)|^cli\/repo\/|node_modules\/dockerfile-ast\/|^cli\/harness\/program/.test(f))).toEqual([]);
});
