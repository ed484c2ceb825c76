// Fast real previews: with `main: stacks/` the Node language host runs the program in stacks/, and
// @pulumi/pulumi's cmd/run registers ts-node with PULUMI_NODEJS_TSCONFIG_PATH (Pulumi.yaml's
// runtime option `tsconfig`) as the project, its own defaults (ES2020, nodenext) under that file's
// compilerOptions, and transpileOnly from the file's `noCheck`. This checks the committed files
// through the SDK's own reader and ts-node itself, and that the README shows them as they are.
// (The startup figures in the README come from scripts/preview-startup.ts; not re-measured here.)
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");
const STACKS = path.join(ROOT, "stacks");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsutils: { loadTypeScriptCompilerOptions(p: string): Record<string, unknown> } = require("@pulumi/pulumi/tsutils");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsnode: typeof import("ts-node") = require("ts-node");

const pulumiYaml = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
const tsconfigText = fs.readFileSync(path.join(STACKS, "tsconfig.json"), "utf8");

/**
 * The ts-node service cmd/run (non-ESM branch, TypeScript >= 4.7) creates for this project; with
 * `withoutTsconfig`, the one it created before stacks/tsconfig.json existed (skipProject, no options
 * of the project's, type-checking).
 */
function hostService(opts: { withoutTsconfig?: boolean } = {}) {
  const file = pulumiYaml.runtime.options.tsconfig as string;
  const fileOptions = opts.withoutTsconfig ? {} : tsutils.loadTypeScriptCompilerOptions(path.join(STACKS, file));
  return tsnode.create({
    cwd: STACKS,
    compiler: "typescript",
    transpileOnly: fileOptions.noCheck as boolean | undefined,
    project: file,
    skipProject: opts.withoutTsconfig === true || !fs.existsSync(path.join(STACKS, file)),
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...fileOptions },
  });
}

function readmeBlock(marker: string): string {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const m = new RegExp(`<!-- ${marker} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no code block after <!-- ${marker} -->`);
  return m[1];
}

describe("the program is transpiled, not type-checked, by the language host", () => {
  test("Pulumi.yaml: the program directory is stacks/, the host gets tsconfig.json there", () => {
    expect({ main: pulumiYaml.main, runtime: pulumiYaml.runtime }).toEqual({ main: "stacks/", runtime: { name: "nodejs", options: { typescript: true, tsconfig: "./tsconfig.json" } } });
    expect(fs.existsSync(path.join(ROOT, pulumiYaml.main, pulumiYaml.runtime.options.tsconfig))).toBe(true);
  });

  // cmd/run (3.270, run.js): `if (skipProject && tsConfigPath !== defaultTsConfigPath)` throws
  // "tsconfig path was set to … but the file was not found"; with the default spelling a missing
  // file silently falls back to type-checking with ts-node's defaults.
  test("the tsconfig option is spelled so that a missing file is an error, not a silent slow default", () => {
    const run = fs.readFileSync(require.resolve("@pulumi/pulumi/cmd/run/run.js"), "utf8");
    expect(run).toContain('const defaultTsConfigPath = "tsconfig.json";');
    expect(run).toContain("if (skipProject && tsConfigPath !== defaultTsConfigPath) {");
    expect(pulumiYaml.runtime.options.tsconfig).not.toBe("tsconfig.json");
  });

  test("the SDK's own reader sees noCheck and the emit options of the root and the offline loader", () => {
    const own = tsutils.loadTypeScriptCompilerOptions(path.join(STACKS, "tsconfig.json"));
    expect(own).toEqual({ noCheck: true, module: "commonjs", moduleResolution: "node", target: "ES2022", useDefineForClassFields: false, esModuleInterop: true });
    // The same emit decisions as ../tsconfig.json (what `npm run typecheck` checks).
    const root = ts.parseConfigFileTextToJson("tsconfig.json", fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")).config.compilerOptions;
    for (const k of ["module", "moduleResolution", "target", "useDefineForClassFields", "esModuleInterop"]) expect([k, own[k]]).toEqual([k, root[k]]);
  });

  test("ts-node, set up as the host does it: transpile only, CommonJS, ES2022, assign-semantics class fields", () => {
    const svc = hostService();
    expect({ transpileOnly: svc.options.transpileOnly, module: svc.config.options.module, target: svc.config.options.target, useDefine: svc.config.options.useDefineForClassFields }).toEqual({
      transpileOnly: true,
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      useDefine: false,
    });
  });

  // A type error the program could carry: compiled as is by the host (typecheck catches it in CI);
  // with type-checking on (ts-node's default, what previews did before) the same file is refused.
  const probe = 'export const n: number = "not a number";\n';
  test("a type error does not stop the host's compile; CommonJS comes out", () => {
    const out = hostService().compile(probe, path.join(STACKS, "probe.ts"));
    expect(out.split("\n").slice(0, 4)).toEqual(['"use strict";', 'Object.defineProperty(exports, "__esModule", { value: true });', "exports.n = void 0;", 'exports.n = "not a number";']);
  });

  test("control: without stacks/tsconfig.json the host type-checks and refuses it", () => {
    const before = hostService({ withoutTsconfig: true });
    expect(before.options.transpileOnly).toBeUndefined();
    expect(() => before.compile(probe, path.join(STACKS, "probe.ts"))).toThrow(/TS2322: Type 'string' is not assignable to type 'number'/);
  });

  test("the README shows Pulumi.yaml's runtime and stacks/tsconfig.json as they are", () => {
    const shownYaml = parse(readmeBlock("Pulumi.yaml runtime"));
    expect(shownYaml).toEqual({ runtime: pulumiYaml.runtime, main: pulumiYaml.main });
    const shownTsconfig = JSON.parse(readmeBlock("stacks/tsconfig.json"));
    expect(shownTsconfig).toEqual(ts.parseConfigFileTextToJson("tsconfig.json", tsconfigText).config);
  });
});
