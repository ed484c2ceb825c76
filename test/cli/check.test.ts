import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCli } from "../helpers/cli";

const CORPUS = path.join(__dirname, "../programs/corpus");

function parse(stdout: string) {
  return JSON.parse(stdout) as { ok: boolean; stacks: Array<{ stack: string; resources: number; error: string | null; violations: Array<{ policyName: string; enforcementLevel: string; urn: string; message: string; policyPackName: string }> }> };
}

/** go-archive-signature on prod with the shipped lock: no archive has a signature record yet (none can be made offline). */
const PROD_UNSIGNED =
  'the toolchain lock records no verified signature for 2 of 2 archive(s) of prod: go1.26.7.linux-amd64.tar.gz, go1.26.7.linux-arm64.tar.gz. The builder checks each signature at build time; the record shows the host checked it too, with the vendored Go key. Fix: on a networked machine run `goguard lock promote staging prod --version 1.26.7 --verify-signature --reason "<why>"`.';

/** copied-image-source-pinned on the Athens copy of staging/prod while the lock has no digest for it. */
const copied = (env: string): string =>
  `go-${env}-athens-image-copy Dockerfile line 1 (FROM): this image is a copy of docker.io/gomods/athens:v0.18.1, which is not pinned by digest, so the copy holds whatever the tag named when it was built (the copy itself is deployed by its pushed digest). Fix: resolve it with \`goguard lock resolve-images --image docker.io/gomods/athens:v0.18.1\` so the copy is made from docker.io/gomods/athens:v0.18.1@sha256:<digest>.`;

describe("goguard check on the shipped stacks", () => {
  const unsigned = (env: string, files: string[], how: string): string =>
    `the toolchain lock records no verified signature for ${files.length} of ${files.length} archive(s) of ${env}: ${files.join(", ")}. The builder checks each signature at build time; the record shows the host checked it too, with the vendored Go key. Fix: on a networked machine run ${how}.`;
  test("all three stacks pass (exit 0) and the JSON has the documented shape", async () => {
    const r = await runCli("check", "--stack", "all", "--format", "json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.stacks.map((s) => [s.stack, s.error, s.violations.map((v) => [v.policyName, v.enforcementLevel, v.message])])).toEqual([
      // dev deploys the upstream Athens tag until its digest is resolved: advisory there, refused elsewhere.
      // No archive of the shipped lock has a signature record yet (none can be made offline): advisory everywhere.
      [
        "dev",
        null,
        [
          ["go-archive-signature", "advisory", unsigned("dev", ["go1.26.7.linux-amd64.tar.gz", "go1.26.7.linux-arm64.tar.gz", "go1.27.0.linux-amd64.tar.gz", "go1.27.0.linux-arm64.tar.gz"], "`goguard lock allow dev 1.26.7 --verify-signature`, `goguard lock allow dev 1.27.0 --verify-signature`")],
          ["image-pinned-by-digest", "advisory", 'go-dev-proxy-deployment container "athens": image docker.io/gomods/athens:v0.18.1 is not pinned by digest. Fix: use docker.io/gomods/athens:v0.18.1@sha256:<digest>.'],
        ],
      ],
      // staging and prod copy the Athens image into ECR and deploy the copy by digest; its unresolved
      // source is shown (advisory everywhere), and `goguard lock verify --strict` refuses it before prod.
      ["staging", null, [["go-archive-signature", "advisory", unsigned("staging", ["go1.26.7.linux-amd64.tar.gz", "go1.26.7.linux-arm64.tar.gz"], '`goguard lock allow staging 1.26.7 --verify-signature --reason "<why>"`')], ["copied-image-source-pinned", "advisory", copied("staging")]]],
      ["prod", null, [["go-archive-signature", "advisory", PROD_UNSIGNED], ["copied-image-source-pinned", "advisory", copied("prod")]]],
    ]);
    for (const s of doc.stacks) expect(s.resources).toBeGreaterThanOrEqual(1);
  });
});

// Each program of the corpus carries one kind of weakness; in prod it must be caught by the named rules.
describe("the corpus, checked in prod", () => {
  test.each<[string, Array<[string, string]>]>([
    ["gosumdb-off-init-container.ts", [["go-sumdb-on", 'builder init container "fetch" env: GOSUMDB=off turns off checksum verification of every module not already in go.sum. Fix: Set GOSUMDB=sum.golang.org (or "sum.golang.org <proxy>/sumdb/sum.golang.org" through the environment\'s proxy).']]],
    // The proxy's own upstream (proxy.golang.org) is fine; its checksum database is not.
    ["athens-binary-env-sumdb-off.js", [
      ["go-sumdb-on", 'athens container "athens" ATHENS_GO_BINARY_ENV_VARS: GOSUMDB=off turns off checksum verification of every module not already in go.sum. Fix: Set GOSUMDB=sum.golang.org (or "sum.golang.org <proxy>/sumdb/sum.golang.org" through the environment\'s proxy).'],
    ]],
    ["minor-only-build-arg.ts", [
      ["go-flags-no-insecure", "svc build args: GOFLAGS=-insecure contains -insecure: Go no longer supports -insecure (go get stops with \"use GOINSECURE instead\"); it only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS."],
      ["go-version-exact-release", 'svc build args: GO_VERSION "1.26" is a minor series, not a release: pin a patch such as 1.26.7. Fix: Set GO_VERSION to an exact release the environment allows: 1.26.7.'],
    ]],
    ["wrong-checksum-build-arg.ts", [["go-archive-checksum-locked", "builder build args: GO_SHA256_LINUX_ARM64: the checksum for go1.26.7.linux-arm64.tar.gz is d0507e9e9d7fe012aae570108cbd76c15de879e17130ab8cb90d4d7445cb1f2e, but the catalog's is 5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37. Fix: Use the catalog's sha256 for go1.26.7.linux-arm64.tar.gz; if it came from the toolchain lock, the lock is wrong: `goguard lock verify` names the entry (never edit checksums by hand)."]]],
    ["configmap-wildcard-nosumdb.ts", [
      ["go-private-patterns-narrow", 'go-env data: GONOSUMDB pattern "*" matches every module path (such as github.com/stretchr/testify); Go skips the checksum database for every module it matches. Fix: Set GONOSUMDB=git.corp.example.'],
      ["go-toolchain-local", "go-env data: GOTOOLCHAIN=auto (local+auto) lets a module's go or toolchain line make Go download and run another toolchain. Fix: Set GOTOOLCHAIN=local so builds use only the verified toolchain in the image."],
    ]],
    ["golang-minor-cronjob.ts", [
      ["golang-image-full-patch", 'lint container "lint": image golang:1.26 has tag 1.26: "1.26" is a minor series, not a release: pin a patch such as 1.26.7; the tag moves to each new Go release. Fix: use golang:1.26.7[-variant] from the lock, pinned by @sha256 digest.'],
      ["image-pinned-by-digest", 'lint container "lint": image golang:1.26 is not pinned by digest. Fix: use golang:1.26@sha256:<digest>.'],
    ]],
    // Reported on the Job that takes the ConfigMap with envFrom, naming the ConfigMap and key.
    ["goflags-insecure-envfrom.ts", [["go-flags-no-insecure", "build container \"build\" env GOFLAGS (from ConfigMap ci/build-env key GOFLAGS): GOFLAGS=-insecure contains -insecure: Go no longer supports -insecure (go get stops with \"use GOINSECURE instead\"); it only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS."]]],
    ["compliant-lookalikes.ts", []],
  ])("%s", async (program, expected) => {
    const r = await runCli("check", "--stack", "prod", "--program", path.join(CORPUS, program), "--format", "json");
    const doc = parse(r.stdout);
    expect(doc.stacks[0].error).toBeNull();
    // The program's weakness, exactly; a deliberately weak program may also miss the workload baseline.
    const target = new Set(expected.map(([p]) => p));
    expect(doc.stacks[0].violations.filter((v) => target.has(v.policyName)).map((v) => [v.policyName, v.message])).toEqual(expected);
    // go-archive-signature judges the lock, not the program (the shipped lock has no signature record).
    if (expected.length === 0) expect(doc.stacks[0].violations.filter((v) => v.policyName !== "go-archive-signature")).toEqual([]);
    expect(doc.stacks[0].violations.every((v) => v.policyPackName === "goguard")).toBe(true);
    expect(r.code).toBe(expected.length > 0 ? 1 : 0);
    expect(doc.ok).toBe(expected.length === 0);
  });

  test("the same weakness is only advisory in dev (GOTOOLCHAIN=auto), so dev exits 0", async () => {
    const r = await runCli("check", "--stack", "dev", "--program", path.join(CORPUS, "configmap-wildcard-nosumdb.ts"), "--format", "json");
    const doc = parse(r.stdout);
    expect(doc.stacks[0].violations.map((v) => [v.policyName, v.enforcementLevel])).toEqual([
      ["go-archive-signature", "advisory"],
      ["go-private-patterns-narrow", "advisory"],
      ["go-toolchain-local", "advisory"],
    ]);
    expect(r.code).toBe(0);
  });
});

describe("formats and exit codes", () => {
  const weak = path.join(CORPUS, "minor-only-build-arg.ts");

  test("text groups by stack and resource, mandatory first, with the fix", async () => {
    const r = await runCli("check", "--stack", "prod", "--program", weak);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "✗ prod: 2 resources, 4 mandatory, 1 advisory",
        "  docker:index/image:Image svc",
        // The program names build.dockerfile "Dockerfile", which the project does not hold: fail closed.
        '    [mandatory] dockerfile-readable: svc build.dockerfile "Dockerfile" cannot be read: no such file in the program\'s working directory (the Docker provider reads build.dockerfile relative to it, not to build.context), so no Dockerfile rule can judge what this image builds. Fix: build from a Dockerfile committed in the project, named by a known build.dockerfile (or <context>/Dockerfile), with a local build.context.',
        "    [mandatory] go-flags-no-insecure: svc build args: GOFLAGS=-insecure contains -insecure: Go no longer supports -insecure (go get stops with \"use GOINSECURE instead\"); it only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS.",
        '    [mandatory] go-version-exact-release: svc build args: GO_VERSION "1.26" is a minor series, not a release: pin a patch such as 1.26.7. Fix: Set GO_VERSION to an exact release the environment allows: 1.26.7.',
        '    [mandatory] one-go-version: svc build args GO_VERSION: "1.26" is a minor series, not a release: pin a patch such as 1.26.7. Fix: use 1.26.7 everywhere.',
        "  (stack)",
        `    [advisory] go-archive-signature: ${PROD_UNSIGNED}`,
        "mandatory violations found",
        "",
      ].join("\n"),
    );
  });

  test("markdown is a PR comment: a summary table, then details", async () => {
    const r = await runCli("check", "--stack", "prod", "--program", weak, "--format", "markdown");
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 5)).toEqual(["## GoGuard policy check: ❌ mandatory violations", "", "| stack | resources | mandatory | advisory | status |", "|---|---:|---:|---:|---|", "| prod | 2 | 4 | 1 | ❌ |"]);
    expect(lines).toContain("| mandatory | `go-flags-no-insecure` | `docker:index/image:Image svc` | svc build args: GOFLAGS=-insecure contains -insecure: Go no longer supports -insecure (go get stops with \"use GOINSECURE instead\"); it only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS. |");
  });

  test("SARIF 2.1.0: rules with help text, results with levels and the resource as logical location", async () => {
    const r = await runCli("check", "--stack", "prod", "--program", weak, "--format", "sarif");
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe("2.1.0");
    const run = doc.runs[0];
    expect(run.tool.driver.name).toBe("goguard");
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual([...run.tool.driver.rules.map((x: { id: string }) => x.id)].sort());
    for (const rule of run.tool.driver.rules) expect(rule.help.text.length).toBeGreaterThan(20);
    expect(run.results.map((x: any) => [x.ruleId, x.level, run.tool.driver.rules[x.ruleIndex].id, x.locations[0].logicalLocations[0].fullyQualifiedName])).toEqual([
      ["dockerfile-readable", "error", "dockerfile-readable", "urn:pulumi:prod::goguard::docker:index/image:Image::svc"],
      ["go-flags-no-insecure", "error", "go-flags-no-insecure", "urn:pulumi:prod::goguard::docker:index/image:Image::svc"],
      ["go-version-exact-release", "error", "go-version-exact-release", "urn:pulumi:prod::goguard::docker:index/image:Image::svc"],
      ["one-go-version", "error", "one-go-version", "urn:pulumi:prod::goguard::docker:index/image:Image::svc"],
      ["go-archive-signature", "warning", "go-archive-signature", "stack prod"],
    ]);
  });

  test("a program that throws: exit 1, reported as the stack's error without a stack trace", async () => {
    const r = await runCli("check", "--stack", "prod", "--program", path.join(__dirname, "../programs/throws.ts"), "--format", "json");
    expect(r.code).toBe(1);
    expect(parse(r.stdout).stacks[0]).toEqual({ stack: "prod", resources: 0, error: 'goVersion must be an exact patch release such as "1.26.7"; got "1.26"', violations: [] });
  });

  test.each<[string, string]>([
    ["crashes.ts", "Cannot read properties of undefined (reading 'url') (at test/programs/crashes.ts:3:41)"],
    ["missing-import.ts", "Cannot find module './does-not-exist'"],
  ])("a program that fails (%s): one line, located in the program, and the summary says no policy result", async (program, error) => {
    const r = await runCli("check", "--stack", "prod", "--program", path.join(__dirname, "../programs", program));
    expect(r).toEqual({ code: 1, stdout: `✗ prod: the program refused its input\n    ${error}\nno policy result for prod: the program failed\n`, stderr: "" });
  });

  test("--config FILE with a misspelt key: the did-you-mean fix names FILE, not the stack's own file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-check-config-"));
    try {
      const file = path.join(dir, "Pulumi.prod.yaml");
      fs.writeFileSync(file, fs.readFileSync(path.join(__dirname, "../../stacks/Pulumi.prod.yaml"), "utf8").replace(/^config:\n/m, "config:\n  goguard:proxyUrll: x\n"));
      expect(await runCli("check", "--stack", "prod", "--config", file)).toEqual({
        code: 1,
        stdout: `✗ prod: the program refused its input\n    goguard:proxyUrll is not a GoGuard setting; did you mean goguard:proxyUrl? Rename it in ${file}\nno policy result for prod: the program failed\n`,
        stderr: "",
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120000);

  test.each([
    [["check", "--stack", "qa"], 'goguard: --stack: unknown stack "qa"; use one of dev, staging, prod or all\n'],
    [["check", "--stack", "prod", "--format", "xml"], 'goguard: --format: unknown format "xml"; use one of text, json, markdown, sarif\n'],
    [["check", "--stack", "prod", "--program", "nope.ts"], `goguard: --program nope.ts does not exist; check the path (relative to ${process.cwd()})\n`],
    [["check", "--stack", "prod", "--config", "/nonexistent/Pulumi.x.yaml"], "goguard: stack config /nonexistent/Pulumi.x.yaml does not exist; give a Pulumi.<stack>.yaml file (the shipped ones are in stacks/)\n"],
    [["check", "--stack", "prod", "--config", path.join(__dirname, "../fixtures/malformed-stack.yaml")], `goguard: stack config ${path.join(__dirname, "../fixtures/malformed-stack.yaml")} is not YAML: All mapping items must start at the same column at line 3, column 1; fix the file (pulumi config set writes valid YAML)\n`],
    [["check", "--stack", "prod", "--config", os.tmpdir()], `goguard: stack config ${os.tmpdir()} is a directory; give a stack config file (Pulumi.<stack>.yaml, such as stacks/Pulumi.prod.yaml)\n`],
  ])("usage error %j exits 2 with a one-line reason", async (argv, err) => {
    expect(await runCli(...argv)).toEqual({ code: 2, stdout: "", stderr: err });
  });
});
