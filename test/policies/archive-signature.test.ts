// go-archive-signature (V3, the host record) through the real handlers: the generated policy config
// carries each locked archive and its signing key (archiveSignatures); a missing record is an
// advisory finding in every environment, naming the archives and the command that records them.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { jobFor } from "../../cli/commands/check";
import { runStackIsolated } from "../../cli/harness/fork";
import { policyConfigPath } from "../../cli/stack-files";
import { parseLock } from "../../components/toolchain/lock";
import { archiveSignatureStatus, missingSignatureMessage } from "../../policies/rules/signatures";

const RULE = "go-archive-signature";
const SHIPPED = parseLock(JSON.parse(fs.readFileSync(path.join(__dirname, "../../stacks/toolchain.lock.json"), "utf8")));
const SUBKEY = "0E225917414670F4442C250DFD533C07C264648F";

async function run(stack: string, archiveSignatures?: unknown): Promise<Array<[string, string, string]>> {
  const job = jobFor(stack, { program: path.join(__dirname, "../programs/rules/vulns-clean.ts") });
  let policyConfigFile = job.policyConfigFile;
  if (archiveSignatures !== undefined) {
    const cfg = JSON.parse(fs.readFileSync(policyConfigPath(stack), "utf8"));
    cfg[RULE] = { ...cfg[RULE], archiveSignatures };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-v3-"));
    policyConfigFile = path.join(dir, `${stack}.json`);
    fs.writeFileSync(policyConfigFile, JSON.stringify(cfg));
  }
  try {
    const r = await runStackIsolated({ ...job, policyConfigFile });
    if (r.error) throw new Error(r.error);
    return r.violations.filter((v) => v.policyName === RULE).map((v) => [v.urn ? v.urn.split("::").pop()! : "(stack)", v.enforcementLevel, v.message]);
  } finally {
    if (policyConfigFile !== job.policyConfigFile) fs.rmSync(path.dirname(policyConfigFile!), { recursive: true, force: true });
  }
}

const PROD_MSG =
  'the toolchain lock records no verified signature for 2 of 2 archive(s) of prod: go1.26.7.linux-amd64.tar.gz, go1.26.7.linux-arm64.tar.gz. The builder checks each signature at build time; the record shows the host checked it too, with the vendored Go key. Fix: on a networked machine run `goguard lock promote staging prod --version 1.26.7 --verify-signature --reason "<why>"`.';

describe("go-archive-signature through the real handlers", () => {
  test.each([
    ["prod", PROD_MSG],
    [
      "staging",
      'the toolchain lock records no verified signature for 2 of 2 archive(s) of staging: go1.26.7.linux-amd64.tar.gz, go1.26.7.linux-arm64.tar.gz. The builder checks each signature at build time; the record shows the host checked it too, with the vendored Go key. Fix: on a networked machine run `goguard lock allow staging 1.26.7 --verify-signature --reason "<why>"`.',
    ],
    [
      "dev",
      "the toolchain lock records no verified signature for 4 of 4 archive(s) of dev: go1.26.7.linux-amd64.tar.gz, go1.26.7.linux-arm64.tar.gz, go1.27.0.linux-amd64.tar.gz, go1.27.0.linux-arm64.tar.gz. The builder checks each signature at build time; the record shows the host checked it too, with the vendored Go key. Fix: on a networked machine run `goguard lock allow dev 1.26.7 --verify-signature`, `goguard lock allow dev 1.27.0 --verify-signature`.",
    ],
  ])("%s with the shipped lock (no records): one advisory finding on the stack", async (stack, message) => {
    expect(await run(stack)).toEqual([["(stack)", "advisory", message]]);
  });

  test("every archive recorded: quiet", async () => {
    expect(await run("prod", archiveSignatureStatus(SHIPPED, "prod").map((a) => ({ ...a, signedBy: SUBKEY })))).toEqual([]);
  });

  test("one of two recorded: names only the other", async () => {
    const [amd, arm] = archiveSignatureStatus(SHIPPED, "prod");
    expect(await run("prod", [{ ...amd, signedBy: SUBKEY }, arm])).toEqual([
      [
        "(stack)",
        "advisory",
        'the toolchain lock records no verified signature for 1 of 2 archive(s) of prod: go1.26.7.linux-arm64.tar.gz. The builder checks each signature at build time; the record shows the host checked it too, with the vendored Go key. Fix: on a networked machine run `goguard lock promote staging prod --version 1.26.7 --verify-signature --reason "<why>"`.',
      ],
    ]);
  });
});

describe("the rule's pure parts", () => {
  test("archiveSignatureStatus lists every archive of the environment with its signer", () => {
    const lock = parseLock({
      ...SHIPPED,
      environments: {
        ...SHIPPED.environments,
        prod: {
          ...SHIPPED.environments.prod,
          versions: {
            "1.26.7": {
              ...SHIPPED.environments.prod.versions["1.26.7"],
              "linux/arm64": { ...SHIPPED.environments.prod.versions["1.26.7"]["linux/arm64"], signature: { verified: true, subkey: SUBKEY, signedAt: "2026-09-01T10:00:00Z", checkedAt: "2026-11-22T06:41:27Z" } },
            },
          },
        },
      },
    });
    expect(archiveSignatureStatus(lock, "prod")).toEqual([
      { version: "1.26.7", platform: "linux/amd64", filename: "go1.26.7.linux-amd64.tar.gz", signedBy: null },
      { version: "1.26.7", platform: "linux/arm64", filename: "go1.26.7.linux-arm64.tar.gz", signedBy: SUBKEY },
    ]);
  });

  test("no archives, or all recorded: no message", () => {
    expect(missingSignatureMessage([], "prod")).toBeUndefined();
    expect(missingSignatureMessage([{ version: "1.26.7", platform: "linux/amd64", filename: "go1.26.7.linux-amd64.tar.gz", signedBy: SUBKEY }], "prod")).toBeUndefined();
  });
});
