// `goguard drift --stack E --outputs FILE`: a deployed stack's outputs (`pulumi stack output --json
// --show-secrets=false`) against what the lock and the stack's settings resolve to now. "Now" is the
// stack program itself, run offline under mocks as `goguard check` runs it, so drift uses the
// program's own resolution (parseStackConfig, resolveToolchain, resolveGoEnvBaseline, the proxy's
// Service URL), not a second implementation of it. Exit 0 no drift, 1 drift, 2 a malformed file or
// a program that refuses its input.
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { Io } from "../io";
import { DEFAULT_LOCK_PATH, oneLine, UsageError, unknownValue } from "../files";
import { readLockFile } from "../lock-store";
import { STACKS } from "../stack-files";
import { EnvironmentName } from "../../components/toolchain/lock";
import { toDisplay } from "../harness/wire";
import { compareOutputs, DriftInputError, parseDeployedOutputs, renderDrift } from "../drift";
import { jobFor, runStacks } from "./check";

interface DriftOptions {
  stack: string;
  outputs: string;
  program?: string;
  config?: string;
  lock: string;
}

function readOutputsFile(file: string, stack: string): unknown {
  const howTo = (target: string) => `write it with \`pulumi stack output --json --show-secrets=false --stack ${stack} > ${target}\``;
  const how = howTo(file);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A shell cannot redirect into a directory: the fix names a file inside it.
    if (code === "EISDIR") {
      const target = path.join(file, `${stack}-outputs.json`);
      throw new UsageError(`--outputs ${file} is a directory; give the outputs file: ${howTo(target)} and pass --outputs ${target}`);
    }
    throw new UsageError(`--outputs ${file} ${code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (err as Error).message})`}; ${how}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--outputs ${file} is not JSON (${oneLine((err as Error).message)}); ${how}`);
  }
}

export function registerDrift(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command("drift")
    .description("Compare a deployed stack's outputs (pulumi stack output --json) with what the lock and the stack's settings resolve to now; exit 1 on any difference.")
    .requiredOption("--stack <name>", STACKS.join(", "))
    .requiredOption("--outputs <file>", "the output of `pulumi stack output --json --show-secrets=false`")
    .option("--program <file>", "another program file (.ts or .js) inside the project")
    .option("--config <file>", "another stack config file (Pulumi.<stack>.yaml shape)")
    .option("--lock <file>", "the toolchain lock the program reads (its image digests judge the builder images)", DEFAULT_LOCK_PATH)
    .action(async (opts: DriftOptions) => {
      if (!(STACKS as readonly string[]).includes(opts.stack)) throw unknownValue("--stack", "stack", opts.stack, STACKS);
      const env = opts.stack as EnvironmentName;
      let deployed;
      try {
        deployed = parseDeployedOutputs(readOutputsFile(opts.outputs, opts.stack));
      } catch (err) {
        if (err instanceof DriftInputError) throw new UsageError(`--outputs ${opts.outputs} is not what \`pulumi stack output --json\` prints: ${err.message}`);
        throw err;
      }
      const lock = readLockFile(opts.lock);
      const [result] = await runStacks([jobFor(opts.stack, opts, true)]);
      if (result.error !== null) {
        throw new UsageError(`stack ${opts.stack}: the program refused its input, so there is nothing to compare with: ${result.error}`);
      }
      const planned = toDisplay(result.stackOutputs ?? {}) as Record<string, unknown>;
      const differences = compareOutputs(deployed, planned, lock, env);
      const rel = path.relative(process.cwd(), path.resolve(opts.outputs));
      io.out(renderDrift(opts.stack, rel !== "" && !rel.startsWith("..") ? rel : opts.outputs, differences, planned));
      setCode(differences.length > 0 ? 1 : 0);
    });
}
