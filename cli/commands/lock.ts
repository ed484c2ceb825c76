// goguard lock: pin, promote, verify, record and roll back the per-environment Go toolchains.
// Every command that changes the lock appends one entry to the history beside it (who, when, which
// command, the environment's state before and after, the catalog, why), under the same file lock
// as the change; --reason is required for staging and prod. `allow`/`promote` warn about (and for
// prod refuse) versions with known fixable vulnerabilities, and with --verify-signature download
// each archive and its .asc and record the verified signature in the lock.
import * as path from "path";
import { Command } from "commander";
import { BUNDLED_CATALOG_PATH } from "../../components/toolchain/bundled";
import {
  allowVersion,
  checkEnvironmentName,
  disallowVersion,
  ENVIRONMENTS,
  EnvironmentName,
  LockError,
  parseLock,
  promote,
  serializeLock,
  setImage,
  signatureGaps,
  ToolchainLock,
  verifyLock,
  withEnvironment,
  withSignature,
} from "../../components/toolchain/lock";
import { checkReason, describeState, HistoryEntry, HistoryError, rollbackTarget } from "../../components/toolchain/history";
import { parseImageRef } from "../../components/toolchain/image-ref";
import { utcSeconds } from "../../components/toolchain/signature";
import { CommandFailure, Io } from "../io";
import { DEFAULT_LOCK_PATH, PROJECT_ROOT, UsageError, unknownValue } from "../files";
import { readLockFile, withFileLock, writeLockFile } from "../lock-store";
import { appendHistory, catalogSource, currentActor, historyPathFor, label, readHistoryFile } from "../lock-history";
import { ArchiveToCheck, checkArchiveSignatures, CheckedArchive, DEFAULT_ARCHIVE_MIRROR, SignatureCheckOptions, vendoredKeyOptions } from "../lock-signature";
import { gateVulnerabilities } from "../lock-vulns";
import { loadCatalogFile } from "./catalog";
import { resolveDigest } from "../registry";

interface Common {
  lock: string;
  catalog: string;
}

interface Changing extends Common {
  reason?: string;
}

interface Verifying extends Changing {
  verifySignature?: boolean;
  mirror: string;
  timeout: string;
  stacksDir: string;
}

/** What the lock commands take from outside: the signature check's key and clock (tests pass a throwaway key). */
export interface LockDeps {
  readonly signatureOptions: (mirror: string, timeoutMs: number, log: (line: string) => void) => SignatureCheckOptions;
}

export const DEFAULT_LOCK_DEPS: LockDeps = { signatureOptions: vendoredKeyOptions };

function common(cmd: Command): Command {
  return cmd.option("--lock <file>", "the toolchain lock", DEFAULT_LOCK_PATH).option("--catalog <file>", "the release catalog", BUNDLED_CATALOG_PATH);
}

function changing(cmd: Command): Command {
  return common(cmd).option("--reason <text>", "why (recorded in the lock history; required for staging and prod)");
}

function verifying(cmd: Command): Command {
  return changing(cmd)
    .option("--verify-signature", "download each archive and its .asc, verify them with the vendored Go signing key and record the result in the lock")
    .option("--mirror <url>", "where the archives and their .asc files are downloaded from (with --verify-signature)", DEFAULT_ARCHIVE_MIRROR)
    .option("--timeout <ms>", "per-download timeout (with --verify-signature)", "600000")
    .option("--stacks-dir <dir>", "where Pulumi.<stack>.yaml are (prod's vulnExceptions)", path.join(PROJECT_ROOT, "stacks"));
}

/** `name` is how the user gave it: the positional `environment` (`<from>`, `<to>`) or `--env`. */
function env(text: string, name = "environment") {
  try {
    return checkEnvironmentName(text);
  } catch {
    throw unknownValue(name, "environment", text, ENVIRONMENTS);
  }
}

function timeoutOf(text: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds; got "${text}"`);
  return ms;
}

/** A --reason checked for the environment it changes (missing for staging/prod: a usage error naming the flag). */
function reasonFor(reason: string | undefined, scope: EnvironmentName | "images", command: string): string | null {
  try {
    return checkReason(reason, scope, command);
  } catch (err) {
    if (err instanceof HistoryError) throw new UsageError(err.message);
    throw err;
  }
}

interface ChangeMeta {
  readonly command: string;
  readonly scope: EnvironmentName | "images";
  readonly reason: string | null;
  readonly catalogFile?: string;
}

/**
 * Reads, changes and writes the lock under its file lock, appending the history entry first (under
 * the same lock): concurrent edits serialise, none is lost, and no change goes unrecorded. A
 * history that does not parse stops the change. Returns the new lock and whether it changed.
 */
async function edit(file: string, meta: ChangeMeta, change: (l: ToolchainLock) => ToolchainLock): Promise<{ lock: ToolchainLock; changed: boolean }> {
  return withFileLock(file, "the toolchain lock", () => {
    const before = readLockFile(file);
    const next = change(before);
    // Validated before anything is written: an operation must never produce an invalid lock.
    parseLock(JSON.parse(serializeLock(next)));
    const historyFile = historyPathFor(file);
    // The whole history is read first: a line that does not parse stops the change (never skipped).
    try {
      readHistoryFile(historyFile);
    } catch (err) {
      if (err instanceof HistoryError) throw new CommandFailure(`${err.message}; nothing was changed`);
      throw err;
    }
    const was = meta.scope === "images" ? before.images : before.environments[meta.scope];
    const now = meta.scope === "images" ? next.images : next.environments[meta.scope];
    const changed = JSON.stringify(was) !== JSON.stringify(now);
    if (!changed) return { lock: before, changed };
    const { actor, actorSource } = currentActor(file);
    const base = {
      v: 1 as const,
      time: utcSeconds(new Date()),
      actor,
      actorSource,
      command: meta.command,
      catalog: meta.catalogFile ? catalogSource(meta.catalogFile) : null,
      reason: meta.reason,
    };
    const entry: HistoryEntry =
      meta.scope === "images"
        ? { ...base, kind: "images", before: before.images, after: next.images }
        : { ...base, kind: "environment", environment: meta.scope, before: before.environments[meta.scope], after: next.environments[meta.scope] };
    appendHistory(historyFile, entry);
    writeLockFile(file, next);
    return { lock: next, changed };
  });
}

/** The archives a version would have in `envName` after `change` (what --verify-signature downloads). */
function archivesAfter(l: ToolchainLock, envName: EnvironmentName, version: string): ArchiveToCheck[] {
  const archives = l.environments[envName].versions[version] ?? {};
  return Object.entries(archives).map(([platform, a]) => ({ version, platform, filename: a.filename, sha256: a.sha256 }));
}

function recordAll(l: ToolchainLock, envName: EnvironmentName, checked: readonly CheckedArchive[]): ToolchainLock {
  return checked.reduce((acc, c) => withSignature(acc, envName, c.version, c.platform, c.sha256, c.record), l);
}

/** Every allowed version of `env` locked again for `platforms` (checksums from the catalog). */
export function setPlatforms(lock: ToolchainLock, envName: "dev" | "staging" | "prod", platforms: readonly string[], catalog: ReturnType<typeof loadCatalogFile>): ToolchainLock {
  if (envName === "prod") throw new LockError([`prod takes its toolchain only by promotion: change staging's platforms with \`goguard lock platforms staging …\`, then \`goguard lock promote staging prod\``]);
  const e = lock.environments[envName];
  const emptied: ToolchainLock = { ...lock, environments: { ...lock.environments, [envName]: { ...e, versions: {} } } };
  const relocked = Object.keys(e.versions).reduce((acc, v) => allowVersion(acc, envName, v, catalog, { platforms, previous: e.versions[v] }), emptied);
  return { ...relocked, environments: { ...relocked.environments, [envName]: { ...relocked.environments[envName], default: e.default } } };
}

export function registerLock(program: Command, io: Io, setCode: (c: number) => void, deps: LockDeps = DEFAULT_LOCK_DEPS): void {
  const lock = program.command("lock").description("Pin, promote, verify, record and roll back the per-environment Go toolchains (stacks/toolchain.lock.json, history in stacks/toolchain.history.jsonl).");

  /** Downloads and verifies the archives `version` would have in `envName` (the lock as it would be after `change`). */
  const verifyFirst = async (opts: Verifying, envName: EnvironmentName, version: string, change: (l: ToolchainLock) => ToolchainLock): Promise<CheckedArchive[]> => {
    if (!opts.verifySignature) return [];
    const preview = change(readLockFile(opts.lock));
    return checkArchiveSignatures(archivesAfter(preview, envName, version), deps.signatureOptions(opts.mirror, timeoutOf(opts.timeout), io.err));
  };

  common(lock.command("show").description("Print what each environment runs.").option("--json", "print the lock as JSON")).action((opts: Common & { json?: boolean }) => {
    const l = readLockFile(opts.lock);
    if (opts.json) {
      // Every archive shows its signature record; one without says so (null) rather than leaving the key out.
      const shown = {
        ...l,
        environments: Object.fromEntries(
          Object.entries(l.environments).map(([e, x]) => [
            e,
            { ...x, versions: Object.fromEntries(Object.entries(x.versions).map(([v, archives]) => [v, Object.fromEntries(Object.entries(archives).map(([p, a]) => [p, { ...a, signature: a.signature ?? null }]))])) },
          ]),
        ),
      };
      io.out(JSON.stringify(shown, null, 2) + "\n");
      return;
    }
    for (const e of ENVIRONMENTS) {
      const x = l.environments[e];
      io.out(`${e}: default ${x.default}; allows ${Object.keys(x.versions).join(", ")}; platforms ${x.platforms.join(", ")}\n`);
      for (const [v, archives] of Object.entries(x.versions)) {
        for (const [p, a] of Object.entries(archives)) io.out(`  ${v} ${p.padEnd(12)} ${a.sha256}  ${a.filename}  ${a.signature ? `signature verified ${a.signature.checkedAt} (signed ${a.signature.signedAt} by ${a.signature.subkey})` : "no signature record"}\n`);
      }
    }
    for (const [ref, img] of Object.entries(l.images)) io.out(`image ${ref}: ${img.state === "resolved" ? img.digest : `unresolved (${img.reason})`}\n`);
  });

  verifying(
    lock
      .command("allow")
      .description("Allow a Go version in dev or staging, its checksums copied from the catalog.")
      .argument("<environment>")
      .argument("<version>")
      .option("--default", "also make it the environment's default")
      .option("--platform <os/arch...>", "the platforms to lock (default: the environment's)"),
  ).action(async (e: string, version: string, opts: Verifying & { default?: boolean; platform?: string[] }) => {
    const envName = env(e);
    const command = `lock allow ${envName} ${version}${opts.default ? " --default" : ""}${opts.platform ? ` --platform ${opts.platform.join(" ")}` : ""}${opts.verifySignature ? " --verify-signature" : ""}`;
    const cat = loadCatalogFile(opts.catalog);
    const change = (l: ToolchainLock): ToolchainLock => allowVersion(l, envName, version, cat, { makeDefault: opts.default, platforms: opts.platform });
    // The change is tried on the current lock first, so its own refusal comes before a missing reason.
    const preview = change(readLockFile(opts.lock));
    const reason = reasonFor(opts.reason, envName, "lock allow");
    gateVulnerabilities(version, envName, preview.environments[envName].platforms, opts.stacksDir, io.err);
    const checked = await verifyFirst(opts, envName, version, change);
    const { lock: next } = await edit(opts.lock, { command, scope: envName, reason, catalogFile: opts.catalog }, (l) => recordAll(change(l), envName, checked));
    const x = next.environments[envName];
    io.out(`${envName} now allows ${Object.keys(x.versions).join(", ")} (default ${x.default})\n`);
    for (const [p, a] of Object.entries(x.versions[version])) io.out(`  ${version} ${p.padEnd(12)} ${a.sha256}  ${a.filename}${a.signature ? "  signature verified" : ""}\n`);
  });

  changing(lock.command("disallow").description("Remove an allowed version (not the default).").argument("<environment>").argument("<version>")).action(async (e: string, version: string, opts: Changing) => {
    const envName = env(e);
    disallowVersion(readLockFile(opts.lock), envName, version);
    const reason = reasonFor(opts.reason, envName, "lock disallow");
    const { lock: next } = await edit(opts.lock, { command: `lock disallow ${envName} ${version}`, scope: envName, reason }, (l) => disallowVersion(l, envName, version));
    io.out(`${envName} now allows ${Object.keys(next.environments[envName].versions).join(", ")}\n`);
  });

  verifying(
    lock
      .command("promote")
      .description("Promote a version one step: dev → staging, staging → prod (prod runs exactly one, and only what staging runs).")
      .argument("<from>")
      .argument("<to>")
      .option("--version <version>", "the version to promote (default: the source environment's default)"),
  ).action(async (from: string, to: string, opts: Verifying & { version?: string }) => {
    const src = env(from, "from");
    const dst = env(to, "to");
    const cat = loadCatalogFile(opts.catalog);
    const change = (l: ToolchainLock): ToolchainLock => promote(l, src, dst, cat, opts.version);
    const preview = change(readLockFile(opts.lock));
    const reason = reasonFor(opts.reason, dst, "lock promote");
    const version = preview.environments[dst].default;
    const command = `lock promote ${src} ${dst} --version ${version}${opts.verifySignature ? " --verify-signature" : ""}`;
    gateVulnerabilities(version, dst, preview.environments[dst].platforms, opts.stacksDir, io.err);
    const checked = await verifyFirst(opts, dst, version, change);
    const { lock: next } = await edit(opts.lock, { command, scope: dst, reason, catalogFile: opts.catalog }, (l) => recordAll(change(l), dst, checked));
    const x = next.environments[dst];
    io.out(`${dst} now runs ${x.default} (allows ${Object.keys(x.versions).join(", ")})${checked.length > 0 ? `; ${checked.length} signature(s) verified and recorded` : ""}\n`);
  });

  changing(
    lock
      .command("platforms")
      .description("Lock every allowed version of dev or staging for exactly these platforms (checksums from the catalog).")
      .argument("<environment>")
      .argument("<os/arch...>", "platforms such as linux/amd64 linux/arm64"),
  ).action(async (e: string, platforms: string[], opts: Changing) => {
    const envName = env(e);
    const cat = loadCatalogFile(opts.catalog);
    setPlatforms(readLockFile(opts.lock), envName, platforms, cat);
    const reason = reasonFor(opts.reason, envName, "lock platforms");
    const { lock: next } = await edit(opts.lock, { command: `lock platforms ${envName} ${platforms.join(" ")}`, scope: envName, reason, catalogFile: opts.catalog }, (l) => setPlatforms(l, envName, platforms, cat));
    io.out(`${envName} now locks ${Object.keys(next.environments[envName].versions).join(", ")} for ${next.environments[envName].platforms.join(", ")}\n`);
  });

  common(
    lock
      .command("verify")
      .description("Check every locked checksum against the catalog; exit 1 naming each mismatch. --strict (the gate before prod): also a verified signature record for every prod archive and a digest for every image.")
      .option("--strict", "also require a signature record for every prod archive and no unresolved image"),
  ).action((opts: Common & { strict?: boolean }) => {
    const l = readLockFile(opts.lock);
    const problems = verifyLock(l, loadCatalogFile(opts.catalog)).map((p) => `${p.where}: ${p.message}`);
    const unresolved = Object.entries(l.images).filter(([, i]) => i.state === "unresolved").map(([r]) => r);
    if (opts.strict) problems.push(...strictProblems(l));
    if (problems.length > 0) {
      const what = opts.strict ? "the lock does not pass the strict check" : "the lock disagrees with the catalog";
      throw new CommandFailure(`${what} in ${problems.length} place(s):\n${problems.map((p) => `  ${p}`).join("\n")}`);
    }
    const count = ENVIRONMENTS.reduce((n, e) => n + Object.values(l.environments[e].versions).reduce((m, a) => m + Object.keys(a).length, 0), 0);
    io.out(`lock verified: ${count} archive checksum(s) equal the catalog's\n`);
    if (opts.strict) {
      const prod = Object.values(l.environments.prod.versions).reduce((m, a) => m + Object.keys(a).length, 0);
      io.out(`strict: ${prod} prod archive signature record(s) present; every image has a digest\n`);
    } else if (unresolved.length > 0) io.out(`images without a digest (resolve with \`goguard lock resolve-images\`): ${unresolved.join(", ")}\n`);
    setCode(0);
  });

  common(
    lock
      .command("resolve-images")
      .description("Resolve image tags to manifest digests through the registry API and record them in the lock.")
      .option("--image <ref...>", "images to resolve (default: every image in the lock)")
      .option("--plain-http <host...>", "registries to reach over plain http (a loopback registry)")
      .option("--timeout <ms>", "per-request timeout", "15000")
      .option("--reason <text>", "why (recorded in the lock history)"),
  ).action(async (opts: Common & { image?: string[]; plainHttp?: string[]; timeout: string; reason?: string }) => {
    const timeoutMs = timeoutOf(opts.timeout);
    const reason = reasonFor(opts.reason, "images", "lock resolve-images");
    const refs = opts.image ?? Object.keys(readLockFile(opts.lock).images);
    const failures: string[] = [];
    const resolved: Array<[string, string, string]> = [];
    for (const text of refs) {
      const ref = parseImageRef(text);
      if (!ref || ref.tag === undefined || ref.digest !== undefined) throw new UsageError(`"${text}" is not an image reference with a tag (such as debian:bookworm-slim)`);
      try {
        const digest = await resolveDigest(ref, { plainHttp: opts.plainHttp, timeoutMs });
        resolved.push([text, digest, ref.registry]);
        io.out(`${text} → ${digest}\n`);
      } catch (err) {
        failures.push(`${text}: ${(err as Error).message}`);
      }
    }
    // The network is done before the file lock is taken; the lock is re-read under it.
    if (resolved.length > 0) {
      const day = new Date().toISOString().slice(0, 10);
      const command = `lock resolve-images --image ${resolved.map(([t]) => t).join(" ")}`;
      await edit(opts.lock, { command, scope: "images", reason }, (l) =>
        resolved.reduce((acc, [text, digest, registry]) => setImage(acc, text, { state: "resolved", digest, source: `registry ${registry}, resolved by goguard lock resolve-images on ${day}` }), l),
      );
    }
    if (failures.length > 0) throw new CommandFailure(`could not resolve ${failures.length} image(s)${resolved.length > 0 ? ` (the other ${resolved.length} ${resolved.length === 1 ? "was" : "were"} recorded)` : "; nothing was recorded"}:\n  ${failures.join("\n  ")}`);
  });

  common(
    lock
      .command("history")
      .description("Who changed which environment's toolchain, when, with which command and why (oldest first).")
      .option("--env <environment>", "only this environment's entries")
      .option("--json", "print the entries as a JSON array"),
  ).action((opts: Common & { env?: string; json?: boolean }) => {
    const only = opts.env !== undefined ? env(opts.env, "--env") : undefined;
    let entries: HistoryEntry[];
    try {
      entries = readHistoryFile(historyPathFor(opts.lock));
    } catch (err) {
      if (err instanceof HistoryError) throw new CommandFailure(err.message);
      throw err;
    }
    const shown = entries.filter((e) => only === undefined || (e.kind === "environment" && e.environment === only));
    if (opts.json) {
      io.out(JSON.stringify(shown, null, 2) + "\n");
      return;
    }
    if (shown.length === 0) {
      io.out(`no history${only ? ` for ${only}` : ""} in ${label(historyPathFor(opts.lock))} (it starts with the first goguard lock change)\n`);
      return;
    }
    for (const e of shown) io.out(historyLine(e));
  });

  common(
    lock
      .command("rollback")
      .description("Restore an environment's previous (or named) state from the lock history, re-verifying checksums, signatures and vulnerabilities.")
      .argument("<environment>")
      .option("--to <version>", "the recorded state whose default is this version (default: the state before the last change)")
      .option("--reason <text>", "why (recorded in the lock history; required for staging and prod)")
      .option("--mirror <url>", "where archives and .asc files are downloaded from to re-verify recorded signatures", DEFAULT_ARCHIVE_MIRROR)
      .option("--timeout <ms>", "per-download timeout", "600000")
      .option("--stacks-dir <dir>", "where Pulumi.<stack>.yaml are (prod's vulnExceptions)", path.join(PROJECT_ROOT, "stacks")),
  ).action(async (e: string, opts: Verifying & { to?: string }) => {
    const envName = env(e);
    const cat = loadCatalogFile(opts.catalog);
    let target: ReturnType<typeof rollbackTarget>;
    try {
      target = rollbackTarget(readHistoryFile(historyPathFor(opts.lock)), envName, readLockFile(opts.lock).environments[envName], opts.to);
    } catch (err) {
      if (err instanceof HistoryError) throw new CommandFailure(err.message);
      throw err;
    }
    const state = target.state;
    const reason = reasonFor(opts.reason, envName, "lock rollback");
    // Checksums: the restored state's archives must equal today's catalog (a recorded state is no
    // more trusted than the lock itself).
    const restored = (l: ToolchainLock): ToolchainLock => withEnvironment(l, envName, state);
    const checksum = verifyLock(restored(readLockFile(opts.lock)), cat).filter((p) => p.where.startsWith(`${envName} `));
    if (checksum.length > 0) throw new CommandFailure(`refusing to restore ${envName} to ${describeState(state)} (history line ${target.line}): it disagrees with the catalog:\n${checksum.map((p) => `  ${p.where}: ${p.message}`).join("\n")}`);
    for (const v of Object.keys(state.versions)) gateVulnerabilities(v, envName, state.platforms, opts.stacksDir, io.err);
    // Signatures: recorded ones are checked again (the archive and .asc downloaded anew).
    const signed: ArchiveToCheck[] = Object.entries(state.versions).flatMap(([version, archives]) =>
      Object.entries(archives)
        .filter(([, a]) => a.signature !== undefined)
        .map(([platform, a]) => ({ version, platform, filename: a.filename, sha256: a.sha256 })),
    );
    const checked = signed.length > 0 ? await checkArchiveSignatures(signed, deps.signatureOptions(opts.mirror, timeoutOf(opts.timeout), io.err)) : [];
    const command = `lock rollback ${envName}${opts.to ? ` --to ${opts.to}` : ""}`;
    let result: { lock: ToolchainLock; changed: boolean };
    try {
      result = await edit(opts.lock, { command, scope: envName, reason, catalogFile: opts.catalog }, (l) => recordAll(restored(l), envName, checked));
    } catch (err) {
      if (err instanceof LockError && envName === "prod") {
        throw new LockError([...err.problems, `prod returns only to a version staging still allows; allow it in staging first (\`goguard lock rollback staging --to ${state.default}\` or \`goguard lock allow staging ${state.default}\`)`]);
      }
      throw err;
    }
    const x = result.lock.environments[envName];
    io.out(result.changed ? `${envName} rolled back to ${describeState(x)} (history line ${target.line})${checked.length > 0 ? `; ${checked.length} signature(s) verified again` : ""}\n` : `${envName} already is ${describeState(x)}; nothing changed\n`);
  });
}

/** The strict gate's extra problems: a signature record for every prod archive, a digest for every image. */
export function strictProblems(l: ToolchainLock): string[] {
  const out: string[] = [];
  for (const g of signatureGaps(l, "prod")) {
    out.push(`prod ${g.version} ${g.platform}: ${g.filename} has no verified signature record; record one with \`goguard lock promote staging prod --version ${g.version} --verify-signature --reason "<why>"\` on a networked machine`);
  }
  for (const [ref, img] of Object.entries(l.images)) {
    // A recorded reason may carry its own fix (the shipped lock's does): the line gives the fix once, with the exact command.
    if (img.state === "unresolved") out.push(`image ${ref}: unresolved (${img.reason.replace(/;[^;]*resolve-images[^;]*$/, "")}); resolve it from the registry on a networked machine with \`goguard lock resolve-images --image ${ref}\``);
  }
  return out;
}

function stateOf(e: HistoryEntry, which: "before" | "after"): string {
  if (e.kind === "environment") return describeState(which === "before" ? e.before : e.after);
  const imgs = which === "before" ? e.before : e.after;
  return `${Object.values(imgs).filter((i) => i.state === "resolved").length}/${Object.keys(imgs).length} images resolved`;
}

/** One entry as `lock history` prints it. */
export function historyLine(e: HistoryEntry): string {
  const scope = e.kind === "environment" ? e.environment : "images";
  return `${e.time}  ${scope.padEnd(7)}  ${stateOf(e, "before")} → ${stateOf(e, "after")}\n    by ${e.actor} (${e.actorSource}): goguard ${e.command}${e.reason ? `\n    reason: ${e.reason}` : ""}\n`;
}
