// `goguard export`: the lock as the files a service repository's tools read (.go-version,
// .tool-versions, mise.toml + mise.lock, go.mod's toolchain line, a GitHub matrix, a direnv .envrc).
// The rendering is pure (components/toolchain/export.ts); this reads the lock and the stack's
// settings, checks --out before anything is rendered, and writes atomically.
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { CommandFailure, Io } from "../io";
import { DEFAULT_LOCK_PATH, UsageError, unknownValue, writeFileAtomic } from "../files";
import { readLockFile } from "../lock-store";
import { projectName, readStackConfig, stackConfigPath } from "../stack-files";
import { parseStackConfig } from "../../stacks/config";
import { PlanError, resolvePlan } from "../../components/environment/plan";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { ENVIRONMENTS, EnvironmentName, showValue } from "../../components/toolchain/lock";
import { EXPORT_FILE_NAMES, EXPORT_FORMATS, ExportError, ExportFile, ExportFormat, ExportSpec, exportSpecFor, renderExport } from "../../components/toolchain/export";
import { fixGoModToolchain } from "../../components/toolchain/export-gomod";

interface ExportOptions {
  env: string;
  format: string;
  out?: string;
  fix?: string;
  lock: string;
  config?: string;
}

/** A value as messages show it: quoted, escaped, long enough for a path. */
const q = (v: string): string => showValue(v, 400);

function checkEnv(text: string): EnvironmentName {
  if ((ENVIRONMENTS as readonly string[]).includes(text)) return text as EnvironmentName;
  throw unknownValue("--env", "environment", text, ENVIRONMENTS);
}

function checkFormat(text: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(text)) return text as ExportFormat;
  throw unknownValue("--format", "format", text, EXPORT_FORMATS);
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function checkWritableDir(dir: string, flag: string, given: string): void {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${q(given)}: the directory ${dir} is not writable; choose a directory you can write`);
  }
}

/**
 * Where the files go, checked before anything is rendered: a file for one-file formats (its
 * directory must exist), an existing directory for mise (two files). Returns absolute paths.
 */
export function outputPaths(format: ExportFormat, out: string, names: readonly string[]): string[] {
  const example = format === "mise" ? "--out ." : `--out ${names[0]}`;
  if (out.trim() === "") throw new UsageError(`--out ${q(out)} names nothing; give the ${format === "mise" ? "directory" : "file"} to write, such as ${example}`);
  const abs = path.resolve(out);
  if (names.length > 1) {
    if (!fs.existsSync(abs)) throw new UsageError(`--out ${q(out)}: ${format} writes ${names.join(" and ")}, so --out names a directory, and ${abs} does not exist; create it or choose another`);
    if (!isDirectory(abs)) throw new UsageError(`--out ${q(out)} is a file; ${format} writes ${names.join(" and ")}: give the directory to write them into, such as --out ${path.dirname(out) || "."}`);
    checkWritableDir(abs, "--out", out);
    return names.map((n) => path.join(abs, n));
  }
  if (out.endsWith("/") || isDirectory(abs)) throw new UsageError(`--out ${q(out)} is a directory; name the file to write, such as --out ${path.join(out, names[0])}`);
  const dir = path.dirname(abs);
  if (!isDirectory(dir)) throw new UsageError(`--out ${q(out)}: the directory ${dir} does not exist; create it first or choose another path`);
  checkWritableDir(dir, "--out", out);
  return [abs];
}

/** Prints files to stdout: one as it is; several each under a `==> name <==` line, as head(1) does. */
function printFiles(io: Io, files: readonly ExportFile[]): void {
  if (files.length === 1) {
    io.out(files[0].text);
    return;
  }
  io.out(files.map((f) => `==> ${f.name} <==\n${f.text}`).join("\n"));
}

export function registerExport(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command("export")
    .description("Write an environment's locked Go toolchain as the files service repositories' tools read: .go-version, .tool-versions, mise.toml + mise.lock, go.mod's toolchain line, a GitHub Actions matrix, a direnv .envrc.")
    .requiredOption("--env <env>", ENVIRONMENTS.join(", "))
    .requiredOption("--format <format>", EXPORT_FORMATS.join(", "))
    .option("--out <file>", "write to this file atomically (for mise: the directory that gets mise.toml and mise.lock); default: stdout")
    .option("--fix <dir>", "with --format gomod: set the toolchain line in <dir>/go.mod, every other byte kept")
    .option("--lock <file>", "the toolchain lock", DEFAULT_LOCK_PATH)
    .option("--config <file>", "the stack config to read Go settings from (default: stacks/Pulumi.<env>.yaml)")
    .action((opts: ExportOptions) => {
      const env = checkEnv(opts.env);
      const format = checkFormat(opts.format);
      if (opts.fix !== undefined && format !== "gomod") throw new UsageError(`--fix ${q(opts.fix)}: --fix edits a go.mod, so it goes with --format gomod; drop it or use --format gomod`);
      if (opts.fix !== undefined && opts.out !== undefined) throw new UsageError(`--fix and --out both name where to write; use --fix <dir> to edit <dir>/go.mod, or --out <file> to write the toolchain line`);
      // Where to write is checked before the lock is read or anything rendered.
      const targets = opts.out !== undefined ? outputPaths(format, opts.out, EXPORT_FILE_NAMES[format]) : undefined;
      const goMod = opts.fix !== undefined ? goModIn(opts.fix) : undefined;
      const project = projectName();
      const configFile = opts.config !== undefined ? path.resolve(opts.config) : stackConfigPath(env);
      const raw = readStackConfig(configFile, project);
      // Another environment's stack file is a usage mistake, said before the file is judged as env's.
      const declared = raw.config[`${project}:environment`];
      if (declared !== undefined && declared !== env) {
        throw new UsageError(`--config ${opts.config ?? configFile}: the stack config is for ${declared} (${project}:environment), not --env ${env}; give ${env}'s stack config`);
      }
      const settings = parseStackConfig({ stack: env, namespace: project, config: raw.config, secretKeys: raw.secretKeys });
      const lock = readLockFile(opts.lock);
      let spec: ExportSpec;
      let files: ExportFile[] = [];
      try {
        // The environment's plan: the same resolution the stack program runs (one proxy URL, one Go env).
        const catalog = bundledCatalog();
        spec = exportSpecFor(lock, resolvePlan(lock, settings, catalog), catalog);
        if (goMod === undefined) files = renderExport(format, spec);
      } catch (err) {
        if (err instanceof ExportError) throw new CommandFailure(err.message);
        if (err instanceof PlanError) throw new CommandFailure(`${shown(configFile)}: ${err.problems.join("; ")}`);
        throw err;
      }
      if (goMod !== undefined) {
        fixGoMod(io, goMod, spec);
      } else if (targets === undefined) {
        printFiles(io, files);
      } else {
        // mise.lock before mise.toml: a mise.toml naming versions its lock does not hold makes
        // `mise install --locked` fail, never install an unverified archive.
        const order = files.map((f, i) => [f, targets[i]] as const).sort(([a], [b]) => Number(b.name === "mise.lock") - Number(a.name === "mise.lock"));
        for (const [f, target] of order) writeFileAtomic(target, f.text);
        const versions = format === "mise" || format === "github-matrix" ? spec.toolchains.map((t) => t.version).join(", ") : spec.toolchains[0].version;
        io.out(`wrote ${targets.map(shown).join(" and ")} (${env}: Go ${versions})\n`);
      }
      setCode(0);
    });
}

/** A path as the user would type it from here: relative inside the working directory. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** `--fix DIR`'s go.mod, checked before anything is read: DIR must be a directory holding go.mod. */
function goModIn(dirText: string): string {
  if (dirText.trim() === "") throw new UsageError(`--fix ${q(dirText)} names no directory; give the module's directory, such as --fix .`);
  const dir = path.resolve(dirText);
  if (!isDirectory(dir)) throw new UsageError(`--fix ${q(dirText)}: ${dir} is not a directory; give the directory that holds go.mod`);
  const file = path.join(dir, "go.mod");
  if (!fs.existsSync(file)) throw new UsageError(`--fix ${q(dirText)}: ${file} does not exist; give the directory that holds the module's go.mod`);
  return file;
}

/** The toolchain line set in the go.mod, every other byte kept; a go line newer than the lock is refused (exit 1). */
function fixGoMod(io: Io, file: string, spec: ExportSpec): void {
  const before = fs.readFileSync(file, "utf8");
  let result: { text: string; changed: boolean };
  try {
    result = fixGoModToolchain(before, spec.toolchains[0], spec.environment, shown(file));
  } catch (err) {
    if (err instanceof ExportError) throw new CommandFailure(err.message);
    throw err;
  }
  const name = spec.toolchains[0].toolchain;
  if (!result.changed) {
    io.out(`${shown(file)} already names toolchain ${name}; unchanged\n`);
    return;
  }
  writeFileAtomic(file, result.text);
  io.out(`set toolchain ${name} in ${shown(file)} (${spec.environment}'s locked Go)\n`);
}
