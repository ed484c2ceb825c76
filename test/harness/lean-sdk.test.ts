// What the harness changes in how the SDK runs a program, each shown to hold and to leave the
// program's view of the SDK as it was: TypeScript loaded only when a program serializes a function,
// a fresh store per run without AsyncLocalStorage (and with it when two runs overlap), no stack
// trace per resource, and a collection between a large run and the analysis.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import { COLLECT_ABOVE_BYTES, collectIfLarge } from "../../cli/harness/collect";

const ROOT = path.join(__dirname, "../..");

/** Runs `code` in a fresh node with the goguard loader; returns its stdout parsed as JSON. */
function node(code: string, { lazy }: { lazy: boolean }): any {
  const prelude = `require(${JSON.stringify(path.join(ROOT, "cli/bin/register-ts.js"))});` + (lazy ? `globalThis.installed = require(${JSON.stringify(path.join(ROOT, "cli/harness/lazy-typescript.js"))}).install();` : "");
  return JSON.parse(execFileSync(process.execPath, ["-e", prelude + code], { cwd: ROOT, encoding: "utf8", timeout: 60_000 }));
}

describe("TypeScript is loaded when a program serializes a function, not with the SDK", () => {
  // One process with the stand-in, one without (each loads the SDK: ~0.7 s of CPU).
  const probe = `
    const lazy = require(${JSON.stringify(path.join(ROOT, "cli/harness/lazy-typescript.js"))});
    const pulumi = require("@pulumi/pulumi");
    const before = lazy.typescriptLoaded();
    const shim = require("@pulumi/pulumi/typescript-shim");
    const y = 2;
    pulumi.runtime.serializeFunction(function add(x) { return x + y; }).then((s) => {
      const ts = require("typescript");
      const reads = { keys: Object.keys(shim).length === Object.keys(ts).length, has: "createSourceFile" in shim, kind: shim.SyntaxKind.ClassDeclaration === ts.SyntaxKind.ClassDeclaration, version: shim.version === ts.version, same: shim === ts };
      // Installed after the SDK loaded the real shim, it declines and changes nothing.
      const again = lazy.install();
      process.stdout.write(JSON.stringify({ installed: globalThis.installed, before, after: lazy.typescriptLoaded(), text: s.text, exportName: s.exportName, reads, again }));
    });`;
  let lean: any;
  let plain: any;
  beforeAll(() => {
    lean = node(probe, { lazy: true });
    plain = node(probe, { lazy: false });
  });

  test("with the stand-in: not loaded by the SDK; loaded on first use; the serialized function is the same as without it", () => {
    expect({ installed: lean.installed, before: lean.before, after: lean.after }).toEqual({ installed: true, before: false, after: true });
    expect({ before: plain.before, after: plain.after }).toEqual({ before: true, after: true });
    expect(lean.text).toBe(plain.text);
    expect(lean.text).toContain("return x + y;");
    expect(lean.exportName).toBe(plain.exportName);
  });

  test("through the stand-in, the module reads as TypeScript does: keys, `in`, values (it is a proxy, not the module)", () => {
    expect(lean.reads).toEqual({ keys: true, has: true, kind: true, version: true, same: false });
    expect(plain.reads).toEqual({ keys: true, has: true, kind: true, version: true, same: true });
  });

  test("installed after the SDK loaded the shim, it declines (false) and changes nothing", () => {
    expect(plain.again).toBe(false);
    expect(plain.reads.same).toBe(true);
  });
});

describe("each run's SDK store", () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "goguard-store-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"));
    // One file per run: jest's module registry keeps a program loaded, where the worker's forgets it.
    for (const name of ["a", "b", "c", "d"]) {
      fs.writeFileSync(
        path.join(work, `${name}.ts`),
        [
          'import * as pulumi from "@pulumi/pulumi";',
          // Registrations interleave with the other run's: each waits a few turns of the event loop.
          `const wait = (n: number): Promise<void> => new Promise((r) => setTimeout(r, n));`,
          `for (let i = 0; i < 5; i++) new pulumi.ComponentResource("test:index:Marker", \`${name}-\${i}\`, { i: wait(i * 3).then(() => i) }, {});`,
          "export const stack = pulumi.getStack();",
          "",
        ].join("\n"),
      );
    }
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test("two runs at once in one process (the second in an AsyncLocalStorage store) each capture only their own resources", async () => {
    const { runProgram } = await import("../../cli/harness/program");
    const run = (name: string, stack: string) => runProgram({ programFile: path.join(work, `${name}.ts`), project: "goguard", stack, config: {}, secretKeys: [] });
    const [a, b] = await Promise.all([run("a", "dev"), run("b", "prod")]);
    // (Registration order follows the timers; the sets are what each run owns.)
    const urns = (r: { resources: Array<{ urn: string }> }) => r.resources.map((x) => x.urn).sort();
    expect(urns(a)).toEqual(["urn:pulumi:dev::goguard::pulumi:pulumi:Stack::goguard-dev", ...[0, 1, 2, 3, 4].map((i) => `urn:pulumi:dev::goguard::test:index:Marker::a-${i}`)]);
    expect(urns(b)).toEqual(["urn:pulumi:prod::goguard::pulumi:pulumi:Stack::goguard-prod", ...[0, 1, 2, 3, 4].map((i) => `urn:pulumi:prod::goguard::test:index:Marker::b-${i}`)]);
    expect([a.stackOutputs, b.stackOutputs]).toEqual([{ stack: "dev" }, { stack: "prod" }]);
    // And then one alone, from a fresh store again.
    const c = await run("c", "staging");
    expect(urns(c)).toEqual(["urn:pulumi:staging::goguard::pulumi:pulumi:Stack::goguard-staging", ...[0, 1, 2, 3, 4].map((i) => `urn:pulumi:staging::goguard::test:index:Marker::c-${i}`)]);
    expect(c.stackOutputs).toEqual({ stack: "staging" });
  }, 60_000);

  test("a resource's registration carries no stack trace (the mock monitor never reads one)", async () => {
    const { runProgram } = await import("../../cli/harness/program");
    await runProgram({ programFile: path.join(work, "d.ts"), project: "goguard", stack: "dev", config: {}, secretKeys: [] });
    const { Resource } = require("@pulumi/pulumi/resource");
    expect(Resource.stackTrace(4)).toEqual([]);
  }, 60_000);
});

describe("the collection between a large run and the analysis", () => {
  test("below the threshold nothing happens; above it, V8's garbage is collected, and `gc` stays off every program's global object", () => {
    expect(collectIfLarge(COLLECT_ABOVE_BYTES)).toBe(false);
    let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `x${i}` }));
    const used = process.memoryUsage().heapUsed;
    garbage = undefined;
    expect(garbage).toBeUndefined();
    expect(collectIfLarge(COLLECT_ABOVE_BYTES + 1)).toBe(true);
    expect(process.memoryUsage().heapUsed).toBeLessThan(used);
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe("undefined");
    expect(vm.runInNewContext("typeof gc")).toBe("undefined");
  });
});
