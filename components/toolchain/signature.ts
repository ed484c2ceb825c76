// Host-side verification of a Go archive's detached signature (pure: no file system, no network,
// no clock; the caller passes the bytes, the trusted key's text and the time of the check).
//
// What "verified" means here, and why each step exists:
// 1. the archive's sha256 equals the lock's: the signature is about these bytes, and the lock is
//    what the builder will check, so both must name the same file;
// 2. the trusted key is exactly one public key whose primary fingerprint is the pinned one: a key
//    file holding another key (or several) would let that key's signatures count;
// 3. the `.asc` holds exactly one signature over binary data;
// 4. OpenPGP.js verifies it against that key alone; it checks the signature was made while the
//    signing (sub)key was valid (Go's subkeys rotate and expire, old archives stay valid) and not
//    after the time of the check;
// 5. the key that signed is the primary or one of its subkeys; its fingerprint is recorded.
import { createHash } from "crypto";
import type * as openpgp from "openpgp";

// OpenPGP.js is loaded when a signature is first checked: loading it costs every goguard command
// ~25 ms otherwise, and only `--verify-signature` uses it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pgp = (): typeof import("openpgp") => require("openpgp");
import { SignatureRecord } from "./lock";

/** Go's release signing key (primary): gpg's VALIDSIG ends with it whichever subkey signed. */
export const GO_SIGNING_PRIMARY = "EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796";

export class SignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignatureError";
  }
}

export interface ArchiveSignatureInput {
  /** The archive's file name (for messages). */
  readonly filename: string;
  readonly archive: Uint8Array;
  /** The detached signature as downloaded (armored `.asc`, or binary). */
  readonly signature: Uint8Array;
  /** The sha256 the lock holds for this archive. */
  readonly expectedSha256: string;
  /** The trusted public key, armored (the vendored Go signing key in production). */
  readonly trustedKey: string;
  /** Fingerprint of the trusted key's primary (40 uppercase hex). */
  readonly primaryFingerprint: string;
  /** The time of the check: a signature made later is refused; recorded as checkedAt. */
  readonly now: Date;
}

/** `2026-11-22T06:41:27Z`: the lock's time format (seconds, UTC). */
export function utcSeconds(d: Date): string {
  return d.toISOString().replace(/\.[0-9]{3}Z$/, "Z");
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads the trusted key, refusing anything but one public key with the pinned primary. */
export async function readTrustedKey(armored: string, primaryFingerprint: string): Promise<openpgp.PublicKey> {
  let keys: openpgp.Key[];
  try {
    keys = await pgp().readKeys({ armoredKeys: armored });
  } catch (err) {
    throw new SignatureError(`the trusted key is not an OpenPGP public key (${(err as Error).message}); restore components/build-image/go-signing-key.asc from https://dl.google.com/linux/linux_signing_key.pub`);
  }
  if (keys.length !== 1) throw new SignatureError(`the trusted key file holds ${keys.length} keys; it must hold exactly one, the Go signing key ${primaryFingerprint}`);
  const key = keys[0];
  if (key.isPrivate()) throw new SignatureError("the trusted key file holds a private key; it must hold only the public Go signing key");
  const fpr = key.getFingerprint().toUpperCase();
  if (fpr !== primaryFingerprint) throw new SignatureError(`the trusted key's primary fingerprint is ${fpr}, not the pinned ${primaryFingerprint}; restore the vendored Go signing key`);
  return key as openpgp.PublicKey;
}

async function readDetached(filename: string, bytes: Uint8Array): Promise<openpgp.Signature> {
  const text = Buffer.from(bytes).toString("latin1");
  const armored = /^\s*-----BEGIN PGP SIGNATURE-----/.test(text);
  try {
    return armored ? await pgp().readSignature({ armoredSignature: text }) : await pgp().readSignature({ binarySignature: bytes });
  } catch (err) {
    throw new SignatureError(`${filename}.asc is not an OpenPGP signature (${(err as Error).message.split("\n")[0]}); the mirror must serve go.dev's .asc file beside the archive`);
  }
}

/**
 * Verifies one archive's detached signature; returns the record the lock keeps, or throws
 * SignatureError saying what failed and what to do.
 */
export async function verifyArchiveSignature(input: ArchiveSignatureInput): Promise<SignatureRecord> {
  const got = sha256Hex(input.archive);
  if (got !== input.expectedSha256) {
    throw new SignatureError(`${input.filename}: the downloaded archive has sha256 ${got}, but the lock holds ${input.expectedSha256}; the mirror serves other bytes (check --mirror), nothing was recorded`);
  }
  const key = await readTrustedKey(input.trustedKey, input.primaryFingerprint);
  const signature = await readDetached(input.filename, input.signature);
  const packets = signature.packets;
  if (packets.length !== 1) throw new SignatureError(`${input.filename}.asc holds ${packets.length} signatures; go.dev publishes exactly one per archive`);
  const packet = packets[0];
  if (packet.signatureType !== pgp().enums.signature.binary) {
    throw new SignatureError(`${input.filename}.asc is a signature of type ${packet.signatureType}, not a signature over a binary document; it is not an archive signature`);
  }
  const issuer = packet.issuerKeyID;
  const signer = key.getKeys(issuer)[0];
  if (!signer) {
    throw new SignatureError(`${input.filename}.asc was made by key ${issuer.toHex().toUpperCase()}, which is not the Go signing key ${input.primaryFingerprint} nor one of its subkeys; if Google added a subkey, refresh the vendored key (components/build-image/go-signing-key.asc)`);
  }
  const result = await pgp().verify({
    message: await pgp().createMessage({ binary: input.archive }),
    signature,
    verificationKeys: key,
    date: input.now,
    format: "binary",
  });
  try {
    await result.signatures[0].verified;
  } catch (err) {
    const why = (err as Error).message.replace(/^Error verifying signature: /, "");
    throw new SignatureError(`${input.filename}: the signature does not verify against the Go signing key ${input.primaryFingerprint} (${why}); the archive or its .asc is not what Go published`);
  }
  const created = packet.created;
  if (!(created instanceof Date) || Number.isNaN(created.getTime())) throw new SignatureError(`${input.filename}.asc carries no creation time; it is not a valid signature`);
  return { verified: true, subkey: signer.getFingerprint().toUpperCase(), signedAt: utcSeconds(created), checkedAt: utcSeconds(input.now) };
}
