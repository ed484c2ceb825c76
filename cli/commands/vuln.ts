// `goguard vuln`: the known vulnerabilities of every locked Go version; `goguard vulndb update`:
// refresh the bundled database from vuln.go.dev (or a directory of its layout).
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { CommandFailure, Io } from "../io";
import { DEFAULT_LOCK_PATH, PROJECT_ROOT, readJsonFile, UsageError, unknownValue, writeFileAtomic } from "../files";
import { cause } from "../http";
import { readLockFile } from "../lock-store";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { ENVIRONMENTS, EnvironmentName } from "../../components/toolchain/lock";
import { VulnReport } from "../../components/toolchain/vulns";
import {
  BUNDLED_VULNDB_PATH,
  DEFAULT_VULNDB_URL,
  mergeVulnDb,
  osvToReport,
  parseVulnDb,
  parseVulnIndex,
  serializeVulnDb,
  toolchainIdsFromModules,
  VulnDbError,
} from "../../components/toolchain/vulndb";
import { renderVulnJson, renderVulnMarkdown, renderVulnSarif, renderVulnText, scanLock } from "../vuln-report";

const FORMATS = ["text", "json", "markdown", "sarif"] as const;

export function loadVulnDbFile(file: string): VulnReport[] {
  try {
    return parseVulnDb(readJsonFile(file, "vulnerability database"));
  } catch (err) {
    if (err instanceof VulnDbError) throw new CommandFailure(`vulnerability database ${file} is not valid:\n${err.message}`);
    throw err;
  }
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive whole number; got "${text}"`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Bounded reading of the source: every file under a size cap, the whole run under one deadline.

interface Limits {
  readonly maxBytes: number;
  readonly deadline: number;
}

class NotFound extends Error {}

async function readHttp(url: string, limits: Limits): Promise<string> {
  const left = limits.deadline - Date.now();
  if (left <= 0) throw new CommandFailure(`${url}: the update ran out of time (--timeout); nothing was written`);
  let res: Response;
  const signal = AbortSignal.timeout(left);
  try {
    res = await fetch(url, { signal, headers: { Accept: "application/json" } });
  } catch (err) {
    throw new CommandFailure(
      signal.aborted
        ? `could not read ${url}: timed out (--timeout); nothing was written`
        : `could not reach ${url}: ${cause(err)}; check the URL and the network, or update from a copy of the database with --source DIR; nothing was written`,
    );
  }
  if (res.status === 404) throw new NotFound(url);
  if (!res.ok) throw new CommandFailure(`${url} answered ${res.status} ${res.statusText}; nothing was written`);
  const declared = Number(res.headers.get("content-length") ?? "NaN");
  if (declared > limits.maxBytes) {
    await res.body?.cancel();
    throw new CommandFailure(`${url} is ${declared} bytes, over the limit of ${limits.maxBytes} (--max-bytes); nothing was written`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > limits.maxBytes) throw new CommandFailure(`${url} is over the limit of ${limits.maxBytes} bytes (--max-bytes); nothing was written`);
      chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (err instanceof CommandFailure) throw err;
    throw new CommandFailure(`could not read ${url}: ${signal.aborted ? "timed out (--timeout)" : (err as Error).message} (truncated?); nothing was written`);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function readDir(file: string, limits: Limits): string {
  if (!fs.existsSync(file)) throw new NotFound(file);
  const size = fs.statSync(file).size;
  if (size > limits.maxBytes) throw new CommandFailure(`${file} is ${size} bytes, over the limit of ${limits.maxBytes} (--max-bytes); nothing was written`);
  return fs.readFileSync(file, "utf8");
}

async function readSourceJson(source: string, rel: string, limits: Limits): Promise<unknown> {
  const isUrl = /^https?:\/\//.test(source);
  const where = isUrl ? `${source.replace(/\/+$/, "")}/${rel}` : path.join(source, rel);
  const text = isUrl ? await readHttp(where, limits) : readDir(where, limits);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CommandFailure(`${where} is not JSON (${(err as Error).message}; truncated?); nothing was written`);
  }
}

async function optional<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof NotFound) return undefined;
    throw err;
  }
}

/** A local --source is a directory in the vuln.go.dev layout: a missing path or a file is a usage error, said before any read. */
function checkSource(source: string): void {
  if (/^https?:\/\//.test(source)) return;
  const layout = "a directory holding a copy of the Go vulnerability database (index/vulns.json, ID/<id>.json) or an https:// URL";
  if (!fs.existsSync(source)) throw new UsageError(`--source ${source} does not exist; give ${layout}`);
  if (!fs.statSync(source).isDirectory()) throw new UsageError(`--source ${source} is a file; give ${layout}`);
}

function whereOf(source: string, rel: string): string {
  return /^https?:\/\//.test(source) ? `${source.replace(/\/+$/, "")}/${rel}` : path.join(source, rel);
}

export interface UpdateOptions {
  readonly source: string;
  readonly db: string;
  readonly limits: Limits;
  readonly maxRecords: number;
  readonly concurrency: number;
}

/** Reads the source's std/cmd records and merges them into the database; returns what changed. Throws before writing on any problem. */
export async function readVulnSource(opts: UpdateOptions, current: readonly VulnReport[]) {
  checkSource(opts.source);
  const required = async (rel: string): Promise<unknown> => {
    try {
      return await readSourceJson(opts.source, rel, opts.limits);
    } catch (err) {
      if (err instanceof NotFound) throw new CommandFailure(`${whereOf(opts.source, rel)} does not exist: the source is not a Go vulnerability database (vuln.go.dev layout: index/vulns.json, ID/<id>.json); nothing was written`);
      throw err;
    }
  };
  const fail = (err: unknown): never => {
    if (err instanceof VulnDbError) throw new CommandFailure(`the source ${opts.source} is not a valid Go vulnerability database; nothing was written.\n${err.message}`);
    throw err;
  };
  let index;
  try {
    index = parseVulnIndex(await required("index/vulns.json"), whereOf(opts.source, "index/vulns.json"));
  } catch (err) {
    return fail(err);
  }
  // index/modules.json names the records of the toolchain's modules; without it every record is read.
  const modules = await optional(readSourceJson(opts.source, "index/modules.json", opts.limits));
  let wanted = index;
  if (modules !== undefined) {
    let ids: Set<string>;
    try {
      ids = toolchainIdsFromModules(modules, whereOf(opts.source, "index/modules.json"));
    } catch (err) {
      return fail(err);
    }
    wanted = index.filter((e) => ids.has(e.id));
  }
  // A known record whose `modified` the index repeats is unchanged: not fetched again.
  const known = new Map(current.map((r) => [r.id, r.modified]));
  wanted = wanted.filter((e) => known.get(e.id) !== e.modified);
  if (wanted.length > opts.maxRecords) {
    throw new CommandFailure(`the source lists ${wanted.length} records to read, over the limit of ${opts.maxRecords} (--max-records); nothing was written`);
  }
  const incoming: VulnReport[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      const e = wanted[next++];
      const rel = `ID/${e.id}.json`;
      const where = whereOf(opts.source, rel);
      try {
        const doc = await required(rel);
        const report = osvToReport(doc, e.id, where);
        if (report && report.modified !== e.modified) {
          throw new VulnDbError([`${where}: modified ${report.modified} differs from index/vulns.json's ${e.modified} (an inconsistent or partly updated mirror)`]);
        }
        if (report) incoming.push(report);
      } catch (err) {
        next = wanted.length; // the other workers stop taking records
        fail(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, Math.max(1, wanted.length)) }, worker));
  return { listed: index.length, read: wanted.length, merged: mergeVulnDb(current, incoming) };
}

function environmentsFor(text: string): EnvironmentName[] {
  if (text === "all") return [...ENVIRONMENTS];
  if ((ENVIRONMENTS as readonly string[]).includes(text)) return [text as EnvironmentName];
  throw unknownValue("--env", "environment", text, ENVIRONMENTS, "all");
}

export function registerVuln(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command("vuln")
    .description("List the known vulnerabilities (Go vulnerability database) of every locked Go version; exit 1 when one is affected.")
    .option("--env <env|all>", "dev, staging, prod or all", "all")
    .option("--format <format>", FORMATS.join(", "), "text")
    .option("--lock <file>", "the toolchain lock", DEFAULT_LOCK_PATH)
    .option("--db <file>", "a vulnerability database file instead of the bundled one", BUNDLED_VULNDB_PATH)
    .action((opts: { env: string; format: string; lock: string; db: string }) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw unknownValue("--format", "format", opts.format, FORMATS);
      const envs = environmentsFor(opts.env);
      const lock = readLockFile(opts.lock);
      const reports = loadVulnDbFile(opts.db);
      const stable = bundledCatalog().releases().filter((r) => r.stable).map((r) => r.version);
      const scan = scanLock(lock, envs, reports, stable);
      const toolVersion = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version;
      const lockUri = path.relative(PROJECT_ROOT, path.resolve(opts.lock)).split(path.sep).join("/");
      const text =
        opts.format === "json" ? renderVulnJson(scan) : opts.format === "markdown" ? renderVulnMarkdown(scan) : opts.format === "sarif" ? renderVulnSarif(scan, toolVersion, lockUri) : renderVulnText(scan);
      io.out(text);
      setCode(scan.ok ? 0 : 1);
    });

  const vulndb = program.command("vulndb").description("The bundled Go vulnerability database (std and cmd reports from vuln.go.dev).");
  vulndb
    .command("update")
    .description("Add new and re-dated std/cmd reports from vuln.go.dev (or a directory of its layout). Refuses a record changed without a newer `modified`.")
    .option("--source <url|dir>", "the database to read", DEFAULT_VULNDB_URL)
    .option("--db <file>", "the database file to update", BUNDLED_VULNDB_PATH)
    .option("--timeout <ms>", "time for the whole update", "120000")
    .option("--max-bytes <n>", "size limit of each file read", String(32 * 1024 * 1024))
    .option("--max-records <n>", "limit on the records read", "20000")
    .option("--dry-run", "report what would change; write nothing")
    .action(async (opts: { source: string; db: string; timeout: string; maxBytes: string; maxRecords: string; dryRun?: boolean }) => {
      const timeoutMs = positiveInt("--timeout", opts.timeout);
      const limits = { maxBytes: positiveInt("--max-bytes", opts.maxBytes), deadline: Date.now() + timeoutMs };
      const maxRecords = positiveInt("--max-records", opts.maxRecords);
      const before = loadVulnDbFile(opts.db);
      const { listed, read, merged } = await readVulnSource({ source: opts.source, db: opts.db, limits, maxRecords, concurrency: 8 }, before);
      if (merged.conflicts.length > 0) {
        const lines = merged.conflicts.map((c) => `  ${c.id}: known record modified ${c.knownModified}, source's ${c.incomingModified}`);
        throw new CommandFailure(
          `refusing the update: the source changes which versions ${merged.conflicts.length} known report(s) affect without a newer \`modified\`. ` +
            `A record is re-dated whenever it changes, so this is tampering or a broken mirror; nothing was written.\n${lines.join("\n")}`,
        );
      }
      const summary = `${listed} records listed, ${read} read; ${merged.added.length} new, ${merged.updated.length} updated`;
      if (merged.added.length === 0 && merged.updated.length === 0) {
        io.out(`vulnerability database is up to date (${before.length} reports; ${summary})\n`);
        return;
      }
      if (!opts.dryRun) writeFileAtomic(opts.db, serializeVulnDb(merged.reports));
      const names = [...(merged.added.length ? [`new: ${merged.added.join(", ")}`] : []), ...(merged.updated.length ? [`updated: ${merged.updated.join(", ")}`] : [])];
      io.out(`${opts.dryRun ? "would write" : "wrote"} ${merged.reports.length} reports (${summary})\n${names.join("\n")}\n`);
      setCode(0);
    });
}
