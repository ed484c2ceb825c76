// The lock history (components/toolchain/history.ts): strict parsing that names the bad line, the
// actor's source order, --reason rules, and which state a rollback restores.
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { checkReason, EnvironmentEntry, HistoryEntry, HistoryError, parseHistory, resolveActor, rollbackTarget, serializeEntry } from "../../components/toolchain/history";
import { EnvironmentLock, parseLock } from "../../components/toolchain/lock";

const SHIPPED = parseLock(JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8")));
const S1 = SHIPPED.environments.staging; // 1.26.7
const S2: EnvironmentLock = { ...SHIPPED.environments.dev, allowPrereleases: false, default: "1.27.0" }; // 1.26.7 + 1.27.0, default 1.27.0
const S3: EnvironmentLock = { ...S2, default: "1.26.7" };

function entry(environment: "dev" | "staging" | "prod", before: EnvironmentLock, after: EnvironmentLock, over: Partial<EnvironmentEntry> = {}): EnvironmentEntry {
  return {
    v: 1,
    time: "2026-11-22T06:41:27Z",
    actor: "alice",
    actorSource: "GITHUB_ACTOR",
    command: `lock promote staging ${environment} --version ${after.default}`,
    catalog: { file: "components/toolchain/data/go-releases.json", sha256: "a".repeat(64) },
    reason: "release it",
    kind: "environment",
    environment,
    before,
    after,
    ...over,
  };
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(HistoryError);
    return (err as Error).message;
  }
  throw new Error("expected a HistoryError");
}

describe("parseHistory", () => {
  test("round-trips entries, one per line, the file ending with a newline", () => {
    const entries: HistoryEntry[] = [
      entry("prod", S1, S2),
      { v: 1, time: "2026-11-22T07:00:00Z", actor: "bob", actorSource: "USER", command: "lock resolve-images --image debian:bookworm-slim", catalog: null, reason: null, kind: "images", before: {}, after: SHIPPED.images },
    ];
    const text = entries.map(serializeEntry).join("");
    expect(text.split("\n")).toHaveLength(3);
    expect(parseHistory(text, "h.jsonl")).toEqual(entries);
    expect(parseHistory("", "h.jsonl")).toEqual([]);
  });

  const good = serializeEntry(entry("prod", S1, S2)).trim();
  test.each([
    ["a truncated line", `${good}\n${good.slice(0, 40)}\n`, 2, /^h\.jsonl:2: not a JSON object \(Unterminated string in JSON at position 40[^)]*\): ".+"; the history is append-only: restore the file from version control \(git checkout -- h\.jsonl\)$/],
    ["a long broken line", `${good.slice(0, 200)}\n`, 1, /^h\.jsonl:1: not a JSON object \(.+\): ".+"… \(200 characters\); the history is append-only/],
    ["a blank line in the middle", `${good}\n\n${good}\n`, 2, /^h\.jsonl:2: not a JSON object \(Unexpected end of JSON input\): ""; the history is append-only/],
    ["an unknown key", `${good.replace('"v":1,', '"v":1,"extra":true,')}\n`, 1, /^h\.jsonl:1: the entry: unknown key "extra"; the history is written only by goguard lock commands: restore the file from version control \(git checkout -- h\.jsonl\)$/],
    ["no reason field", `${good.replace('"reason":"release it",', "")}\n`, 1, /^h\.jsonl:1: the entry: missing "reason"; /],
    ["a local time", `${good.replace("2026-11-22T06:41:27Z", "2026-11-22 06:41")}\n`, 1, /^h\.jsonl:1: time: must match pattern/],
    ["an unknown environment", `${good.replace('"environment":"prod"', '"environment":"qa"')}\n`, 1, /^h\.jsonl:1: environment: must be equal to one of the allowed values; /],
    ["an unknown kind", `${good.replace('"kind":"environment"', '"kind":"other"')}\n`, 1, /^h\.jsonl:1: kind: "other" must be "environment" or "images"; the history is written only by goguard lock commands/],
    ["a JSON array", "[]\n", 1, /^h\.jsonl:1: the entry: must be object; /],
  ])("%s is an error naming the line", (_what, text, _line, message) => {
    expect(errorOf(() => parseHistory(text, "h.jsonl"))).toMatch(message);
  });

  test("property: any other JSON value on a line is refused as a HistoryError naming that line", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 3 }), (value, goodBefore) => {
        const text = [...Array(goodBefore).fill(good), JSON.stringify(value)].join("\n") + "\n";
        expect(errorOf(() => parseHistory(text, "h.jsonl"))).toMatch(new RegExp(`^h\\.jsonl:${goodBefore + 1}: `));
      }),
      { numRuns: 200 },
    );
  });
});

describe("resolveActor", () => {
  test.each([
    [{ GITHUB_ACTOR: "octocat", USER: "runner" }, "Alice Example", { actor: "octocat", actorSource: "GITHUB_ACTOR" }],
    [{ USER: "alice" }, "Alice Example", { actor: "Alice Example", actorSource: "git config user.name" }],
    [{ GITHUB_ACTOR: "  ", USER: "alice" }, undefined, { actor: "alice", actorSource: "USER" }],
    [{}, "", { actor: "unknown", actorSource: "unknown" }],
    [{ USER: "eve\u001b[31m" }, undefined, { actor: "eve[31m", actorSource: "USER" }],
  ])("%j with git name %j → %j", (env, git, want) => {
    expect(resolveActor(env, git)).toEqual(want);
  });
});

describe("checkReason", () => {
  test.each([
    ["dev", undefined, null],
    ["dev", "trying 1.27.0", "trying 1.27.0"],
    ["prod", "  security fix GO-2026-4984  ", "security fix GO-2026-4984"],
  ] as const)("%s with %j → %j", (env, reason, want) => {
    expect(checkReason(reason, env, "lock promote")).toBe(want);
  });

  test.each([
    ["staging", undefined, 'lock promote changes staging: give the reason with --reason "<why>" (recorded in the lock history with your name and the time)'],
    ["prod", "   ", 'lock promote changes prod: give the reason with --reason "<why>" (recorded in the lock history with your name and the time)'],
    ["prod", "fix", '--reason "fix" is too short to tell a reader why; say what the change is for (at least 5 characters)'],
    ["dev", "two\nlines", '--reason must be one line of text without control characters; got "two\\nlines"'],
  ] as const)("%s with %j is refused", (env, reason, message) => {
    expect(errorOf(() => checkReason(reason, env, "lock promote"))).toBe(message);
  });
});

describe("rollbackTarget", () => {
  const entries: HistoryEntry[] = [entry("staging", S1, S2), entry("prod", S1, S2), entry("prod", S2, S3, { command: "lock allow" })];

  test("without --to: the state before the newest change that differs from the current one", () => {
    expect(rollbackTarget(entries, "prod", S3)).toEqual({ state: S2, entry: entries[2], line: 3 });
    // Rolled back once (current S2): the newest entry's before equals it, so the one before is used.
    expect(rollbackTarget(entries, "prod", S2)).toEqual({ state: S1, entry: entries[1], line: 2 });
  });

  test("--to: the newest recorded state whose default is that version", () => {
    expect(rollbackTarget(entries, "prod", S3, "1.27.0")).toEqual({ state: S2, entry: entries[2], line: 3 });
    expect(rollbackTarget(entries, "staging", S2, "1.26.7")).toEqual({ state: S1, entry: entries[0], line: 1 });
  });

  test.each([
    ["dev", undefined, "the lock history has no entry for dev: nothing to roll back to (the history starts with the first goguard lock change after it was introduced)"],
    ["prod", "1.25.14", 'prod never ran "1.25.14" in the recorded history; it ran 1.26.7, 1.27.0'],
  ] as const)("%s --to %s is refused, saying what exists", (env, to, message) => {
    expect(errorOf(() => rollbackTarget(entries, env, S1, to))).toBe(message);
  });

  test("every earlier state equals the current one: nothing to roll back to", () => {
    expect(errorOf(() => rollbackTarget([entry("prod", S1, S1)], "prod", S1))).toBe("every recorded earlier state of prod equals its current one; nothing to roll back to");
  });
});
