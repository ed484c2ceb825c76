import { Command } from "commander";
import { BUNDLED_CATALOG_PATH } from "../../components/toolchain/bundled";
import { allowVersion, checkEnvironmentName, disallowVersion, ENVIRONMENTS, LockError, promote, setImage, ToolchainLock, verifyLock } from "../../components/toolchain/lock";
import { parseImageRef } from "../../components/toolchain/image-ref";
import { CommandFailure, Io } from "../io";
import { DEFAULT_LOCK_PATH, UsageError } from "../files";
import { readLockFile, withFileLock, writeLockFile } from "../lock-store";
import { loadCatalogFile } from "./catalog";
import { resolveDigest } from "../registry";

interface Common {
  lock: string;
  catalog: string;
}

function common(cmd: Command): Command {
  return cmd.option("--lock <file>", "the toolchain lock", DEFAULT_LOCK_PATH).option("--catalog <file>", "the release catalog", BUNDLED_CATALOG_PATH);
}

function env(text: string) {
  try {
    return checkEnvironmentName(text);
  } catch {
    throw new UsageError(`unknown environment "${text}"; use one of ${ENVIRONMENTS.join(", ")}`);
  }
}

/** Read, change and write the lock under its file lock: concurrent edits serialise, none is lost. */
async function edit(file: string, change: (l: ToolchainLock) => ToolchainLock): Promise<ToolchainLock> {
  return withFileLock(file, "the toolchain lock", () => {
    const next = change(readLockFile(file));
    writeLockFile(file, next);
    return next;
  });
}

/** Every allowed version of `env` locked again for `platforms` (checksums from the catalog). */
export function setPlatforms(lock: ToolchainLock, envName: "dev" | "staging" | "prod", platforms: readonly string[], catalog: ReturnType<typeof loadCatalogFile>): ToolchainLock {
  if (envName === "prod") throw new LockError([`prod takes its toolchain only by promotion: change staging's platforms with \`goguard lock platforms staging …\`, then \`goguard lock promote staging prod\``]);
  const e = lock.environments[envName];
  const emptied: ToolchainLock = { ...lock, environments: { ...lock.environments, [envName]: { ...e, versions: {} } } };
  const relocked = Object.keys(e.versions).reduce((acc, v) => allowVersion(acc, envName, v, catalog, { platforms, previous: e.versions[v] }), emptied);
  return { ...relocked, environments: { ...relocked.environments, [envName]: { ...relocked.environments[envName], default: e.default } } };
}

export function registerLock(program: Command, io: Io, setCode: (c: number) => void): void {
  const lock = program.command("lock").description("Pin, promote and verify the per-environment Go toolchains (stacks/toolchain.lock.json).");

  common(lock.command("show").description("Print what each environment runs.").option("--json", "print the lock as JSON")).action((opts: Common & { json?: boolean }) => {
    const l = readLockFile(opts.lock);
    if (opts.json) {
      io.out(JSON.stringify(l, null, 2) + "\n");
      return;
    }
    for (const e of ENVIRONMENTS) {
      const x = l.environments[e];
      io.out(`${e}: default ${x.default}; allows ${Object.keys(x.versions).join(", ")}; platforms ${x.platforms.join(", ")}\n`);
      for (const [v, archives] of Object.entries(x.versions)) for (const [p, a] of Object.entries(archives)) io.out(`  ${v} ${p.padEnd(12)} ${a.sha256}  ${a.filename}\n`);
    }
    for (const [ref, img] of Object.entries(l.images)) io.out(`image ${ref}: ${img.state === "resolved" ? img.digest : `unresolved (${img.reason})`}\n`);
  });

  common(
    lock
      .command("allow")
      .description("Allow a Go version in dev or staging, its checksums copied from the catalog.")
      .argument("<environment>")
      .argument("<version>")
      .option("--default", "also make it the environment's default")
      .option("--platform <os/arch...>", "the platforms to lock (default: the environment's)"),
  ).action(async (e: string, version: string, opts: Common & { default?: boolean; platform?: string[] }) => {
    const envName = env(e);
    const cat = loadCatalogFile(opts.catalog);
    const next = await edit(opts.lock, (l) => allowVersion(l, envName, version, cat, { makeDefault: opts.default, platforms: opts.platform }));
    const x = next.environments[envName];
    io.out(`${envName} now allows ${Object.keys(x.versions).join(", ")} (default ${x.default})\n`);
    for (const [p, a] of Object.entries(x.versions[version])) io.out(`  ${version} ${p.padEnd(12)} ${a.sha256}  ${a.filename}\n`);
  });

  common(lock.command("disallow").description("Remove an allowed version (not the default).").argument("<environment>").argument("<version>")).action(async (e: string, version: string, opts: Common) => {
    const envName = env(e);
    const next = await edit(opts.lock, (l) => disallowVersion(l, envName, version));
    io.out(`${envName} now allows ${Object.keys(next.environments[envName].versions).join(", ")}\n`);
  });

  common(
    lock
      .command("promote")
      .description("Promote a version one step: dev → staging, staging → prod (prod runs exactly one, and only what staging runs).")
      .argument("<from>")
      .argument("<to>")
      .option("--version <version>", "the version to promote (default: the source environment's default)"),
  ).action(async (from: string, to: string, opts: Common & { version?: string }) => {
    const cat = loadCatalogFile(opts.catalog);
    const next = await edit(opts.lock, (l) => promote(l, env(from), env(to), cat, opts.version));
    const x = next.environments[env(to)];
    io.out(`${to} now runs ${x.default} (allows ${Object.keys(x.versions).join(", ")})\n`);
  });

  common(
    lock
      .command("platforms")
      .description("Lock every allowed version of dev or staging for exactly these platforms (checksums from the catalog).")
      .argument("<environment>")
      .argument("<os/arch...>", "platforms such as linux/amd64 linux/arm64"),
  ).action(async (e: string, platforms: string[], opts: Common) => {
    const envName = env(e);
    const cat = loadCatalogFile(opts.catalog);
    const next = await edit(opts.lock, (l) => setPlatforms(l, envName, platforms, cat));
    io.out(`${envName} now locks ${Object.keys(next.environments[envName].versions).join(", ")} for ${next.environments[envName].platforms.join(", ")}\n`);
  });

  common(lock.command("verify").description("Check every locked checksum against the catalog; exit 1 naming each mismatch.")).action((opts: Common) => {
    const l = readLockFile(opts.lock);
    const problems = verifyLock(l, loadCatalogFile(opts.catalog));
    if (problems.length > 0) {
      throw new CommandFailure(`the lock disagrees with the catalog in ${problems.length} place(s):\n${problems.map((p) => `  ${p.where}: ${p.message}`).join("\n")}`);
    }
    const count = ENVIRONMENTS.reduce((n, e) => n + Object.values(l.environments[e].versions).reduce((m, a) => m + Object.keys(a).length, 0), 0);
    const unresolved = Object.entries(l.images).filter(([, i]) => i.state === "unresolved").map(([r]) => r);
    io.out(`lock verified: ${count} archive checksum(s) equal the catalog's\n`);
    if (unresolved.length > 0) io.out(`images without a digest (resolve with \`goguard lock resolve-images\`): ${unresolved.join(", ")}\n`);
    setCode(0);
  });

  common(
    lock
      .command("resolve-images")
      .description("Resolve image tags to manifest digests through the registry API and record them in the lock.")
      .option("--image <ref...>", "images to resolve (default: every image in the lock)")
      .option("--plain-http <host...>", "registries to reach over plain http (a loopback registry)")
      .option("--timeout <ms>", "per-request timeout", "15000"),
  ).action(async (opts: Common & { image?: string[]; plainHttp?: string[]; timeout: string }) => {
    const timeoutMs = Number(opts.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds; got "${opts.timeout}"`);
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
      await edit(opts.lock, (l) => resolved.reduce((acc, [text, digest, registry]) => setImage(acc, text, { state: "resolved", digest, source: `registry ${registry}, resolved by goguard lock resolve-images on ${day}` }), l));
    }
    if (failures.length > 0) throw new CommandFailure(`could not resolve ${failures.length} image(s) (the others were recorded):\n  ${failures.join("\n  ")}`);
  });
}
