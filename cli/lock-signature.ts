// `--verify-signature`: downloads each locked archive and its `.asc` (bounded, through http.ts) and
// verifies them with components/toolchain/signature.ts against the vendored Go signing key. The
// network runs before the lock's file lock is taken; the edit then records what was verified.
import * as fs from "fs";
import * as path from "path";
import { SignatureRecord } from "../components/toolchain/lock";
import { GO_SIGNING_PRIMARY, verifyArchiveSignature, SignatureError } from "../components/toolchain/signature";
import { PROJECT_ROOT, UsageError } from "./files";
import { fetchLimited, HttpError } from "./http";
import { CommandFailure } from "./io";

/** Where go.dev's archives and their `.asc` files are published. */
export const DEFAULT_ARCHIVE_MIRROR = "https://dl.google.com/go/";
/** The only key the host trusts (the same file the builder image verifies with). */
export const VENDORED_KEY_FILE = path.join(PROJECT_ROOT, "components", "build-image", "go-signing-key.asc");
/** Go's Linux archives are 60–80 MB; 512 MiB leaves room and still stops a runaway body. */
export const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024;
/** A detached armored signature is well under 1 KiB; 64 KiB refuses anything else. */
export const MAX_SIGNATURE_BYTES = 64 * 1024;

export interface SignatureCheckOptions {
  /** Base URL ending in "/"; `<mirror><filename>` and `<mirror><filename>.asc` are fetched. */
  readonly mirror: string;
  /** Whole exchange per file. */
  readonly timeoutMs: number;
  /** The armored trusted key: the vendored file's text in every command. */
  readonly trustedKey: string;
  readonly primaryFingerprint: string;
  readonly now: () => Date;
  readonly maxArchiveBytes?: number;
  readonly maxSignatureBytes?: number;
  /** Progress lines (stderr). */
  readonly log?: (line: string) => void;
}

export interface ArchiveToCheck {
  readonly version: string;
  readonly platform: string;
  readonly filename: string;
  readonly sha256: string;
}

export interface CheckedArchive extends ArchiveToCheck {
  readonly record: SignatureRecord;
}

/** The mirror option as a base URL, or a usage error naming the flag. */
export function checkMirror(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`--mirror ${JSON.stringify(text)} is not a URL; give the base the archives are under, such as ${DEFAULT_ARCHIVE_MIRROR}`);
  }
  if ((u.protocol !== "https:" && u.protocol !== "http:") || !text.endsWith("/") || u.search !== "" || u.hash !== "") {
    throw new UsageError(`--mirror ${JSON.stringify(text)} must be an http(s) URL ending in "/" without query, such as ${DEFAULT_ARCHIVE_MIRROR}`);
  }
  return text;
}

export function vendoredKey(): string {
  return fs.readFileSync(VENDORED_KEY_FILE, "utf8");
}

/** The options every command uses: the vendored key, the real clock. */
export function vendoredKeyOptions(mirror: string, timeoutMs: number, log?: (line: string) => void): SignatureCheckOptions {
  return { mirror: checkMirror(mirror), timeoutMs, trustedKey: vendoredKey(), primaryFingerprint: GO_SIGNING_PRIMARY, now: () => new Date(), log };
}

async function download(url: string, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const res = await fetchLimited(url, { maxBytes, timeoutMs });
  if (!res.ok) throw new HttpError(`${url} answered ${res.status} ${res.statusText}; check --mirror (it must serve the archive and its .asc side by side)`);
  return res.body;
}

/**
 * Downloads and verifies every archive; returns their records, or throws CommandFailure listing
 * each archive that failed and why (nothing is recorded then).
 */
export async function checkArchiveSignatures(archives: readonly ArchiveToCheck[], opts: SignatureCheckOptions): Promise<CheckedArchive[]> {
  const out: CheckedArchive[] = [];
  const failures: string[] = [];
  for (const a of archives) {
    const url = `${opts.mirror}${a.filename}`;
    try {
      const archive = await download(url, opts.maxArchiveBytes ?? MAX_ARCHIVE_BYTES, opts.timeoutMs);
      const signature = await download(`${url}.asc`, opts.maxSignatureBytes ?? MAX_SIGNATURE_BYTES, opts.timeoutMs);
      const record = await verifyArchiveSignature({ filename: a.filename, archive, signature, expectedSha256: a.sha256, trustedKey: opts.trustedKey, primaryFingerprint: opts.primaryFingerprint, now: opts.now() });
      opts.log?.(`signature of ${a.filename} verified: signed ${record.signedAt} by ${record.subkey}\n`);
      out.push({ ...a, record });
    } catch (err) {
      if (err instanceof HttpError || err instanceof SignatureError) failures.push(`${a.version} ${a.platform}: ${err.message}`);
      else throw err;
    }
  }
  if (failures.length > 0) throw new CommandFailure(`${failures.length} archive signature(s) could not be verified; nothing was changed:\n  ${failures.join("\n  ")}`);
  return out;
}
