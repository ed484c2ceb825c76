// `--verify-signature` and `lock verify --strict` with archives served on 127.0.0.1. The CLI itself
// trusts only the vendored Go key, so a throwaway-key signature is refused end to end through
// `goguard`; the recording path is driven with a throwaway key through the same command code
// (registerLock with its key dependency), since no real Go .asc exists offline.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { registerLock, strictProblems } from "../../cli/commands/lock";
import { checkArchiveSignatures, SignatureCheckOptions } from "../../cli/lock-signature";
import { parseLock, ToolchainLock } from "../../components/toolchain/lock";
import { serializeIndex } from "../../components/toolchain/catalog";
import { indexWithout, realRelease, tempDir } from "../helpers/catalog-fixtures";
import { runCli } from "../helpers/cli";
import { startServer, TestServer } from "../helpers/http";
import { makeTestKey, signDetached, TestKey } from "../helpers/signing";

const SHIPPED_LOCK = path.join(__dirname, "../../stacks/toolchain.lock.json");
const NOW = new Date("2026-11-22T06:41:27Z");

/** Test archives named as Go's, with a catalog whose checksums are theirs (nothing real is claimed for them). */
const FILES: Record<string, Buffer> = {
  "go1.26.7.linux-amd64.tar.gz": Buffer.from("test archive amd64\n".repeat(500)),
  "go1.26.7.linux-arm64.tar.gz": Buffer.from("test archive arm64\n".repeat(500)),
};
const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

let key: TestKey;
let other: TestKey;
let server: TestServer;
const served: Record<string, { status: number; body: Buffer | string; headers?: Record<string, string> }> = {};
let dir: string;
let lockFile: string;
let catalogFile: string;

beforeAll(async () => {
  key = await makeTestKey("GoGuard Test Signer");
  other = await makeTestKey("GoGuard Other Signer");
  server = await startServer((req, res) => {
    const name = (req.url ?? "").replace(/^\/go\//, "");
    const s = served[name];
    if (!s) {
      res.writeHead(404);
      res.end("not found");
      return;
    }
    res.writeHead(s.status, s.headers ?? {});
    res.end(s.body);
  });
});
afterAll(() => server.close());

beforeEach(async () => {
  dir = tempDir("locksig");
  lockFile = path.join(dir, "toolchain.lock.json");
  catalogFile = path.join(dir, "catalog.json");
  // A catalog whose 1.26.7 linux archives are the test files (the real release with those two checksums replaced).
  const r = realRelease("1.26.7");
  const files = r.files.map((f) => (FILES[f.filename] ? { ...f, sha256: sha(FILES[f.filename]) } : f));
  fs.writeFileSync(catalogFile, serializeIndex([...indexWithout("1.26.7"), { ...r, files }]));
  const lock = JSON.parse(fs.readFileSync(SHIPPED_LOCK, "utf8"));
  for (const e of ["dev", "staging", "prod"]) for (const [f, b] of Object.entries(FILES)) lock.environments[e].versions["1.26.7"][f.includes("amd64") ? "linux/amd64" : "linux/arm64"].sha256 = sha(b);
  fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2) + "\n");
  for (const k of Object.keys(served)) delete served[k];
  for (const [f, b] of Object.entries(FILES)) {
    served[f] = { status: 200, body: b };
    served[`${f}.asc`] = { status: 200, body: await signDetached(key, b, new Date("2026-10-01T12:00:00Z")) };
  }
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const opts = (over: Partial<SignatureCheckOptions> = {}): SignatureCheckOptions => ({ mirror: `${server.url}/go/`, timeoutMs: 5000, trustedKey: key.publicArmored, primaryFingerprint: key.primary, now: () => NOW, ...over });

/** The lock commands with a throwaway trusted key, as main() registers them (errors propagate as exceptions). */
async function runWithKey(...argv: string[]): Promise<string> {
  let out = "";
  const program = new Command("goguard").exitOverride();
  registerLock(program, { out: (t) => (out += t), err: (t) => (out += t) }, () => undefined, { signatureOptions: (mirror, timeoutMs, log) => ({ ...opts({ mirror, timeoutMs }), log }) });
  await program.parseAsync(argv, { from: "user" });
  return out;
}

const readLock = (): ToolchainLock => parseLock(JSON.parse(fs.readFileSync(lockFile, "utf8")));

describe("checkArchiveSignatures (downloads through the bounded HTTP reader)", () => {
  const archives = () => Object.entries(FILES).map(([filename, b]) => ({ version: "1.26.7", platform: filename.includes("amd64") ? "linux/amd64" : "linux/arm64", filename, sha256: sha(b) }));

  test("both archives verify; each record names the subkey and both times", async () => {
    const checked = await checkArchiveSignatures(archives(), opts());
    expect(checked.map((c) => [c.platform, c.record])).toEqual([
      ["linux/amd64", { verified: true, subkey: key.subkey, signedAt: "2026-10-01T12:00:00Z", checkedAt: "2026-11-22T06:41:27Z" }],
      ["linux/arm64", { verified: true, subkey: key.subkey, signedAt: "2026-10-01T12:00:00Z", checkedAt: "2026-11-22T06:41:27Z" }],
    ]);
  });

  test("every failure is listed: a missing .asc (404), a wrong key, and nothing is returned", async () => {
    delete served["go1.26.7.linux-amd64.tar.gz.asc"];
    served["go1.26.7.linux-arm64.tar.gz.asc"] = { status: 200, body: await signDetached(other, FILES["go1.26.7.linux-arm64.tar.gz"]) };
    await expect(checkArchiveSignatures(archives(), opts())).rejects.toThrow(
      "2 archive signature(s) could not be verified; nothing was changed:\n" +
        `  1.26.7 linux/amd64: ${server.url}/go/go1.26.7.linux-amd64.tar.gz.asc answered 404 Not Found; check --mirror (it must serve the archive and its .asc side by side)\n` +
        `  1.26.7 linux/arm64: go1.26.7.linux-arm64.tar.gz.asc was made by key ${other.subkey.slice(-16)}, which is not the Go signing key ${key.primary} nor one of its subkeys; if Google added a subkey, refresh the vendored key (components/build-image/go-signing-key.asc)`,
    );
  });

  test("an oversize .asc is refused by its size limit", async () => {
    served["go1.26.7.linux-amd64.tar.gz.asc"] = { status: 200, body: Buffer.alloc(70 * 1024, 0x41) };
    await expect(checkArchiveSignatures(archives().slice(0, 1), opts())).rejects.toThrow(
      `1 archive signature(s) could not be verified; nothing was changed:\n  1.26.7 linux/amd64: ${server.url}/go/go1.26.7.linux-amd64.tar.gz.asc sent more than 65536 bytes, more than any valid answer; refusing it (check the URL)`,
    );
  });

  test("an oversize archive is refused by its size limit", async () => {
    await expect(checkArchiveSignatures(archives().slice(0, 1), opts({ maxArchiveBytes: 1000 }))).rejects.toThrow(
      `1 archive signature(s) could not be verified; nothing was changed:\n  1.26.7 linux/amd64: ${server.url}/go/go1.26.7.linux-amd64.tar.gz sent more than 1000 bytes, more than any valid answer; refusing it (check the URL)`,
    );
  });

  test("a mirror serving other bytes fails on the checksum before the signature", async () => {
    served["go1.26.7.linux-amd64.tar.gz"] = { status: 200, body: Buffer.from("other") };
    await expect(checkArchiveSignatures(archives().slice(0, 1), opts())).rejects.toThrow(
      `  1.26.7 linux/amd64: go1.26.7.linux-amd64.tar.gz: the downloaded archive has sha256 ${sha(Buffer.from("other"))}, but the lock holds ${sha(FILES["go1.26.7.linux-amd64.tar.gz"])}; the mirror serves other bytes (check --mirror), nothing was recorded`,
    );
  });
});

describe("lock allow/promote --verify-signature (the command code, throwaway key)", () => {
  test("lock show and --json give each archive's signature record, or say there is none", async () => {
    await runWithKey("lock", "promote", "staging", "prod", "--verify-signature", "--mirror", `${server.url}/go/`, "--reason", "record signatures for prod", "--lock", lockFile, "--catalog", catalogFile);
    const lock = readLock();
    const text = await runCli("lock", "show", "--lock", lockFile);
    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n");
    const prod = lines.slice(lines.findIndex((l) => l.startsWith("prod:")) + 1, lines.findIndex((l) => l.startsWith("prod:")) + 3);
    const staging = lines.slice(lines.findIndex((l) => l.startsWith("staging:")) + 1, lines.findIndex((l) => l.startsWith("staging:")) + 3);
    const line = (env: "staging" | "prod", p: string, tail: string) => {
      const a = lock.environments[env].versions["1.26.7"][p];
      return `  1.26.7 ${p.padEnd(12)} ${a.sha256}  ${a.filename}  ${tail}`;
    };
    const signed = `signature verified 2026-11-22T06:41:27Z (signed 2026-10-01T12:00:00Z by ${key.subkey})`;
    expect(prod).toEqual([line("prod", "linux/amd64", signed), line("prod", "linux/arm64", signed)]);
    expect(staging).toEqual([line("staging", "linux/amd64", "no signature record"), line("staging", "linux/arm64", "no signature record")]);
    const json = JSON.parse((await runCli("lock", "show", "--json", "--lock", lockFile)).stdout);
    expect(json.environments.prod.versions["1.26.7"]["linux/amd64"].signature).toEqual({ verified: true, subkey: key.subkey, signedAt: "2026-10-01T12:00:00Z", checkedAt: "2026-11-22T06:41:27Z" });
    expect(json.environments.staging.versions["1.26.7"]["linux/amd64"].signature).toBeNull();
  });

  test("promote to prod records a verified signature per archive, and the history entry shows them", async () => {
    const out = await runWithKey("lock", "promote", "staging", "prod", "--verify-signature", "--mirror", `${server.url}/go/`, "--reason", "record signatures for prod", "--lock", lockFile, "--catalog", catalogFile);
    expect(out).toBe(
      `signature of go1.26.7.linux-amd64.tar.gz verified: signed 2026-10-01T12:00:00Z by ${key.subkey}\n` +
        `signature of go1.26.7.linux-arm64.tar.gz verified: signed 2026-10-01T12:00:00Z by ${key.subkey}\n` +
        "prod now runs 1.26.7 (allows 1.26.7); 2 signature(s) verified and recorded\n",
    );
    const prod = readLock().environments.prod.versions["1.26.7"];
    expect(prod["linux/amd64"].signature).toEqual({ verified: true, subkey: key.subkey, signedAt: "2026-10-01T12:00:00Z", checkedAt: "2026-11-22T06:41:27Z" });
    expect(strictProblems(readLock())).toEqual([
      "image docker.io/gomods/athens:v0.18.1: unresolved (no published digest reachable offline); resolve it from the registry on a networked machine with `goguard lock resolve-images --image docker.io/gomods/athens:v0.18.1`",
    ]);
    const [entry] = fs.readFileSync(path.join(dir, "toolchain.history.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect([entry.environment, entry.command, entry.reason, entry.before.versions["1.26.7"]["linux/amd64"].signature, entry.after.versions["1.26.7"]["linux/amd64"].signature.subkey]).toEqual([
      "prod",
      "lock promote staging prod --version 1.26.7 --verify-signature",
      "record signatures for prod",
      undefined,
      key.subkey,
    ]);
  });

  test("a record survives re-locking the same bytes (platforms, promote) and is carried from staging to prod", async () => {
    await runWithKey("lock", "allow", "staging", "1.26.7", "--verify-signature", "--mirror", `${server.url}/go/`, "--reason", "record staging signatures", "--lock", lockFile, "--catalog", catalogFile);
    expect(readLock().environments.staging.versions["1.26.7"]["linux/arm64"].signature?.subkey).toBe(key.subkey);
    // No --verify-signature: prod takes the records staging holds for the very same archives.
    await runWithKey("lock", "promote", "staging", "prod", "--reason", "promote with staging's records", "--lock", lockFile, "--catalog", catalogFile);
    expect(readLock().environments.prod.versions["1.26.7"]["linux/amd64"].signature?.subkey).toBe(key.subkey);
    await runWithKey("lock", "platforms", "staging", "linux/amd64", "--reason", "drop arm64 for now", "--lock", lockFile, "--catalog", catalogFile);
    expect(readLock().environments.staging.versions["1.26.7"]).toEqual({ "linux/amd64": { filename: "go1.26.7.linux-amd64.tar.gz", sha256: sha(FILES["go1.26.7.linux-amd64.tar.gz"]), signature: expect.objectContaining({ subkey: key.subkey }) } });
  });

  test("a failed verification changes nothing: no lock change, no history line", async () => {
    served["go1.26.7.linux-arm64.tar.gz.asc"] = { status: 200, body: "junk" };
    const before = fs.readFileSync(lockFile);
    await expect(runWithKey("lock", "promote", "staging", "prod", "--verify-signature", "--mirror", `${server.url}/go/`, "--reason", "record signatures for prod", "--lock", lockFile, "--catalog", catalogFile)).rejects.toThrow(/^1 archive signature\(s\) could not be verified; nothing was changed:\n  1\.26\.7 linux\/arm64: go1\.26\.7\.linux-arm64\.tar\.gz\.asc is not an OpenPGP signature/);
    expect(fs.readFileSync(lockFile).equals(before)).toBe(true);
    expect(fs.existsSync(path.join(dir, "toolchain.history.jsonl"))).toBe(false);
  });
});

describe("lock rollback re-verifies the signature records of the state it restores", () => {
  /** prod: 1.26.7 with records (verified), then 1.27.0 without: the history holds both. */
  async function history(): Promise<void> {
    await runWithKey("lock", "promote", "staging", "prod", "--verify-signature", "--mirror", `${server.url}/go/`, "--reason", "record signatures for prod", "--lock", lockFile, "--catalog", catalogFile);
    await runWithKey("lock", "promote", "dev", "staging", "--version", "1.27.0", "--reason", "candidate 1.27.0", "--lock", lockFile, "--catalog", catalogFile);
    await runWithKey("lock", "promote", "staging", "prod", "--reason", "release 1.27.0", "--lock", lockFile, "--catalog", catalogFile);
  }

  test("the records are checked again (downloaded anew) and refreshed; the entry is appended", async () => {
    await history();
    const out = await runWithKey("lock", "rollback", "prod", "--mirror", `${server.url}/go/`, "--reason", "1.27.0 breaks svc-a", "--lock", lockFile, "--catalog", catalogFile);
    expect(out).toBe(
      `signature of go1.26.7.linux-amd64.tar.gz verified: signed 2026-10-01T12:00:00Z by ${key.subkey}\n` +
        `signature of go1.26.7.linux-arm64.tar.gz verified: signed 2026-10-01T12:00:00Z by ${key.subkey}\n` +
        "prod rolled back to 1.26.7 (allows 1.26.7; linux/amd64, linux/arm64) (history line 3); 2 signature(s) verified again\n",
    );
    expect(readLock().environments.prod.versions["1.26.7"]["linux/arm64"].signature).toEqual({ verified: true, subkey: key.subkey, signedAt: "2026-10-01T12:00:00Z", checkedAt: "2026-11-22T06:41:27Z" });
    expect(fs.readFileSync(path.join(dir, "toolchain.history.jsonl"), "utf8").trim().split("\n")).toHaveLength(4);
  });

  test("a recorded signature that no longer verifies stops the rollback; nothing changes", async () => {
    await history();
    served["go1.26.7.linux-amd64.tar.gz.asc"] = { status: 200, body: await signDetached(other, FILES["go1.26.7.linux-amd64.tar.gz"]) };
    const before = fs.readFileSync(lockFile);
    await expect(runWithKey("lock", "rollback", "prod", "--mirror", `${server.url}/go/`, "--reason", "1.27.0 breaks svc-a", "--lock", lockFile, "--catalog", catalogFile)).rejects.toThrow(
      `1 archive signature(s) could not be verified; nothing was changed:\n  1.26.7 linux/amd64: go1.26.7.linux-amd64.tar.gz.asc was made by key ${other.subkey.slice(-16)}, which is not the Go signing key ${key.primary} nor one of its subkeys; if Google added a subkey, refresh the vendored key (components/build-image/go-signing-key.asc)`,
    );
    expect(fs.readFileSync(lockFile).equals(before)).toBe(true);
  });
});

describe("through goguard itself (the vendored key only)", () => {
  test("a signature by any other key is refused, exit 1, nothing written", async () => {
    const before = fs.readFileSync(lockFile);
    const r = await runCli("lock", "promote", "staging", "prod", "--verify-signature", "--mirror", `${server.url}/go/`, "--reason", "record signatures for prod", "--lock", lockFile, "--catalog", catalogFile);
    const refusal = (f: string) => `  1.26.7 ${f.includes("amd64") ? "linux/amd64" : "linux/arm64"}: ${f}.asc was made by key ${key.subkey.slice(-16)}, which is not the Go signing key EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796 nor one of its subkeys; if Google added a subkey, refresh the vendored key (components/build-image/go-signing-key.asc)`;
    expect(r).toEqual({ code: 1, stdout: "", stderr: `goguard: 2 archive signature(s) could not be verified; nothing was changed:\n${Object.keys(FILES).map(refusal).join("\n")}\n` });
    expect(fs.readFileSync(lockFile).equals(before)).toBe(true);
  });

  test.each([
    ["ftp://mirror.example/go/", 'goguard: --mirror "ftp://mirror.example/go/" must be an http(s) URL ending in "/" without query, such as https://dl.google.com/go/\n'],
    ["https://dl.google.com/go", 'goguard: --mirror "https://dl.google.com/go" must be an http(s) URL ending in "/" without query, such as https://dl.google.com/go/\n'],
    ["not a url", 'goguard: --mirror "not a url" is not a URL; give the base the archives are under, such as https://dl.google.com/go/\n'],
  ])("--mirror %s is a usage error", async (mirror, stderr) => {
    expect(await runCli("lock", "allow", "dev", "1.26.7", "--verify-signature", "--mirror", mirror, "--lock", lockFile, "--catalog", catalogFile)).toEqual({ code: 2, stdout: "", stderr });
  });
});

describe("lock verify --strict", () => {
  test("the shipped lock fails it: no prod signature record (none can be fetched offline) and the unresolved Athens image", async () => {
    const r = await runCli("lock", "verify", "--strict");
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "goguard: the lock does not pass the strict check in 3 place(s):\n" +
        '  prod 1.26.7 linux/amd64: go1.26.7.linux-amd64.tar.gz has no verified signature record; record one with `goguard lock promote staging prod --version 1.26.7 --verify-signature --reason "<why>"` on a networked machine\n' +
        '  prod 1.26.7 linux/arm64: go1.26.7.linux-arm64.tar.gz has no verified signature record; record one with `goguard lock promote staging prod --version 1.26.7 --verify-signature --reason "<why>"` on a networked machine\n' +
        "  image docker.io/gomods/athens:v0.18.1: unresolved (no published digest reachable offline); resolve it from the registry on a networked machine with `goguard lock resolve-images --image docker.io/gomods/athens:v0.18.1`\n",
    });
  });

  test("passes once every prod archive has a record and every image a digest; a checksum mismatch still fails it", async () => {
    await runWithKey("lock", "promote", "staging", "prod", "--verify-signature", "--mirror", `${server.url}/go/`, "--reason", "record signatures for prod", "--lock", lockFile, "--catalog", catalogFile);
    const lock = JSON.parse(fs.readFileSync(lockFile, "utf8"));
    lock.images["docker.io/gomods/athens:v0.18.1"] = { state: "resolved", digest: `sha256:${"ab".repeat(32)}`, source: "test digest (not a real image)" };
    fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2));
    expect(await runCli("lock", "verify", "--strict", "--lock", lockFile, "--catalog", catalogFile)).toEqual({
      code: 0,
      stdout: "lock verified: 8 archive checksum(s) equal the catalog's\nstrict: 2 prod archive signature record(s) present; every image has a digest\n",
      stderr: "",
    });
    // Without the test catalog the locked (test) checksums disagree with the real ones.
    expect((await runCli("lock", "verify", "--strict", "--lock", lockFile)).stderr).toMatch(/^goguard: the lock does not pass the strict check in 6 place\(s\):\n  dev 1\.26\.7 linux\/amd64: go1\.26\.7\.linux-amd64\.tar\.gz: locked sha256 /);
  });
});
