// `goguard drift`: recorded stack outputs (test/fixtures/drift, written from the program's output
// names, not from a real deployment) against the stack program run offline now. The comparison is
// pure (cli/drift.ts) and is tested against the planned outputs of one real offline run per stack.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import fc from "fast-check";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/catalog-fixtures";
import { jobFor, runStacks } from "../../cli/commands/check";
import { toDisplay } from "../../cli/harness/wire";
import { compareOutputs, Difference, DriftInputError, OUTPUT_SHAPES, parseDeployedOutputs } from "../../cli/drift";
import { parseLock, setImage, ToolchainLock } from "../../components/toolchain/lock";

const FIXTURES = path.join(__dirname, "../fixtures/drift");
const fixture = (name: string): Record<string, any> => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
const rel = (name: string): string => path.relative(process.cwd(), path.join(FIXTURES, name));
const lock = (): ToolchainLock => parseLock(JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8")));
const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/goguard/go-builder-prod";
const label = (p: string): string => `goguard drift fixture: prod builder image ${p}; not a real image manifest\n`;
const fixtureDigest = (p: string): string => `sha256:${createHash("sha256").update(label(p)).digest("hex")}`;

const planned: Record<string, Record<string, unknown>> = {};
beforeAll(async () => {
  const results = await runStacks([jobFor("prod", {}, true), jobFor("dev", {}, true)]);
  for (const r of results) {
    if (r.error !== null) throw new Error(`stack ${r.stack}: ${r.error}`);
    planned[r.stack] = toDisplay(r.stackOutputs ?? {}) as Record<string, unknown>;
  }
}, 180000);

describe("the outputs drift reads", () => {
  test.each(["prod", "dev"])("%s: OUTPUT_SHAPES names exactly the outputs the program exports", (stack) => {
    expect(Object.keys(OUTPUT_SHAPES).sort()).toEqual(Object.keys(planned[stack]).sort());
  });

  test("the fixtures' builder image digests are the sha256 of their documented labels (no invented digest)", () => {
    expect(fixture("prod-clean.json").builderImages).toEqual({ "linux/amd64": `${ECR}@${fixtureDigest("linux/amd64")}`, "linux/arm64": `${ECR}@${fixtureDigest("linux/arm64")}` });
  });

  test("prod-clean.json is the offline plan, plus builder images by digest (the plan cannot know a pushed digest)", () => {
    const { builderImages, ...rest } = fixture("prod-clean.json");
    const { builderImages: plannedImages, ...plannedRest } = planned.prod;
    expect(rest).toEqual(plannedRest);
    expect([Object.keys(builderImages), plannedImages]).toEqual([["linux/amd64", "linux/arm64"], expect.anything()]);
  });
});

describe("parseDeployedOutputs", () => {
  const clean = (): Record<string, any> => fixture("prod-clean.json");
  test.each<[string, (d: Record<string, any>) => unknown, string]>([
    ["a list at the top", () => [], "(top level): [] must be an object of stack outputs (what `pulumi stack output --json` prints)"],
    ["goVersion as a number", (d) => ({ ...d, goVersion: 1.26 }), "goVersion: 1.26 must be a string"],
    ["allowedGoVersions as a string", (d) => ({ ...d, allowedGoVersions: "1.26.7" }), 'allowedGoVersions: "1.26.7" must be a list of strings'],
    ["a number in allowedGoVersions", (d) => ({ ...d, allowedGoVersions: ["1.26.7", 1] }), "allowedGoVersions[1]: 1 must be a string"],
    ["publishedGoEnv.GOPROXY as null", (d) => ({ ...d, publishedGoEnv: { ...d.publishedGoEnv, GOPROXY: null } }), "publishedGoEnv.GOPROXY: null must be a string"],
    ["a builder image as a list", (d) => ({ ...d, builderImages: { "linux/amd64": ["x"] } }), 'builderImages["linux/amd64"]: ["x"] must be a string'],
    ["an archive that is not an object", (d) => ({ ...d, archives: [1] }), "archives[0]: 1 must be an object with platform, filename, sha256 and url"],
    ["an archive without url", (d) => ({ ...d, archives: [{ ...d.archives[0], url: undefined }] }), "archives[0].url: undefined must be a string"],
    ["a platform listed twice", (d) => ({ ...d, archives: [d.archives[0], d.archives[0]] }), 'archives[1].platform: "linux/amd64" must be a platform listed once'],
  ])("%s is refused naming the JSON path", (_name, mutate, message) => {
    expect(() => parseDeployedOutputs(mutate(clean()))).toThrow(new DriftInputError(message));
  });

  test("property: any JSON in any output either passes the shape check or is refused with a DriftInputError naming that output; what passes compares without throwing", () => {
    const names = [...Object.keys(OUTPUT_SHAPES), "somethingElse"];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.jsonValue(), fc.constantFrom(...names), fc.jsonValue(), (k1, v1, k2, v2) => {
        const doc = { ...clean(), [k1]: v1, [k2]: v2 };
        let parsed;
        try {
          parsed = parseDeployedOutputs(doc);
        } catch (err) {
          expect(err).toBeInstanceOf(DriftInputError);
          expect([k1, k2].some((k) => (err as Error).message.startsWith(k))).toBe(true);
          return;
        }
        expect(Array.isArray(compareOutputs(parsed, planned.prod, lock(), "prod"))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  test("hidden values and outputs it does not know pass the shape check", () => {
    const doc = { ...clean(), publishedGoEnv: "[secret]", archives: ["[secret]"], legacy: { any: [1] } };
    expect(parseDeployedOutputs(doc)).toBe(doc);
  });
});

describe("compareOutputs (against the prod program's planned outputs)", () => {
  const clean = (): Record<string, any> => fixture("prod-clean.json");
  const diff = (d: Record<string, unknown>, l: ToolchainLock = lock()): Difference[] => compareOutputs(parseDeployedOutputs(d), planned.prod, l, "prod");

  test("the clean fixture has no difference; list order does not matter", () => {
    expect(diff(clean())).toEqual([]);
    expect(diff({ ...clean(), platforms: ["linux/arm64", "linux/amd64"] })).toEqual([]);
  });

  test.each<[string, (d: Record<string, any>) => Record<string, unknown>, Difference[]]>([
    ["another goVersion", (d) => ({ ...d, goVersion: "1.26.6" }), [{ field: "goVersion", deployed: '"1.26.6"', locked: '"1.26.7"' }]],
    [
      "one archive's sha256",
      (d) => ({ ...d, archives: [{ ...d.archives[0], sha256: "708effb774be8237570d0add163225abbdfaf4fca28b2611df167beba4feef89" }, d.archives[1]] }),
      [{ field: "archives[linux/amd64].sha256", deployed: '"708effb774be8237570d0add163225abbdfaf4fca28b2611df167beba4feef89"', locked: '"ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca"' }],
    ],
    ["an archive missing", (d) => ({ ...d, archives: [d.archives[1]] }), [{ field: "archives[linux/amd64]", deployed: "(absent)", locked: '"go1.26.7.linux-amd64.tar.gz"' }]],
    [
      "an archive for a platform the lock does not hold",
      (d) => ({ ...d, archives: [...d.archives, { platform: "linux/386", filename: "go1.26.7.linux-386.tar.gz", sha256: d.archives[0].sha256, url: "https://dl.google.com/go/go1.26.7.linux-386.tar.gz" }] }),
      [{ field: "archives[linux/386]", deployed: '"go1.26.7.linux-386.tar.gz"', locked: "(absent)" }],
    ],
    ["GOSUMDB no longer published", (d) => ({ ...d, publishedGoEnv: { ...d.publishedGoEnv, GOSUMDB: undefined } }), [{ field: "publishedGoEnv.GOSUMDB", deployed: "(absent)", locked: '"sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org"' }]],
    ["an extra published setting", (d) => ({ ...d, publishedGoEnv: { ...d.publishedGoEnv, GOINSECURE: "*" } }), [{ field: "publishedGoEnv.GOINSECURE", deployed: '"*"', locked: "(absent)" }]],
    ["another proxyUrl", (d) => ({ ...d, proxyUrl: "https://proxy.golang.org" }), [{ field: "proxyUrl", deployed: '"https://proxy.golang.org"', locked: '"http://athens.goproxy.svc.cluster.local"' }]],
    ["another allowed version", (d) => ({ ...d, allowedGoVersions: ["1.26.7", "1.27.0"] }), [{ field: "allowedGoVersions", deployed: '["1.26.7","1.27.0"]', locked: '["1.26.7"]' }]],
    ["a builder image by tag", (d) => ({ ...d, builderImages: { ...d.builderImages, "linux/arm64": `${ECR}:go1.26.7` } }), [{ field: "builderImages[linux/arm64]", deployed: `"${ECR}:go1.26.7"`, locked: "an image pinned by digest (repository@sha256:…)" }]],
    ["a builder image missing", (d) => ({ ...d, builderImages: { "linux/amd64": d.builderImages["linux/amd64"] } }), [{ field: "builderImages[linux/arm64]", deployed: "(absent)", locked: "an image for linux/arm64" }]],
    [
      "a builder image for an unlocked platform",
      (d) => ({ ...d, builderImages: { ...d.builderImages, "linux/riscv64": d.builderImages["linux/amd64"] } }),
      [{ field: "builderImages[linux/riscv64]", deployed: `"${ECR}@${fixtureDigest("linux/amd64")}"`, locked: "(absent): the lock has no linux/riscv64 archive for prod" }],
    ],
    ["proxyUrl not exported by the deployed stack", (d) => ({ ...d, proxyUrl: undefined }), [{ field: "proxyUrl", deployed: "(absent)", locked: '"http://athens.goproxy.svc.cluster.local"' }]],
    ["an output the program no longer exports", (d) => ({ ...d, goRoot: "/usr/local/go" }), [{ field: "goRoot", deployed: '"/usr/local/go"', locked: "(not exported by the program now)" }]],
    ["a hidden goVersion", (d) => ({ ...d, goVersion: "[secret]" }), [{ field: "goVersion", deployed: "[secret] (hidden: cannot be compared)", locked: '"1.26.7"' }]],
    ["a hidden archive", (d) => ({ ...d, archives: ["[secret]", d.archives[1]] }), [
      { field: "archives[0]", deployed: "[secret] (hidden: cannot be compared)", locked: "an archive {platform, filename, sha256, url}" },
      { field: "archives[linux/amd64]", deployed: "(absent)", locked: '"go1.26.7.linux-amd64.tar.gz"' },
    ]],
  ])("%s: exactly that difference", (_name, mutate, expected) => {
    const d = JSON.parse(JSON.stringify(mutate(clean())));
    expect(diff(d)).toEqual(expected);
  });

  test("when the lock records digests for the builder image's repository, the deployed digest must be one of them", () => {
    const other = "sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";
    const recorded = setImage(lock(), `${ECR}:go1.26.7`, { state: "resolved", digest: other, source: "test: a digest recorded for the builder repository" });
    expect(diff(clean(), recorded)).toEqual(
      ["linux/amd64", "linux/arm64"].map((p) => ({ field: `builderImages[${p}] digest`, deployed: `"${fixtureDigest(p)}"`, locked: `"${other}" (images["${ECR}:go1.26.7"])` })),
    );
    const both = setImage(setImage(lock(), `${ECR}:amd64`, { state: "resolved", digest: fixtureDigest("linux/amd64"), source: "test" }), `${ECR}:arm64`, { state: "resolved", digest: fixtureDigest("linux/arm64"), source: "test" });
    expect(diff(clean(), both)).toEqual([]);
    // An unresolved entry for the repository records no digest to compare with.
    expect(diff(clean(), setImage(lock(), `${ECR}:go1.26.7`, { state: "unresolved", reason: "test" }))).toEqual([]);
  });

  test("dev's builder images are the local names the program computes (content-addressed tags), compared exactly", () => {
    const d = { ...(planned.dev as Record<string, any>) };
    expect(compareOutputs(parseDeployedOutputs(d), planned.dev, lock(), "dev")).toEqual([]);
    const amd64 = (planned.dev.builderImages as Record<string, string>)["linux/amd64"];
    const stale = { ...d, builderImages: { ...d.builderImages, "linux/amd64": "goguard/go-builder:go1.26.6-000000000000" } };
    expect(compareOutputs(parseDeployedOutputs(stale), planned.dev, lock(), "dev")).toEqual([{ field: "builderImages[linux/amd64]", deployed: '"goguard/go-builder:go1.26.6-000000000000"', locked: JSON.stringify(amd64) }]);
  });
});

describe("goguard drift (CLI)", () => {
  test("prod-clean.json: no drift, exit 0", async () => {
    expect(await runCli("drift", "--stack", "prod", "--outputs", rel("prod-clean.json"))).toEqual({
      code: 0,
      stdout: `prod: no drift: ${rel("prod-clean.json")} equals what the lock and the stack's settings resolve to now (Go 1.26.7, 2 archive(s), 8 published Go setting(s))\n`,
      stderr: "",
    });
  }, 120000);

  test("prod-drifted.json: every difference printed, exit 1", async () => {
    const r = await runCli("drift", "--stack", "prod", "--outputs", rel("prod-drifted.json"));
    expect(r).toEqual({
      code: 1,
      stdout: [
        `prod: 12 difference(s) between ${rel("prod-drifted.json")} and what the lock and the stack's settings resolve to now:`,
        '  goVersion                       deployed "1.26.6", locked "1.26.7"',
        '  goToolchain                     deployed "go1.26.6", locked "go1.26.7"',
        '  allowedGoVersions               deployed ["1.26.6"], locked ["1.26.7"]',
        '  archives[linux/amd64].filename  deployed "go1.26.6.linux-amd64.tar.gz", locked "go1.26.7.linux-amd64.tar.gz"',
        '  archives[linux/amd64].sha256    deployed "708effb774be8237570d0add163225abbdfaf4fca28b2611df167beba4feef89", locked "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca"',
        '  archives[linux/amd64].url       deployed "https://dl.google.com/go/go1.26.6.linux-amd64.tar.gz", locked "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz"',
        '  archives[linux/arm64].filename  deployed "go1.26.6.linux-arm64.tar.gz", locked "go1.26.7.linux-arm64.tar.gz"',
        '  archives[linux/arm64].sha256    deployed "d0507e9e9d7fe012aae570108cbd76c15de879e17130ab8cb90d4d7445cb1f2e", locked "5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37"',
        '  archives[linux/arm64].url       deployed "https://dl.google.com/go/go1.26.6.linux-arm64.tar.gz", locked "https://dl.google.com/go/go1.26.7.linux-arm64.tar.gz"',
        `  builderImages[linux/amd64]      deployed "${ECR}:go1.26.6-latest", locked an image pinned by digest (repository@sha256:…)`,
        '  publishedGoEnv.GOFLAGS          deployed "-mod=mod", locked "-mod=readonly -trimpath"',
        '  publishedGoEnv.GOPROXY          deployed "http://athens.goproxy.svc.cluster.local,direct", locked "http://athens.goproxy.svc.cluster.local"',
        "Review the lock and run `pulumi up` for prod to bring the stack back to it, or find out who changed the stack outside the lock.",
        "",
      ].join("\n"),
      stderr: "",
    });
  }, 120000);

  test("prod-hidden.json: hidden values are differences, explained; exit 1", async () => {
    const r = await runCli("drift", "--stack", "prod", "--outputs", rel("prod-hidden.json"));
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n").slice(0, 3)).toEqual([
      `prod: 2 difference(s) between ${rel("prod-hidden.json")} and what the lock and the stack's settings resolve to now:`,
      "  builderImages[linux/arm64]  deployed [secret] (hidden: cannot be compared), locked an image pinned by digest",
      '  publishedGoEnv              deployed [secret] (hidden: cannot be compared), locked {"CGO_ENABLED":"0","GOFLAGS":"-mod=readonly -trimpath","GONOPROXY":"none","GONOSUMDB":"git.corp.example","GOPRIVATE":"git.corp.example","GOPROXY":"http://athens.goproxy.svc.cluster.local","GOSUMDB":"sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org","GOTOOLCHAIN":"local"}',
    ]);
    expect(r.stdout.split("\n")[3]).toBe("Values shown as [secret] are hidden by `pulumi stack output --show-secrets=false` and cannot be compared; none of these outputs carries a credential, so find what made them secret.");
  }, 120000);

  test("dev: outputs recorded from the program now have no drift", async () => {
    const dir = tempDir("drift");
    try {
      const file = path.join(dir, "dev.json");
      fs.writeFileSync(file, JSON.stringify(planned.dev, null, 2));
      const r = await runCli("drift", "--stack", "dev", "--outputs", file);
      expect(r).toEqual({ code: 0, stdout: `dev: no drift: ${file} equals what the lock and the stack's settings resolve to now (Go 1.26.7, 2 archive(s), 8 published Go setting(s))\n`, stderr: "" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120000);

  test.each<[string, string[], string]>([
    ["a malformed file", ["--stack", "prod", "--outputs", rel("prod-malformed.json")], `goguard: --outputs ${rel("prod-malformed.json")} is not what \`pulumi stack output --json\` prints: archives[1].sha256: 5 must be a string\n`],
    ["a missing file", ["--stack", "prod", "--outputs", "no-such-outputs.json"], "goguard: --outputs no-such-outputs.json does not exist; write it with `pulumi stack output --json --show-secrets=false --stack prod > no-such-outputs.json`\n"],
    ["a file that is not JSON", ["--stack", "prod", "--outputs", rel("README.md")], `goguard: --outputs ${rel("README.md")} is not JSON (Unexpected token '#', "# Recorded"... is not valid JSON); write it with \`pulumi stack output --json --show-secrets=false --stack prod > ${rel("README.md")}\`\n`],
    ["a directory", ["--stack", "prod", "--outputs", os.tmpdir()], `goguard: --outputs ${os.tmpdir()} is a directory; give the outputs file: write it with \`pulumi stack output --json --show-secrets=false --stack prod > ${path.join(os.tmpdir(), "prod-outputs.json")}\` and pass --outputs ${path.join(os.tmpdir(), "prod-outputs.json")}\n`],
    ["a file whose parser message spans lines", ["--stack", "prod", "--outputs", rel("not-json-two-lines.txt")], `goguard: --outputs ${rel("not-json-two-lines.txt")} is not JSON (Unexpected token 'o', "not json" is not valid JSON); write it with \`pulumi stack output --json --show-secrets=false --stack prod > ${rel("not-json-two-lines.txt")}\`\n`],
    ["an unknown stack", ["--stack", "qa", "--outputs", rel("prod-clean.json")], 'goguard: --stack: unknown stack "qa"; use one of dev, staging, prod\n'],
  ])("%s: exit 2 naming it, before any program runs", async (_name, args, stderr) => {
    expect(await runCli("drift", ...args)).toEqual({ code: 2, stdout: "", stderr });
  });
});

describe(".github/workflows/drift.yml", () => {
  const { parse } = require("yaml") as typeof import("yaml");
  const wf = parse(fs.readFileSync(path.join(__dirname, "../../.github/workflows/drift.yml"), "utf8"));
  const job = wf.jobs.drift;

  test("scheduled (and on demand), for every stack that has a config, reading only", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(job.strategy.matrix.stack).toEqual(["dev", "staging", "prod"]);
    for (const s of job.strategy.matrix.stack) expect(fs.existsSync(path.join(__dirname, "../../stacks", `Pulumi.${s}.yaml`))).toBe(true);
    expect([wf.permissions, job.permissions]).toEqual([{}, { contents: "read", "id-token": "write" }]);
  });

  test("refresh in preview expecting no changes, then the outputs and goguard drift, which run after a failing refresh too", () => {
    const runs = job.steps.filter((s: { run?: string }) => typeof s.run === "string").map((s: { run: string; if?: string }) => [s.run, s.if ?? null]);
    expect(runs).toEqual([
      ["npm ci", null],
      ['pulumi refresh --preview-only --expect-no-changes --non-interactive --stack "$STACK"', null],
      ['pulumi stack output --json --show-secrets=false --non-interactive --stack "$STACK" > outputs.json', "success() || failure()"],
      ['npx goguard drift --stack "$STACK" --outputs outputs.json', "success() || failure()"],
    ]);
    expect(job.env.STACK).toBe("${{ matrix.stack }}");
  });
});
