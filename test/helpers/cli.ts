import { main } from "../../cli/main";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the goguard command in-process with captured output. `check` runs its stacks in the
 * harness's worker, shared by every check of this jest process (the SDK, the providers and the pack
 * load once; each program still runs with state of its own), so a rule test costs one program run,
 * not a process start. Tests of the real bin (exit status, signals, stderr of the process) spawn
 * cli/bin/goguard.js themselves.
 */
export async function runCli(...argv: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
