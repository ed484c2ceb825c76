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
import { registerCatalog } from "./commands/catalog";
import { registerLock } from "./commands/lock";
import { registerCheck } from "./commands/check";
import { registerCheckRepo } from "./commands/check-repo";
import { registerPolicyConfig } from "./commands/policy-config";
import { registerRender } from "./commands/render";
import { registerVuln } from "./commands/vuln";
import { registerExport } from "./commands/export";
import { registerDrift } from "./commands/drift";
import { CatalogError } from "../components/toolchain/catalog";
import { LockError } from "../components/toolchain/lock";
import { HarnessError } from "./harness/fork";
import { RegistryError } from "./registry";
import { HttpError } from "./http";
import { LockTimeoutError } from "./lock-store";
import { StackConfigError } from "../stacks/config";

export function packageVersion(): string {
  return String(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version);
}

/** Exit code for an error: 1 when the input was refused or the work failed, 2 for usage and setup. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof CommandFailure || err instanceof LockError || err instanceof CatalogError || err instanceof RegistryError || err instanceof HttpError || err instanceof LockTimeoutError || err instanceof StackConfigError) return 1;
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
  registerCatalog(program, io, setCode);
  registerLock(program, io, setCode);
  registerCheck(program, io, setCode);
  registerCheckRepo(program, io, setCode);
  registerPolicyConfig(program, io, setCode);
  registerRender(program, io, setCode);
  registerVuln(program, io, setCode);
  registerExport(program, io, setCode);
  registerDrift(program, io, setCode);
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
