// What the offline run captures and reports. Props are in the engine's wire form.

/** What a program sees for a `secure:` config value offline: there is no key to decrypt with. */
export const OFFLINE_SECRET_PLACEHOLDER = "(secure value: not decrypted offline)";

export interface CapturedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly id: string;
  readonly custom: boolean;
  readonly parent: string;
  /** Inputs as the SDK sent them to the monitor (unknown and secret sentinels kept). */
  readonly inputs: Record<string, unknown>;
  /** The state the (mock) engine returned; in preview, computed outputs are absent (unknown). */
  readonly outputs: Record<string, unknown>;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  /** `urn::id` of an explicit provider; empty for a default provider (never registered offline). */
  readonly provider: string;
  readonly options: {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: readonly string[];
    readonly aliases: readonly string[];
    readonly additionalSecretOutputs: readonly string[];
    readonly deleteBeforeReplace?: boolean;
    readonly customTimeouts: { readonly create: number; readonly update: number; readonly delete: number };
  };
}

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";

export interface Violation {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly urn: string;
  readonly message: string;
  readonly description: string;
  readonly severity: string;
}

export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: string;
  readonly type: "resource" | "stack";
  readonly configSchema?: { readonly properties: Record<string, unknown>; readonly required: readonly string[] };
}

export interface StackResult {
  readonly stack: string;
  readonly resources: number;
  readonly error: string | null;
  readonly violations: readonly Violation[];
  /** Only when the job asked for props "both": the violations found with protobuf-built props. */
  readonly protobufViolations?: readonly Violation[];
  /** Only for render: what was registered and the program's stack outputs. */
  readonly captured?: readonly CapturedResource[];
  readonly stackOutputs?: Record<string, unknown>;
  /** Only for render: the secret plaintexts of the run, to redact files read outside it (Dockerfiles). */
  readonly secretValues?: readonly string[];
  readonly policies?: readonly PolicyInfo[];
  /** Where the time went: running the program under mocks, evaluating the pack. */
  readonly timings?: { readonly programMs: number; readonly analyzeMs: number; readonly peakRssMb?: number };
}
