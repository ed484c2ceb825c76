// Arbitrary text in every field and key of the lock: parseLock refuses it with problems that start
// with the JSON path and show the value escaped, or accepts it only inside the field's grammar.
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { binaryString } from "../helpers/arbitraries";
import { parseImageRef } from "../../components/toolchain/image-ref";
import { canonicalArchiveFilename, KNOWN_PLATFORMS, LockError, parseLock, showValue } from "../../components/toolchain/lock";

const LOCK_PATH = path.join(__dirname, "../../stacks/toolchain.lock.json");
const shipped = (): any => JSON.parse(fs.readFileSync(LOCK_PATH, "utf8"));

const NASTY = ["; id", "$(id)", "`id`", "'", '"', "\\", "\n", "\r\n", "\u0000", "\u001b[31m", "\u2028", "\u202e", "🐹", " ", "..", "/", "@", ":", "#"];
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  binaryString(20),
  fc.constantFrom(...NASTY),
  fc.tuple(fc.constantFrom("go1.26.7.linux-amd64.tar.gz", "1.26.7", "linux/amd64", "debian:bookworm-slim", "sha256:" + "a".repeat(64), "a".repeat(64)), fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c),
);
const anyJson = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 2 }), fc.dictionary(text, text, { maxKeys: 2 }));

/** Every problem names a place in the lock first, and shows nothing a terminal would interpret. */
function expectClearRefusal(err: unknown): void {
  expect(err).toBeInstanceOf(LockError);
  for (const p of (err as LockError).problems) {
    expect(p).toMatch(/^(\(top level\)|\$comment|lockVersion|environments|images|[A-Za-z_$][A-Za-z0-9_$]*|\["[^\n]*"(… \([0-9]+ characters\))?\])[.\[: ]/);
    expect(p).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
  }
}

function outcome(lock: unknown): "accepted" | "refused" {
  try {
    parseLock(lock);
    return "accepted";
  } catch (err) {
    expectClearRefusal(err);
    return "refused";
  }
}

type Setter = (l: any, v: unknown) => void;
/** Sets an own key as JSON.parse does, even "__proto__" (an assignment would set the prototype instead). */
const put = (o: any, key: unknown, value: unknown): void => void Object.defineProperty(o, String(key), { value, enumerable: true, writable: true, configurable: true });
const prodArchive = (l: any): any => l.environments.prod.versions["1.26.7"]["linux/amd64"];

/** [name, setter, is the value inside the field's grammar, the values tried (keys are text)]. */
const FIELDS: Array<[string, Setter, (v: unknown) => boolean, fc.Arbitrary<unknown>]> = [
  ["archive filename", (l, v) => (prodArchive(l).filename = v), (v) => v === "go1.26.7.linux-amd64.tar.gz", anyJson],
  ["archive sha256", (l, v) => (prodArchive(l).sha256 = v), (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v), anyJson],
  ["an unknown archive key", (l, v) => put(prodArchive(l), v, "x"), () => false, text],
  ["default", (l, v) => (l.environments.dev.default = v), (v) => v === "1.26.7" || v === "1.27.0", anyJson],
  ["allowPrereleases", (l, v) => (l.environments.staging.allowPrereleases = v), (v) => typeof v === "boolean", anyJson],
  ["a platform entry", (l, v) => (l.environments.staging.platforms[1] = v), (v) => v === "linux/arm64", anyJson],
  ["a version key", (l, v) => put(l.environments.dev.versions, v, l.environments.dev.versions["1.27.0"]), (v) => ["1.26.7", "1.27.0"].includes(String(v)), text],
  ["a platform key", (l, v) => put(l.environments.dev.versions["1.27.0"], v, l.environments.dev.versions["1.27.0"]["linux/amd64"]), (v) => ["linux/amd64", "linux/arm64"].includes(String(v)), text],
  ["an image key", (l, v) => put(l.images, v, { state: "unresolved", reason: "not resolved yet" }), (v) => {
    // Any image reference with a tag and no digest, in the key grammar (the digest goes in "digest").
    const ref = parseImageRef(String(v));
    return ref !== undefined && ref.tag !== undefined && ref.digest === undefined && /^[a-z0-9][a-z0-9._/:-]{0,254}$/.test(String(v));
  }, text],
  ["an image digest", (l, v) => (l.images["debian:bookworm-slim"].digest = v), (v) => typeof v === "string" && /^sha256:[0-9a-f]{64}$/.test(v), anyJson],
  ["an image source", (l, v) => (l.images["debian:bookworm-slim"].source = v), (v) => typeof v === "string" && /^[\x20-\x7e]{1,300}$/.test(v), anyJson],
  ["an unresolved reason", (l, v) => (l.images["docker.io/gomods/athens:v0.18.1"].reason = v), (v) => typeof v === "string" && /^[\x20-\x7e]{1,300}$/.test(v), anyJson],
  ["lockVersion", (l, v) => (l.lockVersion = v), (v) => v === 1, anyJson],
  ["an unknown top-level key", (l, v) => put(l, v, 1), (v) => ["$comment", "lockVersion", "environments", "images"].includes(String(v)), text],
];

describe("every lock field refuses what is outside its grammar, clearly", () => {
  test.each(FIELDS)("%s", (_name, set, inGrammar, values) => {
    fc.assert(
      fc.property(values, (v) => {
        const l = shipped();
        set(l, v);
        const result = outcome(l);
        if (result === "accepted") expect(inGrammar(v)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test.each(["__proto__", "constructor", "toString"])("a key named %s is refused wherever keys are free", (key) => {
    for (const [, set, , values] of FIELDS.filter(([, , , values]) => values === text)) {
      void values;
      const l = shipped();
      set(l, key);
      expect(outcome(l)).toBe("refused");
    }
  });

  test("the canonical filename is the only one accepted for each version and platform", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN_PLATFORMS), fc.constantFrom("1.26.7", "1.27.0"), (platform, version) => {
        expect(canonicalArchiveFilename(version, platform)).toBe(`go${version}.${platform.replace("/", "-")}.tar.gz`);
      }),
    );
    expect(canonicalArchiveFilename("1.26.7", "linux/armv6l")).toBe("go1.26.7.linux-armv6l.tar.gz");
  });

  test("showValue never lets a control, format or non-ASCII character through, and truncates long values", () => {
    fc.assert(
      fc.property(fc.oneof(binaryString(200), anyJson), (v) => {
        const shown = showValue(v);
        expect(shown).toMatch(/^[\x20-\x7e…]*$/);
        expect(shown.length).toBeLessThanOrEqual(60 * 10 + 40);
      }),
      { numRuns: 500 },
    );
    expect(showValue("a\u0000b\u202e\n")).toBe('"a\\u0000b\\u202e\\n"');
    expect(showValue("x".repeat(61))).toBe(`"${"x".repeat(60)}"… (61 characters)`);
  });
});
