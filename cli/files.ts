// File helpers for the CLI (the only place besides the stack program that touches the disk).
import * as fs from "fs";
import * as path from "path";
import { showValue } from "../components/toolchain/lock";

/** The package root: where Pulumi.yaml, stacks/ and policies/ live. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");
export const DEFAULT_LOCK_PATH = path.join(PROJECT_ROOT, "stacks", "toolchain.lock.json");

/** Writes via a temporary file in the same directory and a rename: readers see the old or the new bytes, never half. */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, text);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * The one "unknown value" usage error every command gives: it names the option (or argument), the
 * value as typed (quoted, escaped) and the values it takes, e.g.
 * `--env: unknown environment "qa"; use one of dev, staging, prod`.
 */
export function unknownValue(option: string, what: string, value: string, allowed: readonly string[], extra?: string): UsageError {
  return new UsageError(`${option}: unknown ${what} ${showValue(value, 400)}; use one of ${allowed.join(", ")}${extra ? ` or ${extra}` : ""}`);
}

/** A parser's message on one line: Node quotes the bad text, newlines and all, into JSON.parse's message. */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, " ");
}

/**
 * `fix` is what to do about a file that is not JSON: by default restoring it (the project's own
 * tracked files: the lock, the catalog); an input the user brings says what it should be instead.
 */
export function readJsonFile(file: string, what: string, fix?: string): unknown {
  return parseJsonText(readTextFile(file, what), file, what, fix);
}

/** A file's text, or a UsageError naming `what`, the path and the fix when it is missing or unreadable. */
export function readTextFile(file: string, what: string): string {
  if (!fs.existsSync(file)) throw new UsageError(`${what} ${file} does not exist; check the path`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`${what} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path and its permissions`);
  }
}

/** `text` (read from `file`) as JSON, or readJsonFile's UsageError when it is not JSON. */
export function parseJsonText(text: string, file: string, what: string, fix?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} ${file} is not JSON (${oneLine((err as Error).message)}); ${fix ?? `restore it (for a tracked file: git checkout -- ${gitPath(file)})`}`);
  }
}

/** How to name a file to git from here: relative inside the working directory, absolute outside it. */
function gitPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}
