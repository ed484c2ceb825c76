// The toolchain lock's history (pure): one JSON object per line in a file beside the lock
// (stacks/toolchain.history.jsonl), appended by every command that changes the lock, never
// rewritten. An entry says when (UTC), who (and where that name came from), which command, which
// environment, its state before and after, the catalog the checksums came from, and why.
//
// Reading is strict: a line that does not parse or does not have the entry's shape is an error
// naming the line, never skipped (a history that silently loses entries is no audit trail).
import { lazyValidator } from "./lazy-ajv";
import { ENVIRONMENTS, EnvironmentLock, EnvironmentName, LockedImage, showValue, UTC_TIME_PATTERN } from "./lock";

export const HISTORY_VERSION = 1;

/** Where the actor's name came from, in the order it is looked for. */
export const ACTOR_SOURCES = ["GITHUB_ACTOR", "git config user.name", "USER", "unknown"] as const;
export type ActorSource = (typeof ACTOR_SOURCES)[number];

export interface CatalogSource {
  /** The catalog file, relative to the project when inside it. */
  readonly file: string;
  readonly sha256: string;
}

interface EntryBase {
  readonly v: 1;
  readonly time: string;
  readonly actor: string;
  readonly actorSource: ActorSource;
  /** The goguard command line, without the executable (`lock promote staging prod --version 1.27.0`). */
  readonly command: string;
  readonly catalog: CatalogSource | null;
  /** Required for staging and prod changes; null when none was given (dev). */
  readonly reason: string | null;
}

export interface EnvironmentEntry extends EntryBase {
  readonly kind: "environment";
  readonly environment: EnvironmentName;
  readonly before: EnvironmentLock;
  readonly after: EnvironmentLock;
}

export interface ImagesEntry extends EntryBase {
  readonly kind: "images";
  readonly before: Readonly<Record<string, LockedImage>>;
  readonly after: Readonly<Record<string, LockedImage>>;
}

export type HistoryEntry = EnvironmentEntry | ImagesEntry;

export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HistoryError";
  }
}

const TEXT = { type: "string", minLength: 1, maxLength: 1000, pattern: "^[^\\x00-\\x1f\\x7f]*$" } as const;
const BASE = {
  v: { const: HISTORY_VERSION },
  time: { type: "string", pattern: UTC_TIME_PATTERN },
  actor: TEXT,
  actorSource: { enum: [...ACTOR_SOURCES] },
  command: TEXT,
  catalog: {
    oneOf: [
      { type: "null" },
      { type: "object", additionalProperties: false, required: ["file", "sha256"], properties: { file: TEXT, sha256: { type: "string", pattern: "^[0-9a-f]{64}$" } } },
    ],
  },
  reason: { oneOf: [{ type: "null" }, TEXT] },
} as const;
const REQUIRED = ["v", "time", "actor", "actorSource", "command", "catalog", "reason", "kind", "before", "after"];

// The states are objects here; the lock's own grammar judges them when one is restored (rollback
// writes it back through the lock's validation), so a forged state can never reach the lock.
export const ENTRY_SCHEMA = {
  type: "object",
  required: ["kind"],
  discriminator: { propertyName: "kind" },
  oneOf: [
    {
      type: "object",
      additionalProperties: false,
      required: [...REQUIRED, "environment"],
      properties: { ...BASE, kind: { const: "environment" }, environment: { enum: [...ENVIRONMENTS] }, before: { type: "object" }, after: { type: "object" } },
    },
    {
      type: "object",
      additionalProperties: false,
      required: REQUIRED,
      properties: { ...BASE, kind: { const: "images" }, before: { type: "object" }, after: { type: "object" } },
    },
  ],
} as const;

const validateEntry = lazyValidator({ allErrors: false, discriminator: true, strict: true, strictRequired: false }, ENTRY_SCHEMA);

/**
 * Parses a history file's text. Blank last line allowed (the file ends with a newline); any other
 * line that is not one valid entry throws HistoryError naming the file, the line number and why.
 */
export function parseHistory(text: string, file: string): HistoryEntry[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((line, i) => {
    const where = `${file}:${i + 1}`;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (err) {
      throw new HistoryError(`${where}: not a JSON object (${(err as Error).message}): ${showValue(line, 80)}; the history is append-only: restore the file from version control (git checkout -- ${file})`);
    }
    if (!validateEntry(doc)) {
      const e = validateEntry.errors![0];
      if (e.keyword === "discriminator") throw new HistoryError(`${where}: kind: ${showValue((doc as Record<string, unknown>).kind)} must be "environment" or "images"; the history is written only by goguard lock commands: restore the file from version control (git checkout -- ${file})`);
      const at = e.instancePath === "" ? "the entry" : e.instancePath.slice(1).replace(/\//g, ".");
      const detail = e.keyword === "additionalProperties" ? `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"` : e.keyword === "required" ? `missing "${(e.params as { missingProperty: string }).missingProperty}"` : (e.message ?? e.keyword);
      throw new HistoryError(`${where}: ${at}: ${detail}; the history is written only by goguard lock commands: restore the file from version control (git checkout -- ${file})`);
    }
    return doc as unknown as HistoryEntry;
  });
}

export function serializeEntry(entry: HistoryEntry): string {
  return JSON.stringify(entry) + "\n";
}

/** Who made a change: GITHUB_ACTOR (in CI), else git's user.name, else USER, else "unknown". */
export function resolveActor(env: Readonly<Record<string, string | undefined>>, gitUserName: string | undefined): { actor: string; actorSource: ActorSource } {
  const clean = (s: string | undefined): string | undefined => {
    const t = s?.replace(/[\x00-\x1f\x7f]/g, "").trim();
    return t ? t.slice(0, 200) : undefined;
  };
  const gh = clean(env.GITHUB_ACTOR);
  if (gh) return { actor: gh, actorSource: "GITHUB_ACTOR" };
  const git = clean(gitUserName);
  if (git) return { actor: git, actorSource: "git config user.name" };
  const user = clean(env.USER);
  if (user) return { actor: user, actorSource: "USER" };
  return { actor: "unknown", actorSource: "unknown" };
}

/** Whether a change to `env` needs a reason: every change to staging and prod does. */
export function reasonRequired(env: EnvironmentName | "images"): boolean {
  return env === "staging" || env === "prod";
}

/** Checks a --reason value: one line of text, at least a few words' worth. */
export function checkReason(reason: string | undefined, env: EnvironmentName | "images", command: string): string | null {
  if (reason === undefined || reason.trim() === "") {
    if (reasonRequired(env)) throw new HistoryError(`${command} changes ${env}: give the reason with --reason "<why>" (recorded in the lock history with your name and the time)`);
    return null;
  }
  if (/[\x00-\x1f\x7f]/.test(reason)) throw new HistoryError(`--reason must be one line of text without control characters; got ${showValue(reason)}`);
  if (reason.trim().length < 5) throw new HistoryError(`--reason ${showValue(reason)} is too short to tell a reader why; say what the change is for (at least 5 characters)`);
  if (reason.length > 1000) throw new HistoryError(`--reason is ${reason.length} characters; keep it under 1000 and link to the details`);
  return reason.trim();
}

/** A state as one line: `1.27.0 (allows 1.26.7, 1.27.0; linux/amd64, linux/arm64)`. */
export function describeState(e: EnvironmentLock): string {
  return `${e.default} (allows ${Object.keys(e.versions).join(", ")}; ${e.platforms.join(", ")})`;
}

function sameState(a: EnvironmentLock, b: EnvironmentLock): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The state `lock rollback` restores for `env`: with `to`, the newest recorded state (after or
 * before of any entry for env) whose default is `to`; without, the `before` of the newest entry
 * for env whose before differs from the current state. Throws HistoryError saying what exists.
 */
export function rollbackTarget(entries: readonly HistoryEntry[], env: EnvironmentName, current: EnvironmentLock, to?: string): { state: EnvironmentLock; entry: EnvironmentEntry; line: number } {
  const mine = entries.map((e, i) => ({ e, line: i + 1 })).filter((x): x is { e: EnvironmentEntry; line: number } => x.e.kind === "environment" && x.e.environment === env);
  if (mine.length === 0) throw new HistoryError(`the lock history has no entry for ${env}: nothing to roll back to (the history starts with the first goguard lock change after it was introduced)`);
  const newestFirst = [...mine].reverse();
  if (to !== undefined) {
    for (const { e, line } of newestFirst) {
      for (const state of [e.after, e.before]) if (state.default === to) return { state, entry: e, line };
    }
    const seen = [...new Set(mine.flatMap(({ e }) => [e.before.default, e.after.default]))];
    throw new HistoryError(`${env} never ran ${showValue(to)} in the recorded history; it ran ${seen.join(", ")}`);
  }
  for (const { e, line } of newestFirst) if (!sameState(e.before, current)) return { state: e.before, entry: e, line };
  throw new HistoryError(`every recorded earlier state of ${env} equals its current one; nothing to roll back to`);
}
