// Builds the publishable policy pack: policies/dist/index.js, one CommonJS file holding the pack's
// entry point and every project module it imports (policies/**, components/toolchain/**), plus
// dist/data/ (the bundled release catalog and vulnerability database, with their provenance and
// licence notes). Run as `npm run build --workspace policies`: before `pulumi preview`/`up` use the
// in-tree pack, and before `npm pack` / `pulumi policy publish`.
//
// Not a `prepack` script: npm prints a lifecycle script's banner on stdout, and `pulumi policy
// publish` reads the whole stdout of `npm pack --loglevel=error` as the tarball's file name
// (pulumi's sdk/nodejs/npm/npm.go), so any lifecycle script would break publishing. Packing without
// building fails loudly instead: the tarball has no dist/index.js, and `publish` starts the pack
// (to read its policies) before packing, where run-policy-pack names the missing main and the
// build script to run.
//
// Why bundle only the project's own modules: `npm pack` ships the policies/ directory alone, so
// imports of ../../components would dangle; npm packages stay real dependencies, declared in
// policies/package.json at the root's exact versions, because CrossGuard must share ONE
// @pulumi/pulumi (and @pulumi/policy, @grpc/grpc-js) instance with the pack, and a bundled copy of
// an npm package would hide it from audits and Dependabot. The build refuses to finish when the
// bundle imports a package policies/package.json does not declare, or declares one at another
// version than the root.
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as esbuild from "esbuild";

const ROOT = path.join(__dirname, "..");
export const PACK_DIR = path.join(ROOT, "policies");
export const DIST_DIR = path.join(PACK_DIR, "dist");
/** The data files the toolchain modules load with require("./data/…json") travel as files, not inlined. */
const DATA_DIR = path.join(ROOT, "components", "toolchain", "data");
/** Kept as a dependency though the pack's own code never imports it: @pulumi/policy needs the same instance the engine's SDK runs. */
const PEERS = ["@pulumi/pulumi"];

export interface Manifest {
  readonly dependencies?: Readonly<Record<string, string>>;
}

/** The npm package a bare import names (`@scope/name/sub` → `@scope/name`), or undefined for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return builtinModules.includes(name) ? undefined : name;
}

/**
 * What is wrong with policies/package.json's dependencies for a bundle importing `imported`
 * (sorted messages, each naming the package, the versions and the fix); empty when nothing is.
 */
export function dependencyProblems(imported: readonly string[], pack: Manifest, root: Manifest): string[] {
  const problems: string[] = [];
  const packDeps = pack.dependencies ?? {};
  const rootDeps = root.dependencies ?? {};
  const needed = new Set([...imported, ...PEERS]);
  for (const name of [...needed].sort()) {
    const want = rootDeps[name];
    if (want === undefined) problems.push(`the pack imports "${name}", which the root package.json does not depend on; add it there first`);
    else if (!(name in packDeps)) problems.push(`the pack imports "${name}" but policies/package.json does not declare it; add "${name}": "${want}" to its dependencies`);
    else if (packDeps[name] !== want) problems.push(`policies/package.json declares "${name}": "${packDeps[name]}" but the root uses "${want}"; set it to "${want}" (one version of each package)`);
  }
  for (const name of Object.keys(packDeps).sort()) {
    if (!needed.has(name)) problems.push(`policies/package.json declares "${name}", which the pack does not import; remove it`);
  }
  return problems;
}

/** The npm packages a metafile's bundle still imports at run time (sorted, each once). */
export function externalPackages(meta: esbuild.Metafile): string[] {
  const names = new Set<string>();
  // Only the output's imports count: an input's type-only import is listed there but erased.
  for (const out of Object.values(meta.outputs)) {
    for (const i of out.imports) {
      const name = i.external ? packageOf(i.path) : undefined;
      if (name !== undefined) names.add(name);
    }
  }
  return [...names].sort();
}

export interface BuildResult {
  readonly entry: string;
  readonly packages: readonly string[];
  readonly dataFiles: readonly string[];
  readonly bytes: number;
}

export async function buildPack(): Promise<BuildResult> {
  fs.rmSync(DIST_DIR, { recursive: true, force: true });
  const dataImports = new Set<string>();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(PACK_DIR, "index.ts")],
    outfile: path.join(DIST_DIR, "index.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    metafile: true,
    logLevel: "silent",
    banner: { js: "// GoGuard policy pack, built by scripts/pack-policies.ts from policies/ and components/toolchain/: do not edit." },
    plugins: [
      {
        name: "toolchain-data",
        setup(build) {
          build.onResolve({ filter: /^\.\/data\/[^/]+\.json$/ }, (args) => {
            const abs = path.resolve(args.resolveDir, args.path);
            if (path.dirname(abs) !== DATA_DIR) return { errors: [{ text: `${args.importer} loads ${args.path}, which is not in ${path.relative(ROOT, DATA_DIR)}: only that data directory is shipped with the pack` }] };
            dataImports.add(path.basename(abs));
            // Resolved at run time next to dist/index.js, where the directory is copied.
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const packages = externalPackages(result.metafile);
  const problems = dependencyProblems(
    packages,
    JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")),
    JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")),
  );
  if (problems.length > 0) {
    fs.rmSync(DIST_DIR, { recursive: true, force: true });
    throw new Error(problems.join("\n"));
  }
  // The whole data directory: the JSON the code loads and the provenance/attribution notes that
  // must travel with it (the vulnerability data is CC-BY-4.0).
  fs.mkdirSync(path.join(DIST_DIR, "data"));
  const dataFiles = fs.readdirSync(DATA_DIR).sort();
  for (const f of dataImports) if (!dataFiles.includes(f)) throw new Error(`the pack loads data/${f}, which ${path.relative(ROOT, DATA_DIR)} does not have`);
  for (const f of dataFiles) fs.copyFileSync(path.join(DATA_DIR, f), path.join(DIST_DIR, "data", f));
  const entry = path.join(DIST_DIR, "index.js");
  return { entry, packages, dataFiles, bytes: fs.statSync(entry).size };
}

// Run as a script (cli/bin/run-ts.js puts the script in argv[1]); imported by tests, it only exports.
if (path.resolve(process.argv[1] ?? "") === __filename) {
  buildPack().then(
    (r) => {
      // On stderr: stdout belongs to whoever reads the build's caller (npm, scripts).
      process.stderr.write(`${path.relative(process.cwd(), r.entry)}: ${r.bytes} bytes; imports ${r.packages.join(", ")}; data: ${r.dataFiles.join(", ")}\n`);
    },
    (err: Error) => {
      process.stderr.write(`pack-policies: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
