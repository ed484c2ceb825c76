// Throwaway OpenPGP keys for the signature tests: made at test time (never a key of anyone), shaped
// like Go's (a primary plus a signing subkey), with OpenPGP.js or with GnuPG when a case needs
// what only gpg can make here (a subkey whose expiry is set after a signature was made).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as openpgp from "openpgp";

export interface TestKey {
  readonly privateKey: openpgp.PrivateKey;
  readonly publicArmored: string;
  readonly primary: string;
  readonly subkey: string;
}

/** A primary (certify, sign) with one signing subkey, both made at `date`. */
export async function makeTestKey(name: string, date = new Date("2026-01-02T03:04:05Z")): Promise<TestKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name, email: `${name.toLowerCase().replace(/[^a-z]/g, "")}@goguard.invalid` }], subkeys: [{ sign: true }], date, format: "object" });
  return {
    privateKey,
    publicArmored: publicKey.armor(),
    primary: privateKey.getFingerprint().toUpperCase(),
    subkey: privateKey.subkeys[0].getFingerprint().toUpperCase(),
  };
}

/** A detached armored signature of `data` by the key's signing subkey, made at `date`. */
export async function signDetached(key: TestKey, data: Uint8Array, date = new Date("2026-02-03T04:05:06Z")): Promise<string> {
  return openpgp.sign({ message: await openpgp.createMessage({ binary: data }), signingKeys: key.privateKey, detached: true, date, format: "armored" }) as Promise<string>;
}

export const hasGpg = spawnSync("gpg", ["--version"]).status === 0;

/**
 * With GnuPG's faked clock: a key made at t0 whose signing subkey's binding, re-made at t0+10 s,
 * expires at t0+3610 s; `early` was signed at t0+60 s (subkey valid), `late` at t0+7200 s (made
 * before the expiry was set, so gpg signed it; by the published key it was made by an expired subkey).
 */
export function gpgExpiredSubkeyCase(dir: string, data: Uint8Array): { publicArmored: string; primary: string; subkey: string; early: string; late: string; t0: number } {
  const home = path.join(dir, "gnupg-expiry");
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const t0 = 1767225600; // 2026-01-01T00:00:00Z
  const gpg = (at: number, ...args: string[]): string => {
    const r = spawnSync("gpg", ["--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--faked-system-time", `${at}!`, ...args], { encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) throw new Error(`gpg ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  const uid = "GoGuard expiry test <expiry@goguard.invalid>";
  gpg(t0, "--quick-gen-key", uid, "ed25519", "cert", "never");
  const primary = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(t0, "--with-colons", "--list-keys", uid))![1];
  gpg(t0, "--quick-add-key", primary, "ed25519", "sign", "never");
  const subkey = [...gpg(t0, "--with-colons", "--list-keys", uid).matchAll(/^fpr:+([0-9A-F]{40}):/gm)].map((m) => m[1]).find((f) => f !== primary)!;
  const file = path.join(dir, "expiry-data.bin");
  fs.writeFileSync(file, data);
  const sign = (at: number, out: string): string => {
    gpg(at, "--local-user", `${subkey}!`, "--armor", "--output", path.join(dir, out), "--detach-sign", file);
    return fs.readFileSync(path.join(dir, out), "utf8");
  };
  const late = sign(t0 + 7200, "late.asc");
  gpg(t0 + 10, "--quick-set-expire", primary, "seconds=3600", subkey);
  const early = sign(t0 + 60, "early.asc");
  const publicArmored = gpg(t0 + 60, "--armor", "--export", primary);
  // gpg started an agent for this home; stop it so no process outlives the test.
  spawnSync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"], { timeout: 10_000 });
  return { publicArmored, primary, subkey, early, late, t0 };
}
