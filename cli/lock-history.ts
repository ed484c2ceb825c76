// The lock history file beside the lock (stacks/toolchain.lock.json → stacks/toolchain.history.jsonl):
// read strictly (a bad line is an error naming it), appended one line per change with fsync, only
// ever under the lock file's own file lock (lock-store.ts), so an entry and its change go together.
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { HistoryEntry, parseHistory, resolveActor, serializeEntry, CatalogSource } from "../components/toolchain/history";
import { PROJECT_ROOT } from "./files";

/** `…/toolchain.lock.json` → `…/toolchain.history.jsonl`; any other name gets `.history.jsonl` appended. */
export function historyPathFor(lockFile: string): string {
  const base = path.basename(lockFile);
  const stem = base.endsWith(".lock.json") ? base.slice(0, -".lock.json".length) : base;
  return path.join(path.dirname(lockFile), `${stem}.history.jsonl`);
}

/** Every entry of the history (none when the file does not exist yet). */
export function readHistoryFile(file: string): HistoryEntry[] {
  if (!fs.existsSync(file)) return [];
  return parseHistory(fs.readFileSync(file, "utf8"), label(file));
}

/** Appends one entry and flushes it to disk before the lock itself is rewritten. */
export function appendHistory(file: string, entry: HistoryEntry): void {
  const fd = fs.openSync(file, "a");
  try {
    fs.writeSync(fd, serializeEntry(entry));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function label(file: string): string {
  const rel = path.relative(PROJECT_ROOT, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
}

/** git's user.name seen from the lock's directory (undefined without git or without the setting). */
export function gitUserName(cwd: string): string | undefined {
  try {
    return execFileSync("git", ["config", "user.name"], { cwd, encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The actor of a change made from this process. */
export function currentActor(lockFile: string): ReturnType<typeof resolveActor> {
  // git is asked only when GITHUB_ACTOR does not already answer.
  return resolveActor(process.env, process.env.GITHUB_ACTOR?.trim() ? undefined : gitUserName(path.dirname(path.resolve(lockFile))));
}

export function catalogSource(file: string): CatalogSource {
  return { file: label(file), sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex") };
}
