// V3 (the host-side record): every archive an environment locks has a verified signature record in
// the toolchain lock (`goguard lock allow|promote --verify-signature`). Advisory in every
// environment: no signature can be fetched offline, so the shipped lock has none; the mandatory
// gate for prod is `goguard lock verify --strict`, which the deploy workflow runs before prod.
// The lock reaches the rule through the generated policy config (`archiveSignatures`).
import { StackValidationPolicy } from "@pulumi/policy";
import { ENVIRONMENTS, EnvironmentName, ToolchainLock } from "../../components/toolchain/lock";
import { GO_RULE_CONFIG_SCHEMA } from "../lib/config";
import { RuleDef, stackRule } from "./common";

export interface ArchiveSignatureStatus {
  readonly version: string;
  readonly platform: string;
  readonly filename: string;
  /** The signing key's fingerprint when a verified record exists; null when none is recorded. */
  readonly signedBy: string | null;
}

/** The policy config value: each locked archive of the environment and whether it has a record (pure). */
export function archiveSignatureStatus(lock: ToolchainLock, env: EnvironmentName): ArchiveSignatureStatus[] {
  return Object.entries(lock.environments[env].versions).flatMap(([version, archives]) =>
    Object.entries(archives).map(([platform, a]) => ({ version, platform, filename: a.filename, signedBy: a.signature?.subkey ?? null })),
  );
}

function statusOf(config: Record<string, unknown>): ArchiveSignatureStatus[] {
  const v = config.archiveSignatures;
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is ArchiveSignatureStatus => x !== null && typeof x === "object" && typeof x.filename === "string" && typeof x.version === "string" && typeof x.platform === "string");
}

/** The finding for the archives without a record (pure); undefined when every archive has one. */
export function missingSignatureMessage(status: readonly ArchiveSignatureStatus[], env: string): string | undefined {
  const missing = status.filter((s) => s.signedBy === null);
  if (missing.length === 0) return undefined;
  const versions = [...new Set(missing.map((m) => m.version))];
  const how =
    env === "prod"
      ? versions.map((v) => `\`goguard lock promote staging prod --version ${v} --verify-signature --reason "<why>"\``).join(", ")
      : versions.map((v) => `\`goguard lock allow ${(ENVIRONMENTS as readonly string[]).includes(env) ? env : "<env>"} ${v} --verify-signature${env === "staging" ? ' --reason "<why>"' : ""}\``).join(", ");
  return `the toolchain lock records no verified signature for ${missing.length} of ${status.length} archive(s) of ${env}: ${missing.map((m) => m.filename).join(", ")}. The builder checks each signature at build time; the record shows the host checked it too, with the vendored Go key. Fix: on a networked machine run ${how}.`;
}

const rule = stackRule(
  {
    name: "go-archive-signature",
    rows: ["V3"],
    severity: "medium",
    description:
      "Every Go archive the environment locks carries a verified signature record in the toolchain lock: the archive and its .asc were downloaded and the signature verified against the vendored Go signing key (primary EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796). Advisory everywhere; the deploy gate for prod is `goguard lock verify --strict`.",
    remediation: "On a networked machine, run `goguard lock allow <env> <version> --verify-signature` (dev, staging) or `goguard lock promote staging prod --verify-signature` (prod), then `goguard policy-config`.",
  },
  (_args, config) => {
    const env = typeof config.environment === "string" ? config.environment : "prod";
    const m = missingSignatureMessage(statusOf(config), env);
    return m ? [["", m]] : [];
  },
);

// Its config adds `archiveSignatures` to the shared settings.
export const goArchiveSignature: RuleDef<StackValidationPolicy> = {
  doc: rule.doc,
  policy: {
    ...rule.policy,
    configSchema: {
      properties: {
        ...(GO_RULE_CONFIG_SCHEMA.properties as unknown as Record<string, object>),
        archiveSignatures: { type: "array", default: [], items: { type: "object" }, description: "Each archive the lock holds for the environment and the key that signed it (null: no record), from the lock by `goguard policy-config`." },
      },
    } as StackValidationPolicy["configSchema"],
  },
};
