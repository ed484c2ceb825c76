import { Command } from "commander";
import { CatalogError, DEFAULT_INDEX_URL, GoCatalog, mergeIndex, parseIndex, readIndex, serializeIndex } from "../../components/toolchain/catalog";
import { BUNDLED_CATALOG_PATH } from "../../components/toolchain/bundled";
import { checkPinnedVersion, checkPlatform } from "../../components/toolchain/pin";
import { CommandFailure, Io } from "../io";
import { parseJsonText, readJsonFile, readTextFile, UsageError, writeFileAtomic } from "../files";
import { processWide } from "../../components/toolchain/process-wide";
import { fetchLimited } from "../http";
import { withFileLock } from "../lock-store";

/** The go.dev index with every release is about 2 MB; 32 MiB leaves room and stops a hostile body early. */
export const DEFAULT_MAX_INDEX_BYTES = 32 * 1024 * 1024;

/**
 * Catalogs built in this process, keyed on the file's exact text (the last few): validating the
 * ~4,000 files of the bundled catalog takes ~15 ms, and the in-process commands of a test run read
 * it over a hundred times. A GoCatalog is never changed once built (its methods return copies).
 */
const builtFromText = processWide("goguard.catalog.built-from-text.v1", () => new Map<string, GoCatalog>());
const BUILT_KEEP = 4;

export function loadCatalogFile(file: string): GoCatalog {
  const text = readTextFile(file, "catalog");
  const known = builtFromText.get(text);
  if (known) return known;
  const catalog = GoCatalog.fromIndex(parseJsonText(text, file, "catalog"));
  if (builtFromText.size >= BUILT_KEEP) builtFromText.delete(builtFromText.keys().next().value!);
  builtFromText.set(text, catalog);
  return catalog;
}

async function readSource(source: string, timeoutMs: number, maxBytes: number): Promise<unknown> {
  if (/^https?:\/\//.test(source)) {
    const res = await fetchLimited(source, { timeoutMs, maxBytes, headers: { Accept: "application/json" } });
    if (!res.ok) throw new CommandFailure(`${source} answered ${res.status} ${res.statusText}; check the URL (the default is ${DEFAULT_INDEX_URL})`);
    try {
      return JSON.parse(res.body.toString("utf8"));
    } catch (err) {
      throw new CommandFailure(`${source} did not return JSON (${(err as Error).message}); check that it is the Go download index`);
    }
  }
  return readJsonFile(source, "--source", `give a saved copy of the Go download index (${DEFAULT_INDEX_URL})`);
}

export function registerCatalog(program: Command, io: Io, setCode: (c: number) => void): void {
  const catalog = program.command("catalog").description("The Go release catalog: archive names, URLs and sha256 checksums.");

  catalog
    .command("show")
    .description("Show a release's archives (or one platform's) with their sha256.")
    .argument("<version>", "an exact Go release, such as 1.26.7")
    .option("--platform <os/arch>", "one platform, such as linux/arm64")
    .option("--json", "print JSON")
    .option("--catalog <file>", "a catalog file instead of the bundled one", BUNDLED_CATALOG_PATH)
    .action((version: string, opts: { platform?: string; json?: boolean; catalog: string }) => {
      const cat = loadCatalogFile(opts.catalog);
      const pin = checkPinnedVersion(version, cat, { allowPrerelease: true });
      if (!pin.ok) throw new CommandFailure(pin.reason);
      const stable = cat.isStable(version)!;
      if (opts.platform !== undefined) {
        const p = checkPlatform(opts.platform, version, cat);
        if (!p.ok) throw new CommandFailure(p.reason);
        const a = cat.archive(version, p.platform)!;
        if (opts.json) io.out(JSON.stringify(a, null, 2) + "\n");
        else io.out(`${a.filename}\n  url:    ${a.url}\n  sha256: ${a.sha256}\n${a.size !== undefined ? `  size:   ${a.size}\n` : ""}  stable: ${stable}\n`);
        return;
      }
      const archives = cat.platforms(version).map((p) => cat.archive(version, p)!);
      if (opts.json) {
        io.out(JSON.stringify({ version, stable, archives }, null, 2) + "\n");
        return;
      }
      io.out(`Go ${version}${stable ? "" : " (pre-release)"}: ${archives.length} archives\n`);
      const width = Math.max(...archives.map((a) => a.platform.length));
      for (const a of archives) io.out(`  ${a.platform.padEnd(width)}  ${a.sha256}  ${a.filename}\n`);
    });

  catalog
    .command("list")
    .description("List the releases the catalog knows, newest first.")
    .option("--json", "print JSON")
    .option("--catalog <file>", "a catalog file instead of the bundled one", BUNDLED_CATALOG_PATH)
    .action((opts: { json?: boolean; catalog: string }) => {
      const releases = loadCatalogFile(opts.catalog).releases();
      if (opts.json) io.out(JSON.stringify(releases.map((r) => ({ version: r.version, stable: r.stable })), null, 2) + "\n");
      else for (const r of releases) io.out(`${r.version}${r.stable ? "" : " (pre-release)"}\n`);
    });

  catalog
    .command("update")
    .description("Add new releases from the go.dev download index (or a file of its shape). Never changes a known checksum.")
    .option("--source <url|file>", "the index to read", DEFAULT_INDEX_URL)
    .option("--catalog <file>", "the catalog file to update", BUNDLED_CATALOG_PATH)
    .option("--timeout <ms>", "time for the whole download", "30000")
    .option("--max-bytes <n>", "largest index accepted", String(DEFAULT_MAX_INDEX_BYTES))
    .option("--dry-run", "report what would be added; write nothing")
    .action(async (opts: { source: string; catalog: string; timeout: string; maxBytes: string; dryRun?: boolean }) => {
      const timeoutMs = Number(opts.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout must be a positive number of milliseconds; got "${opts.timeout}"`);
      const maxBytes = Number(opts.maxBytes);
      if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new UsageError(`--max-bytes must be a positive whole number of bytes; got "${opts.maxBytes}"`);
      const readCurrent = () => {
        try {
          return parseIndex(readJsonFile(opts.catalog, "catalog"));
        } catch (err) {
          if (err instanceof CatalogError) throw new CommandFailure(`the catalog ${opts.catalog} is not a valid release index (${err.message.split("\n")[0]}); restore it from git before updating`);
          throw err;
        }
      };
      readCurrent();
      let incoming;
      let skipped: string[] = [];
      try {
        // Lenient: entries this reader cannot vouch for are left out and listed; only a document
        // that is not an index, or that contradicts itself about a checksum, fails the update.
        ({ releases: incoming, skipped } = readIndex(await readSource(opts.source, timeoutMs, maxBytes)));
      } catch (err) {
        if (err instanceof CatalogError) throw new CommandFailure(`the source ${opts.source} is not a valid Go download index; nothing was written.\n${err.message}`);
        throw err;
      }
      // The download is done; the catalog is re-read and written under its file lock.
      await withFileLock(opts.catalog, "the catalog", () => {
      const current = readCurrent();
      const merged = mergeIndex(current, incoming);
      if (merged.conflicts.length > 0) {
        const lines = merged.conflicts.map((c) => `  ${c.filename}: catalog has sha256 ${c.known}, source says ${c.incoming}`);
        throw new CommandFailure(
          `refusing the update: the source changes the checksum of ${merged.conflicts.length} archive(s) the catalog already knows. ` +
            `A published archive never changes, so this is tampering or corruption; nothing was written.\n${lines.join("\n")}`,
        );
      }
      if (skipped.length > 0) io.err(`skipped ${skipped.length} entr${skipped.length === 1 ? "y" : "ies"} of ${opts.source} (not added):\n${skipped.slice(0, 20).map((p) => `  ${p}\n`).join("")}${skipped.length > 20 ? `  … and ${skipped.length - 20} more\n` : ""}`);
      if (merged.addedFiles.length === 0) {
        io.out(`catalog is up to date (${current.length} releases; the source had nothing new)\n`);
        return;
      }
      if (!opts.dryRun) writeFileAtomic(opts.catalog, serializeIndex(merged.releases));
      const newReleases = merged.addedReleases.length > 0 ? `new releases: ${merged.addedReleases.join(", ")}\n` : "";
      io.out(`${opts.dryRun ? "would add" : "added"} ${merged.addedFiles.length} file(s) in ${merged.addedReleases.length} new release(s)\n${newReleases}`);
      setCode(0);
      });
    });
}
