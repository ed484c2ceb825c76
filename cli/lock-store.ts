import { parseLock, serializeLock, ToolchainLock, LockError } from "../components/toolchain/lock";
import { readJsonFile, writeFileAtomic } from "./files";

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
