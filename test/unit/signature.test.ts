// Host-side signature verification (components/toolchain/signature.ts) with the vendored Go key and
// with throwaway keys made at test time: valid, tampered, wrong key, expired subkey, a .asc that is
// not a signature, key files that are not the pinned key. Every refusal is compared whole.
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import fc from "fast-check";
import * as openpgp from "openpgp";
import { GO_SIGNING_KEY } from "../../components/build-image/dockerfile";
import { GO_SIGNING_PRIMARY, readTrustedKey, SignatureError, utcSeconds, verifyArchiveSignature } from "../../components/toolchain/signature";
import { gpgExpiredSubkeyCase, hasGpg, makeTestKey, signDetached, TestKey } from "../helpers/signing";

const VENDORED = fs.readFileSync(path.join(__dirname, "../../components/build-image/go-signing-key.asc"), "utf8");
const NOW = new Date("2026-11-22T06:41:27.123Z");
const ARCHIVE = new Uint8Array(Buffer.from("a stand-in for go1.26.7.linux-amd64.tar.gz\n".repeat(100)));
const SHA = createHash("sha256").update(ARCHIVE).digest("hex");
const FILE = "go1.26.7.linux-amd64.tar.gz";

let keyA: TestKey;
let keyB: TestKey;
beforeAll(async () => {
  keyA = await makeTestKey("GoGuard Test A");
  keyB = await makeTestKey("GoGuard Test B");
});

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SignatureError);
    return (err as Error).message;
  }
  throw new Error("expected a SignatureError");
}

const input = (over: Partial<Parameters<typeof verifyArchiveSignature>[0]> & { signature: Uint8Array }) => ({
  filename: FILE,
  archive: ARCHIVE,
  expectedSha256: SHA,
  trustedKey: keyA.publicArmored,
  primaryFingerprint: keyA.primary,
  now: NOW,
  ...over,
});
/** One armored block holding both throwaway public keys (as a key file with an extra key would). */
async function bothKeys(): Promise<string> {
  const [a, b] = await Promise.all([keyA, keyB].map((k) => openpgp.readKey({ armoredKey: k.publicArmored })));
  return openpgp.armor(openpgp.enums.armor.publicKey, new Uint8Array(Buffer.concat([a.write(), b.write()])));
}
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "utf8"));

describe("the vendored Go signing key", () => {
  test("parses with OpenPGP.js; its primary is EB4C1BFD…4796, the fingerprint the builder pins", async () => {
    const key = await readTrustedKey(VENDORED, GO_SIGNING_PRIMARY);
    expect(GO_SIGNING_PRIMARY).toBe("EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796");
    expect(GO_SIGNING_KEY).toBe(GO_SIGNING_PRIMARY);
    expect(key.getFingerprint().toUpperCase()).toBe("EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796");
    expect(key.isPrivate()).toBe(false);
  });

  test("holds the signing subkeys of the provenance table, with their creation and expiry", async () => {
    const key = await readTrustedKey(VENDORED, GO_SIGNING_PRIMARY);
    const rows = await Promise.all(
      key.getSubkeys().map(async (s) => [s.getFingerprint().toUpperCase(), s.getCreationTime().toISOString().slice(0, 10), new Date((await s.getExpirationTime()) as Date).toISOString().slice(0, 10)]),
    );
    expect(rows).toEqual([
      ["3B068FB4789ABE4AEFA3BB491397BC53640DB551", "2016-04-12", "2019-04-12"],
      ["3E50F6D3EC278FDEB655C8CA6494C6D6997C215E", "2017-01-24", "2020-01-24"],
      ["2F528D36D67B69EDF998D85778BD65473CB3BD13", "2019-07-22", "2022-07-21"],
      ["8461EFA0E74ABAE010DE66994EB27DB2A3B88B8B", "2021-10-26", "2024-10-25"],
      ["A5F483CD733A4EBAEA378B2AE88979FB9B30ACF2", "2023-02-15", "2026-02-14"],
      ["0F06FF86BEEAF4E71866EE5232EE5355A6BC6E42", "2024-01-30", "2027-01-29"],
      ["0E225917414670F4442C250DFD533C07C264648F", "2025-01-07", "2028-01-07"],
      ["B8DBE9CCAF2116F84A084BD61D09C015006FEAB8", "2026-03-10", "2029-03-09"],
    ]);
  });

  test("a signature by a throwaway key is refused by the vendored key, naming the key that signed", async () => {
    const sig = await signDetached(keyA, ARCHIVE);
    expect(await errorOf(verifyArchiveSignature(input({ signature: bytes(sig), trustedKey: VENDORED, primaryFingerprint: GO_SIGNING_PRIMARY })))).toBe(
      `${FILE}.asc was made by key ${keyA.subkey.slice(-16)}, which is not the Go signing key EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796 nor one of its subkeys; if Google added a subkey, refresh the vendored key (components/build-image/go-signing-key.asc)`,
    );
  });
});

describe("verifyArchiveSignature with throwaway keys", () => {
  test("a valid signature by the signing subkey gives the record the lock keeps", async () => {
    const sig = await signDetached(keyA, ARCHIVE, new Date("2026-02-03T04:05:06Z"));
    expect(await verifyArchiveSignature(input({ signature: bytes(sig) }))).toEqual({ verified: true, subkey: keyA.subkey, signedAt: "2026-02-03T04:05:06Z", checkedAt: "2026-11-22T06:41:27Z" });
  });

  test("a binary (unarmored) signature verifies the same way", async () => {
    const sig = (await openpgp.sign({ message: await openpgp.createMessage({ binary: ARCHIVE }), signingKeys: keyA.privateKey, detached: true, date: new Date("2026-02-03T04:05:06Z"), format: "binary" })) as Uint8Array;
    expect((await verifyArchiveSignature(input({ signature: sig }))).subkey).toBe(keyA.subkey);
  });

  test("a tampered archive whose sha256 the lock follows is caught by the signature alone", async () => {
    const sig = await signDetached(keyA, ARCHIVE);
    const tampered = new Uint8Array(ARCHIVE);
    tampered[100] ^= 0x01;
    const sha = createHash("sha256").update(tampered).digest("hex");
    expect(await errorOf(verifyArchiveSignature(input({ archive: tampered, expectedSha256: sha, signature: bytes(sig) })))).toBe(
      `${FILE}: the signature does not verify against the Go signing key ${keyA.primary} (Signed digest did not match); the archive or its .asc is not what Go published`,
    );
  });

  test("an archive whose sha256 differs from the lock's is refused before any signature work", async () => {
    const other = bytes("other bytes");
    const got = createHash("sha256").update(other).digest("hex");
    expect(await errorOf(verifyArchiveSignature(input({ archive: other, signature: bytes("not even read") })))).toBe(
      `${FILE}: the downloaded archive has sha256 ${got}, but the lock holds ${SHA}; the mirror serves other bytes (check --mirror), nothing was recorded`,
    );
  });

  test("a signature by another key is refused, even when that key is valid", async () => {
    const sig = await signDetached(keyB, ARCHIVE);
    expect(await errorOf(verifyArchiveSignature(input({ signature: bytes(sig) })))).toBe(
      `${FILE}.asc was made by key ${keyB.subkey.slice(-16)}, which is not the Go signing key ${keyA.primary} nor one of its subkeys; if Google added a subkey, refresh the vendored key (components/build-image/go-signing-key.asc)`,
    );
  });

  test("a signature dated after the check is refused (a clock cannot make it valid early)", async () => {
    const sig = await signDetached(keyA, ARCHIVE, new Date("2026-12-01T00:00:00Z"));
    expect(await errorOf(verifyArchiveSignature(input({ signature: bytes(sig) })))).toBe(
      `${FILE}: the signature does not verify against the Go signing key ${keyA.primary} (Signature creation time is in the future); the archive or its .asc is not what Go published`,
    );
  });

  test.each([
    ["an empty file", ""],
    ["plain text", "this is not a signature\n"],
    ["an HTML error page", "<html><body>404 Not Found</body></html>\n"],
  ])(".asc that is %s is not an OpenPGP signature", async (_what, text) => {
    expect(await errorOf(verifyArchiveSignature(input({ signature: bytes(text) })))).toMatch(new RegExp(`^${FILE.replace(/\./g, "\\.")}\\.asc is not an OpenPGP signature \\(.+\\); the mirror must serve go\\.dev's \\.asc file beside the archive$`));
  });

  test(".asc that is a public key, not a signature, is refused", async () => {
    expect(await errorOf(verifyArchiveSignature(input({ signature: bytes(keyA.publicArmored) })))).toMatch(/^go1\.26\.7\.linux-amd64\.tar\.gz\.asc is not an OpenPGP signature \(.+\); the mirror must serve go\.dev's \.asc file beside the archive$/);
  });

  test("a text-mode signature (type 1) is not an archive signature", async () => {
    const sig = (await openpgp.sign({ message: await openpgp.createMessage({ text: "x" }), signingKeys: keyA.privateKey, detached: true, date: new Date("2026-02-03T04:05:06Z") })) as string;
    expect(await errorOf(verifyArchiveSignature(input({ signature: bytes(sig) })))).toBe(`${FILE}.asc is a signature of type 1, not a signature over a binary document; it is not an archive signature`);
  });

  test("two signatures in one .asc are refused", async () => {
    const both = (await openpgp.sign({ message: await openpgp.createMessage({ binary: ARCHIVE }), signingKeys: [keyA.privateKey, keyB.privateKey], detached: true, date: new Date("2026-02-03T04:05:06Z") })) as string;
    expect(await errorOf(verifyArchiveSignature(input({ signature: bytes(both) })))).toBe(`${FILE}.asc holds 2 signatures; go.dev publishes exactly one per archive`);
  });

  test.each([
    ["another primary", async () => keyB.publicArmored, () => `the trusted key's primary fingerprint is ${keyB.primary}, not the pinned ${keyA.primary}; restore the vendored Go signing key`],
    ["two keys", async () => bothKeys(), () => `the trusted key file holds 2 keys; it must hold exactly one, the Go signing key ${keyA.primary}`],
    ["a private key", async () => keyA.privateKey.armor(), () => "the trusted key file holds a private key; it must hold only the public Go signing key"],
  ])("a trusted key file with %s is refused", async (_what, key, message) => {
    const sig = await signDetached(keyA, ARCHIVE);
    expect(await errorOf(verifyArchiveSignature(input({ signature: bytes(sig), trustedKey: (await key()) as string })))).toBe(message());
  });

  test("a trusted key file that is not a key is refused with the way to restore it", async () => {
    expect(await errorOf(readTrustedKey("not a key", keyA.primary))).toMatch(/^the trusted key is not an OpenPGP public key \(.+\); restore components\/build-image\/go-signing-key\.asc from https:\/\/dl\.google\.com\/linux\/linux_signing_key\.pub$/);
  });

  test("property: arbitrary bytes as .asc never verify and always fail as a SignatureError", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (junk) => {
        await expect(verifyArchiveSignature(input({ signature: junk }))).rejects.toBeInstanceOf(SignatureError);
      }),
      { numRuns: 60 },
    );
  });

  test("utcSeconds drops the milliseconds", () => {
    expect(utcSeconds(new Date("2026-11-22T06:41:27.999Z"))).toBe("2026-11-22T06:41:27Z");
  });
});

(hasGpg ? describe : describe.skip)("an expired signing subkey (key made with GnuPG's faked clock)", () => {
  let dir: string;
  let c: ReturnType<typeof gpgExpiredSubkeyCase>;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-sigexp-"));
    c = gpgExpiredSubkeyCase(dir, ARCHIVE);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("a signature made while the subkey was valid still verifies after it expired (as old Go archives must)", async () => {
    expect(await verifyArchiveSignature(input({ signature: bytes(c.early), trustedKey: c.publicArmored, primaryFingerprint: c.primary }))).toEqual({
      verified: true,
      subkey: c.subkey,
      signedAt: utcSeconds(new Date((c.t0 + 60) * 1000)),
      checkedAt: "2026-11-22T06:41:27Z",
    });
  });

  test("a signature made after the subkey expired is refused", async () => {
    expect(await errorOf(verifyArchiveSignature(input({ signature: bytes(c.late), trustedKey: c.publicArmored, primaryFingerprint: c.primary })))).toBe(
      `${FILE}: the signature does not verify against the Go signing key ${c.primary} (Could not find valid signing key packet in key ${c.primary.slice(-16).toLowerCase()}: Subkey is expired); the archive or its .asc is not what Go published`,
    );
  });
});
