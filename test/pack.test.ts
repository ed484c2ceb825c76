// The policy pack as it is published: `npm run build` then `npm pack` in policies/ (the build bundles
// the pack and the project modules it imports into dist/), the tarball installed ALONE in an empty
// directory from the npm registry, then `goguard check --pack <installed dir>` must judge exactly as the in-tree pack:
// same rules (SARIF's rule list), same findings for the shipped stacks and for a program that
// violates Dockerfile rules (which load dockerfile-ast and mvdan-sh from the installed tree).
//
// Needs the npm registry (the tarball's dependencies); skipped with a message when it cannot be
// reached, never in CI (CI=true), where an unreachable registry is a failure.
import { execFile, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { dependencyProblems, packageOf } from "../scripts/pack-policies";
import { runCli } from "./helpers/cli";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..");
const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const packPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "package.json"), "utf8"));

// npm started from `npm test` inherits npm_config_* and lifecycle variables meant for the outer run.
const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

function registryReachable(): { ok: boolean; why: string } {
  try {
    execFileSync("npm", ["ping"], { stdio: "pipe", timeout: 20_000, env: cleanEnv() });
    return { ok: true, why: "" };
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    return { ok: false, why: (e.stderr?.toString() || e.message).trim().split("\n").pop() ?? "" };
  }
}

describe("which packages the bundle may import (pure)", () => {
  test.each([
    ["ajv", "ajv"],
    ["mvdan-sh", "mvdan-sh"],
    ["@pulumi/policy", "@pulumi/policy"],
    ["@pulumi/pulumi/proto/analyzer_pb", "@pulumi/pulumi"],
    ["smol-toml/dist/index.js", "smol-toml"],
    ["fs", undefined],
    ["node:fs", undefined],
    ["child_process", undefined],
    ["./data/go-releases.json", undefined],
    ["../../components/toolchain/goenv", undefined],
    ["/abs/file", undefined],
  ])("%s → %s", (spec, name) => {
    expect(packageOf(spec)).toBe(name);
  });

  const root = { dependencies: { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.270.0", ajv: "8.20.0", yaml: "2.9.1" } };
  test.each([
    ["declared at the root's versions", ["@pulumi/policy", "ajv"], { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.270.0", ajv: "8.20.0" }, []],
    [
      "an import not declared",
      ["@pulumi/policy", "ajv", "yaml"],
      { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.270.0", ajv: "8.20.0" },
      ['the pack imports "yaml" but policies/package.json does not declare it; add "yaml": "2.9.1" to its dependencies'],
    ],
    [
      "another version than the root",
      ["@pulumi/policy", "ajv"],
      { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.270.0", ajv: "^8.0.0" },
      ['policies/package.json declares "ajv": "^8.0.0" but the root uses "8.20.0"; set it to "8.20.0" (one version of each package)'],
    ],
    ["@pulumi/pulumi missing (the instance CrossGuard shares)", ["@pulumi/policy"], { "@pulumi/policy": "1.21.0" }, ['the pack imports "@pulumi/pulumi" but policies/package.json does not declare it; add "@pulumi/pulumi": "3.270.0" to its dependencies']],
    [
      "a declared package nothing imports",
      ["@pulumi/policy"],
      { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.270.0", ajv: "8.20.0" },
      ['policies/package.json declares "ajv", which the pack does not import; remove it'],
    ],
    [
      "an import the root lacks",
      ["@pulumi/policy", "left-pad"],
      { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.270.0" },
      ['the pack imports "left-pad", which the root package.json does not depend on; add it there first'],
    ],
  ])("%s", (_label, imported, deps, problems) => {
    expect(dependencyProblems(imported, { dependencies: deps }, root)).toEqual(problems);
  });

  // No lifecycle script: npm prints its banner on stdout, which `pulumi policy publish` reads as the
  // tarball's file name. The build is its own step (`npm run build`).
  test("policies/package.json: runs dist/index.js, ships only dist/ and PulumiPolicy.yaml, a build script and no lifecycle script", () => {
    expect({ main: packPkg.main, files: packPkg.files, scripts: packPkg.scripts, version: packPkg.version }).toEqual({
      main: "dist/index.js",
      files: ["dist/", "PulumiPolicy.yaml"],
      scripts: { build: "node ../cli/bin/run-ts.js ../scripts/pack-policies.ts" },
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
    for (const [name, version] of Object.entries<string>(packPkg.dependencies)) expect([name, version]).toEqual([name, rootPkg.dependencies[name]]);
  });
});

const registry = process.env.CI === "true" ? { ok: true, why: "" } : registryReachable();
if (!registry.ok) {
  // eslint-disable-next-line no-console
  console.warn(`test/pack.test.ts: the npm registry cannot be reached (${registry.why}); the packed-pack test is SKIPPED, not passed`);
}
const online = registry.ok ? describe : describe.skip;

online("the packed pack installed alone in an empty directory", () => {
  let work: string;
  let installed: string;
  let packStdout: string;
  let tarball: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-pack-"));
    const policies = path.join(ROOT, "policies");
    await run("npm", ["run", "build"], { cwd: policies, env: cleanEnv(), timeout: 120_000, maxBuffer: 16 << 20 });
    // Exactly the command `pulumi policy publish` runs (pulumi's sdk/nodejs/npm/npm.go), which takes
    // its whole stdout as the tarball's file name, relative to policies/.
    packStdout = (await run("npm", ["pack", "--loglevel=error"], { cwd: policies, env: cleanEnv(), timeout: 120_000, maxBuffer: 16 << 20 })).stdout;
    tarball = path.join(work, `goguard-policies-${packPkg.version}.tgz`);
    // Copied, not renamed: the run's temporary directory may be on another filesystem (tmpfs).
    const packed = path.join(policies, packStdout.trim());
    try {
      fs.copyFileSync(packed, tarball);
    } finally {
      fs.rmSync(packed, { force: true });
    }
    const consumer = path.join(work, "consumer");
    fs.mkdirSync(consumer);
    fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], {
      cwd: consumer,
      env: cleanEnv(),
      timeout: 240_000,
      maxBuffer: 16 << 20,
    });
    installed = path.join(consumer, "node_modules", "goguard-policies");
  }, 360_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test("`npm pack --loglevel=error` prints the tarball's name and nothing else (what publish reads)", () => {
    expect(packStdout).toBe(`goguard-policies-${packPkg.version}.tgz\n`);
  });

  test("the tarball holds the bundle, its data with provenance, PulumiPolicy.yaml and package.json, nothing else", () => {
    const data = fs.readdirSync(path.join(ROOT, "components", "toolchain", "data")).map((f) => `package/dist/data/${f}`);
    const listed = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").sort();
    expect(listed).toEqual(["package/PulumiPolicy.yaml", "package/dist/index.js", "package/package.json", ...data].sort());
  });

  test("the installed pack imports nothing from the project and only what it declares; one @pulumi/pulumi in the tree", () => {
    const bundle = fs.readFileSync(path.join(installed, "dist", "index.js"), "utf8");
    const required = [...new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
    expect(required.filter((r) => r.startsWith("."))).toEqual(["./data/go-releases.json", "./data/go-vulns.json"]);
    const packages = [...new Set(required.map(packageOf).filter((p): p is string => p !== undefined))].sort();
    expect(dependencyProblems(packages, packPkg, rootPkg)).toEqual([]);
    const pulumiCopies = execFileSync("find", [path.join(installed, "..", ".."), "-path", "*/@pulumi/pulumi/package.json"], { encoding: "utf8" }).trim().split("\n");
    expect(pulumiCopies).toEqual([path.join(installed, "..", "@pulumi", "pulumi", "package.json")]);
  });

  // What the engine runs: @pulumi/pulumi's run-policy-pack from the pack's own tree, in the pack's
  // directory (it registers ts-node, here the SDK's vendored copy since the tree has no TypeScript,
  // requires the directory, i.e. package.json `main`, and the PolicyPack prints its gRPC port on
  // 127.0.0.1). The engine address is only dialled for logging, which a clean start never does.
  test("the engine's runner starts the installed pack: a gRPC port on stdout", async () => {
    const runner = path.join(installed, "..", "@pulumi", "pulumi", "cmd", "run-policy-pack");
    // Its ts-node writes a ts-node-<hash> directory into the temporary directory: this test's own.
    const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: installed, env: { ...process.env, TMPDIR: work }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no port within 120 s; stderr: ${err}`)), 120_000);
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /^(\d+)\s*$/m.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
          }
        });
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`run-policy-pack exited (${code}) before printing a port; stderr: ${err}`));
        });
      });
      expect(port).toBeGreaterThan(0);
      expect(port).toBeLessThan(65536);
    } finally {
      child.kill();
    }
  }, 150_000);

  // In-process (test/helpers/cli.ts): the in-tree pack's checks run in this jest process's shared
  // worker; `--pack <installed>` gets a worker of its own that loads the installed tree, as the bin's
  // would. The bin's own handling of exit codes and output is tested in cli/boundary.test.ts.
  async function check(args: string[]): Promise<{ code: number; stdout: string }> {
    const r = await runCli("check", ...args);
    if (r.code === 2) throw new Error(`goguard check ${args.join(" ")} failed: ${r.stderr}`);
    return { code: r.code, stdout: r.stdout };
  }

  test("every stack: the same rules and the same findings as the in-tree pack (SARIF)", async () => {
    const [inTree, packedRun] = await Promise.all([check(["--stack", "all", "--format", "sarif"]), check(["--stack", "all", "--format", "sarif", "--pack", installed])]);
    const rules = JSON.parse(packedRun.stdout).runs[0].tool.driver.rules;
    expect(rules.length).toBeGreaterThan(30);
    expect(JSON.parse(packedRun.stdout)).toEqual(JSON.parse(inTree.stdout));
    expect(packedRun.code).toBe(inTree.code);
  }, 300_000);

  test("a program that weakens a Dockerfile: the same mandatory findings, read with the installed dockerfile-ast and mvdan-sh", async () => {
    const program = path.join("test", "programs", "corpus-doc", "docker-checksum-after-extract.ts");
    const strip = (json: string): unknown => JSON.parse(json).stacks.map(({ timings: _t, ...s }: { timings?: unknown }) => s);
    const [inTree, packedRun] = await Promise.all([
      check(["--stack", "prod", "--program", program, "--format", "json"]),
      check(["--stack", "prod", "--program", program, "--format", "json", "--pack", installed]),
    ]);
    const violations = JSON.parse(packedRun.stdout).stacks[0].violations;
    expect(violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory").length).toBeGreaterThan(0);
    expect(strip(packedRun.stdout)).toEqual(strip(inTree.stdout));
    expect([packedRun.code, inTree.code]).toEqual([1, 1]);
  }, 300_000);
});
