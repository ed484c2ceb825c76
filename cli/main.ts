// The goguard command. Exit codes: 0 success, 1 the check or verification failed (or the input was
// refused), 2 usage or setup error.
import { Command, CommanderError } from "commander";
import { Io, processIo, CommandFailure } from "./io";
import { UsageError } from "./files";
import { registerCatalog } from "./commands/catalog";
import { registerLock } from "./commands/lock";
import { registerCheck } from "./commands/check";
import { registerPolicyConfig } from "./commands/policy-config";
import { registerRender } from "./commands/render";
import { registerVuln } from "./commands/vuln";
import { CatalogError } from "../components/toolchain/catalog";
import { LockError } from "../components/toolchain/lock";
import { HarnessError } from "./harness/fork";

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = new Command("goguard")
    .description("Governed Go toolchains for Pulumi: release catalog, toolchain lock, offline policy check.")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError(false);
  const setCode = (c: number): void => {
    code = Math.max(code, c);
  };
  registerCatalog(program, io, setCode);
  registerLock(program, io, setCode);
  registerCheck(program, io, setCode);
  registerPolicyConfig(program, io, setCode);
  registerRender(program, io, setCode);
  registerVuln(program, io, setCode);
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.help" || err.code === "commander.version") return 0;
      return 2;
    }
    if (err instanceof UsageError || err instanceof HarnessError) {
      io.err(`goguard: ${err.message}\n`);
      return 2;
    }
    if (err instanceof CommandFailure || err instanceof LockError || err instanceof CatalogError) {
      io.err(`goguard: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  return code;
}
