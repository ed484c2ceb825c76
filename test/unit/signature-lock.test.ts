// Signature records in the closed lock grammar (components/toolchain/lock.ts): accepted in their
// exact shape, every deviation refused naming the path, the value and the fix; old locks without
// records stay valid; records survive re-locking the same bytes and never follow other bytes.
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { allowVersion, LockError, parseLock, promote, signatureGaps, ToolchainLock, withSignature } from "../../components/toolchain/lock";

const SHIPPED_DOC = JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8"));
const SHIPPED = parseLock(SHIPPED_DOC);
const catalog = bundledCatalog();
const RECORD = { verified: true as const, subkey: "0E225917414670F4442C250DFD533C07C264648F", signedAt: "2026-09-01T10:00:00Z", checkedAt: "2026-11-22T06:41:27Z" };
const AMD = SHIPPED.environments.prod.versions["1.26.7"]["linux/amd64"];

/** The shipped lock with `signature` set on prod's 1.26.7 linux/amd64 archive. */
function withRecordDoc(signature: unknown): unknown {
  const doc = JSON.parse(JSON.stringify(SHIPPED_DOC));
  doc.environments.prod.versions["1.26.7"]["linux/amd64"].signature = signature;
  return doc;
}

function problemsOf(doc: unknown): readonly string[] {
  try {
    parseLock(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(LockError);
    return (err as LockError).problems;
  }
  return [];
}

const AT = 'environments.prod.versions["1.26.7"]["linux/amd64"].signature';

describe("the grammar", () => {
  test("the shipped lock (no records) is valid, and so is one with a record", () => {
    expect(signatureGaps(SHIPPED, "prod").map((g) => g.filename)).toEqual(["go1.26.7.linux-amd64.tar.gz", "go1.26.7.linux-arm64.tar.gz"]);
    const lock = parseLock(withRecordDoc(RECORD));
    expect(lock.environments.prod.versions["1.26.7"]["linux/amd64"].signature).toEqual(RECORD);
    expect(signatureGaps(lock, "prod").map((g) => g.filename)).toEqual(["go1.26.7.linux-arm64.tar.gz"]);
  });

  test.each([
    ["verified false", { ...RECORD, verified: false }, [`${AT}.verified: false must be true`]],
    ["a short key id", { ...RECORD, subkey: "FD533C07C264648F" }, [`${AT}.subkey: "FD533C07C264648F" is not a key fingerprint (40 uppercase hex digits); record signatures only with \`goguard lock allow|promote … --verify-signature\``]],
    ["a lowercase fingerprint", { ...RECORD, subkey: RECORD.subkey.toLowerCase() }, [`${AT}.subkey: "${RECORD.subkey.toLowerCase()}" is not a key fingerprint (40 uppercase hex digits); record signatures only with \`goguard lock allow|promote … --verify-signature\``]],
    ["a local time", { ...RECORD, signedAt: "2026-09-01 10:00" }, [`${AT}.signedAt: "2026-09-01 10:00" is not a UTC time such as "2026-11-22T06:41:27Z"; record signatures only with \`goguard lock allow|promote … --verify-signature\``]],
    ["milliseconds", { ...RECORD, checkedAt: "2026-11-22T06:41:27.123Z" }, [`${AT}.checkedAt: "2026-11-22T06:41:27.123Z" is not a UTC time such as "2026-11-22T06:41:27Z"; record signatures only with \`goguard lock allow|promote … --verify-signature\``]],
    ["an unknown key", { ...RECORD, keyserver: "hkps://keys.example" }, [`${AT}.keyserver: unknown key "keyserver"; remove it or fix its spelling (see the shipped stacks/toolchain.lock.json for the shape, and change it only with \`goguard lock …\`)`]],
    ["a missing field", { verified: true, subkey: RECORD.subkey, signedAt: RECORD.signedAt }, [`${AT}: missing "checkedAt"; add it (see the shipped stacks/toolchain.lock.json for the shape, and change it only with \`goguard lock …\`)`]],
    ["checked before it was signed", { ...RECORD, signedAt: "2026-12-01T00:00:00Z" }, [`${AT}.signedAt: "2026-12-01T00:00:00Z" is after checkedAt "2026-11-22T06:41:27Z"; a signature cannot be checked before it was made: check it again with --verify-signature`]],
  ])("%s is refused with its path and fix", (_what, signature, problems) => {
    expect(problemsOf(withRecordDoc(signature))).toEqual(problems);
  });

  test("property: any string that is not 40 uppercase hex is refused as a subkey", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }).filter((s) => !/^[0-9A-F]{40}$/.test(s)), (s) => {
        expect(problemsOf(withRecordDoc({ ...RECORD, subkey: s }))).toHaveLength(1);
      }),
    );
  });
});

describe("records follow the bytes", () => {
  const recorded: ToolchainLock = withSignature(SHIPPED, "staging", "1.26.7", "linux/amd64", AMD.sha256, RECORD);

  test("withSignature sets one record; it refuses an archive that is not locked or whose sha256 changed", () => {
    expect(recorded.environments.staging.versions["1.26.7"]["linux/amd64"]).toEqual({ ...AMD, signature: RECORD });
    expect(() => withSignature(SHIPPED, "prod", "1.27.0", "linux/amd64", AMD.sha256, RECORD)).toThrow("prod does not lock Go 1.27.0 for linux/amd64; nothing to record a signature for");
    expect(() => withSignature(SHIPPED, "prod", "1.26.7", "linux/amd64", "0".repeat(64), RECORD)).toThrow(
      `prod 1.26.7 linux/amd64: the signature was checked for sha256 ${"0".repeat(64)}, but the lock now holds ${AMD.sha256} (changed meanwhile); verify again`,
    );
  });

  test("promote carries staging's record to prod for the same archive; re-allowing keeps it", () => {
    const promoted = promote(recorded, "staging", "prod", catalog);
    expect(promoted.environments.prod.versions["1.26.7"]["linux/amd64"].signature).toEqual(RECORD);
    expect(promoted.environments.prod.versions["1.26.7"]["linux/arm64"].signature).toBeUndefined();
    expect(allowVersion(recorded, "staging", "1.26.7", catalog).environments.staging.versions["1.26.7"]["linux/amd64"].signature).toEqual(RECORD);
  });

  test("a record whose sha256 is not the catalog's is dropped when the archive is locked again from the catalog", () => {
    const doc = JSON.parse(JSON.stringify(recorded));
    doc.environments.staging.versions["1.26.7"]["linux/amd64"].sha256 = "1".repeat(64);
    const forged = parseLock(doc);
    expect(allowVersion(forged, "staging", "1.26.7", catalog).environments.staging.versions["1.26.7"]["linux/amd64"]).toEqual(AMD);
  });
});
