import * as fs from "fs";
import { Command } from "commander";
import { Io, CommandFailure } from "../io";
import { DEFAULT_LOCK_PATH, writeFileAtomic } from "../files";
import { readLockFile } from "../lock-store";
import { policyConfigPath, projectName, readStackConfig, stackConfigPath, stackSettingsFrom, STACKS } from "../stack-files";
import { policyConfigFor } from "../../policies/lib/stack-config";

/** The policy config text each stack should have, from the lock and its stack settings. */
export function expectedPolicyConfigs(lockFile = DEFAULT_LOCK_PATH): Record<string, string> {
  const lock = readLockFile(lockFile);
  const project = projectName();
  const out: Record<string, string> = {};
  for (const stack of STACKS) {
    const s = stackSettingsFrom(readStackConfig(stackConfigPath(stack), project).config, project);
    out[stack] = JSON.stringify(policyConfigFor(lock, s.environment, { proxies: [s.proxyUrl], privatePrefixes: s.privatePrefixes }), null, 2) + "\n";
  }
  return out;
}

export function registerPolicyConfig(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command("policy-config")
    .description("Generate policies/config/<stack>.json from the toolchain lock and the stack settings (--check: fail on drift).")
    .option("--check", "exit 1 if a committed file differs from what the lock gives")
    .action((opts: { check?: boolean }) => {
      const expected = expectedPolicyConfigs();
      const drifted = Object.entries(expected).filter(([s, text]) => !fs.existsSync(policyConfigPath(s)) || fs.readFileSync(policyConfigPath(s), "utf8") !== text).map(([s]) => s);
      if (opts.check) {
        if (drifted.length > 0) throw new CommandFailure(`policy config drifted from the lock for ${drifted.join(", ")}; run \`goguard policy-config\``);
        io.out("policy config matches the lock\n");
        return;
      }
      for (const [s, text] of Object.entries(expected)) writeFileAtomic(policyConfigPath(s), text);
      io.out(`wrote ${Object.keys(expected).map((s) => `policies/config/${s}.json`).join(", ")}\n`);
      setCode(0);
    });
}
