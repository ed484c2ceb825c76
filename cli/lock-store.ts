import * as fs from "fs";
import * as lockfile from "proper-lockfile";
import { parseLock, serializeLock, ToolchainLock, LockError } from "../components/toolchain/lock";
import { readJsonFile, UsageError, writeFileAtomic } from "./files";

export function readLockFile(file: string): ToolchainLock {
  try {
    return parseLock(readJsonFile(file, "toolchain lock"));
  } catch (err) {
    if (err instanceof LockError) throw new LockError(err.problems.map((p) => `${file}: ${p}`));
    throw err;
  }
}

export function writeLockFile(file: string, lock: ToolchainLock): void {
  // Re-validate what is about to be written: an operation must never produce an invalid lock.
  parseLock(JSON.parse(serializeLock(lock)));
  writeFileAtomic(file, serializeLock(lock));
}

export class LockTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LockTimeoutError";
  }
}

/** How long an edit waits for another one to finish. GOGUARD_LOCK_TIMEOUT_MS overrides (tests). */
export function lockTimeoutMs(): number {
  const v = Number(process.env.GOGUARD_LOCK_TIMEOUT_MS);
  return Number.isInteger(v) && v > 0 ? v : 30000;
}

/**
 * Runs `edit` holding an exclusive file lock on `file` (proper-lockfile: a `<file>.lock` directory,
 * refreshed while held, stale after 10 s if its holder died). The edit re-reads the file under the
 * lock, so two concurrent edits serialise and neither is lost. Gives up after `timeoutMs`, saying so.
 */
export async function withFileLock<T>(file: string, what: string, edit: () => T | Promise<T>, timeoutMs = lockTimeoutMs()): Promise<T> {
  if (!fs.existsSync(file)) throw new UsageError(`${what} ${file} does not exist`);
  const deadline = Date.now() + timeoutMs;
  let release: (() => Promise<void>) | undefined;
  let compromised: Error | undefined;
  for (let attempt = 0; release === undefined; attempt++) {
    try {
      release = await lockfile.lock(file, { stale: 10000, update: 2000, realpath: false, retries: 0, onCompromised: (err) => (compromised = err) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ELOCKED") throw err;
      if (Date.now() >= deadline) {
        throw new LockTimeoutError(`${what} ${file} is being edited by another goguard command (lock ${file}.lock held for over ${timeoutMs} ms); nothing was changed: retry when it finishes, or remove ${file}.lock if no goguard runs`);
      }
      await new Promise((r) => setTimeout(r, Math.min(25 + attempt * 10, 200, Math.max(1, deadline - Date.now()))));
    }
  }
  try {
    const out = await edit();
    if (compromised) throw new LockTimeoutError(`${what} ${file}: the file lock was lost during the edit (${compromised.message}); check the file and retry`);
    return out;
  } finally {
    await release().catch(() => undefined);
  }
}
