// The goguard command. Exit codes: 0 success, 1 the check or verification failed (or the input was
// refused), 2 usage or setup error.
//
// One error boundary: whatever goes wrong ends as `goguard: <problem and fix>` on stderr and an exit
// code; a JavaScript stack trace only with --debug (or GOGUARD_DEBUG=1).
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError } from "commander";
import { Io, processIo, CommandFailure } from "./io";
import { PROJECT_ROOT, UsageError } from "./files";
import { HarnessError } from "./harness/fork";

type Register = (program: Command, io: Io, setCode: (code: number) => void) => void;

/**
 * The commands, in the order help lists them, each loaded only when used: `goguard lock …` loads the
 * lock command's modules, not the policy pack's, the harness's or the repository scanner's (a
 * command's modules cost 25-110 ms of CPU to load; all of them 140 ms, on every start). Help, an
 * unknown word or no command at all registers every one, so help lists them all and a misspelt
 * command still gets its suggestion.
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Register]> = [
  ["catalog", () => (require("./commands/catalog") as typeof import("./commands/catalog")).registerCatalog],
  ["lock", () => (require("./commands/lock") as typeof import("./commands/lock")).registerLock],
  ["check", () => (require("./commands/check") as typeof import("./commands/check")).registerCheck],
  ["check-repo", () => (require("./commands/check-repo") as typeof import("./commands/check-repo")).registerCheckRepo],
  ["policy-config", () => (require("./commands/policy-config") as typeof import("./commands/policy-config")).registerPolicyConfig],
  ["render", () => (require("./commands/render") as typeof import("./commands/render")).registerRender],
  ["vuln", () => (require("./commands/vuln") as typeof import("./commands/vuln")).registerVuln],
  ["export", () => (require("./commands/export") as typeof import("./commands/export")).registerExport],
  ["drift", () => (require("./commands/drift") as typeof import("./commands/drift")).registerDrift],
];

/** The commands to register for these arguments: the one the first word names, or all of them. */
export function commandsFor(args: readonly string[]): string[] {
  // Root options come only before the command (enablePositionalOptions) and none takes a value.
  const at = args.findIndex((a) => !a.startsWith("-"));
  const root = at < 0 ? args : args.slice(0, at);
  const all = COMMANDS.map(([name]) => name);
  if (root.some((a) => a === "-h" || a === "--help")) return all;
  if (at < 0) return root.some((a) => a === "-V" || a === "--version") ? [] : all;
  const named = COMMANDS.find(([name]) => name === args[at]);
  return named ? [named[0]] : all;
}

/**
 * Whether `err` is an instance of the class `name` exported by the module `id`. Asked only when that
 * module has been loaded: an error cannot be an instance of a class that was never defined, and
 * loading a module to ask would undo the lazy loading above.
 */
function isInstance(err: unknown, id: string, name: string): boolean {
  if (!(err instanceof Error)) return false;
  const loaded = require.cache[require.resolve(id)];
  const cls = (loaded?.exports as Record<string, unknown> | undefined)?.[name];
  return typeof cls === "function" && err instanceof (cls as new (...args: never[]) => unknown);
}

/** The errors that mean "the input was refused or the work failed" (exit 1), by module and class. */
const REFUSALS: ReadonlyArray<readonly [string, string]> = [
  ["../components/toolchain/lock", "LockError"],
  ["../components/toolchain/catalog", "CatalogError"],
  ["./registry", "RegistryError"],
  ["./http", "HttpError"],
  ["./lock-store", "LockTimeoutError"],
  ["../stacks/config", "StackConfigError"],
];

export function packageVersion(): string {
  return String(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version);
}

/** Exit code for an error: 1 when the input was refused or the work failed, 2 for usage and setup. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommandFailure || REFUSALS.some(([id, name]) => isInstance(err, id, name))) return 1;
  return 2;
}

/** The one line (or, for lists, the summary and its items) an error prints. */
export function errorMessage(err: unknown): string {
  if (err instanceof UsageError || err instanceof HarnessError || exitCodeFor(err) === 1) return (err as Error).message;
  const e = err as NodeJS.ErrnoException;
  // File-system errors the commands did not anticipate still name the file and what to do.
  if (e && typeof e.code === "string" && typeof e.path === "string") {
    const what: Record<string, string> = { ENOENT: "does not exist", EACCES: "is not accessible (permission denied)", EPERM: "is not accessible (operation not permitted)", EISDIR: "is a directory", ENOTDIR: "is not a directory (a parent is a file)", EROFS: "is on a read-only file system", ENOSPC: "cannot be written: no space left on the device" };
    return `${e.path} ${what[e.code] ?? `failed (${e.code})`}; check the path and its permissions`;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return `internal error: ${msg.split("\n")[0]} (this is a bug in goguard; rerun with --debug for the stack trace and report it)`;
}

/** `goguard check-repo --help`, `goguard lock allow --help`: the deepest command the leading words of `args` name. */
export function helpCommandFor(program: Command, args: readonly string[]): string {
  const names = ["goguard"];
  let cmd = program;
  for (const word of args) {
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    names.push(sub.name());
    cmd = sub;
  }
  return `${names.join(" ")} --help`;
}

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const debug = argv.includes("--debug") || process.env.GOGUARD_DEBUG === "1";
  const args = argv.filter((a) => a !== "--debug");
  let code = 0;
  const program = new Command("goguard")
    .description("Governed Go toolchains for Pulumi: release catalog, toolchain lock, offline policy check.")
    .version(packageVersion(), "-V, --version", "print the goguard version")
    .exitOverride()
    // Root options only before the command: `lock promote --version 1.27.0` is promote's option.
    .enablePositionalOptions()
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      // Commander's own errors (unknown option, missing argument, extra argument) in the same one-line shape.
      // The pointer goes to the help of the (sub)command the words name, where the missing option is described.
      outputError: (text, write) => write(`goguard: ${text.trim().replace(/^error: /, "").replace(/\.$/, "")}; see ${helpCommandFor(program, args)}\n`),
    })
    .showHelpAfterError(false);
  const setCode = (c: number): void => {
    code = Math.max(code, c);
  };
  const wanted = new Set(commandsFor(args));
  for (const [name, load] of COMMANDS) if (wanted.has(name)) load()(program, io, setCode);
  // Every command refuses arguments it does not take (`lock allow dev 1.26.6 1.26.5` would otherwise
  // add one version and drop the other without a word).
  const strict = (cmd: Command): void => {
    cmd.allowExcessArguments(false);
    cmd.exitOverride();
    for (const sub of cmd.commands) strict(sub);
  };
  strict(program);
  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // A command group without a subcommand prints its help with exitCode 1: a usage error here.
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || (err.code === "commander.help" && err.exitCode === 0)) return 0;
      return 2;
    }
    io.err(`goguard: ${errorMessage(err)}\n`);
    if (debug && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
    return exitCodeFor(err);
  }
  return code;
}
