// Runs a Pulumi program in-process under the SDK's mock monitor with preview semantics and
// captures every registration in the engine's wire form. One program per process: the runtime's
// state is global (the check command forks a worker per stack).
import * as path from "path";
import { CapturedResource } from "./types";

export interface ProgramRun {
  readonly programFile: string;
  readonly project: string;
  readonly stack: string;
  /** Fully qualified keys (`goguard:environment`) → string values, as the CLI hands them to a program. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** Extra type → computed output names (merged over COMPUTED_OUTPUTS). */
  readonly computedOutputs?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Outputs a provider computes on create. In a preview the engine hands them back as unknown; the
 * mock does the same, so rules that read them see "can't be known during preview" as they would
 * under `pulumi preview`.
 */
export const COMPUTED_OUTPUTS: Readonly<Record<string, readonly string[]>> = {
  "docker:index/image:Image": ["repoDigest", "platform", "contextDigest"],
  "aws:ecr/repository:Repository": ["arn", "registryId", "repositoryUrl"],
  "aws:s3/bucketV2:BucketV2": ["arn", "bucketDomainName", "bucketRegionalDomainName", "region"],
  "aws:s3/bucket:Bucket": ["arn", "bucketDomainName", "bucketRegionalDomainName", "region"],
  "aws:iam/role:Role": ["arn", "uniqueId", "createDate"],
  "aws:iam/policy:Policy": ["arn", "policyId"],
};

export interface ProgramResult {
  readonly resources: CapturedResource[];
  readonly stackOutputs: Record<string, unknown>;
  /** Provider functions the program called (answered with no data offline). */
  readonly invokes: string[];
}

export class ProgramError extends Error {}

function structToJs(s: { toJavaScript(): unknown } | undefined): Record<string, unknown> {
  return s ? (s.toJavaScript() as Record<string, unknown>) : {};
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProgramError(`${what} did not finish within ${ms} ms (an await on an unknown preview value never resolves)`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export async function runProgram(run: ProgramRun): Promise<ProgramResult> {
  const pulumi = await import("@pulumi/pulumi");
  const settings = require("@pulumi/pulumi/runtime/settings");
  const configRt = require("@pulumi/pulumi/runtime/config");
  const stackRt = require("@pulumi/pulumi/runtime/stack");

  configRt.setAllConfig({ ...run.config }, [...run.secretKeys]);
  const computed: Record<string, readonly string[]> = { ...COMPUTED_OUTPUTS, ...(run.computedOutputs ?? {}) };
  const invokes: string[] = [];
  const byUrn = new Map<string, CapturedResource & { outputs: Record<string, unknown> }>();
  const order: string[] = [];

  await pulumi.runtime.setMocks(
    {
      // Preview: a new resource's state is its inputs; computed outputs stay unknown.
      newResource: (args) => {
        const state: Record<string, unknown> = { ...args.inputs };
        for (const k of computed[args.type] ?? []) if (!(k in state)) state[k] = pulumi.unknown;
        return { id: args.custom ? `${args.name}-id` : "", state };
      },
      // Invokes need a provider plugin; offline they answer with no data (fields the program reads
      // from them are absent), and the run records which ones were made.
      call: (args) => {
        invokes.push(args.token);
        return {};
      },
    },
    run.project,
    run.stack,
    true,
  );
  const monitor = settings.getMonitor();
  // The engine does not qualify a URN's type with the root stack's type; the mock monitor does.
  const newUrn = monitor.newUrn.bind(monitor);
  monitor.newUrn = (parent: string, type: string, name: string) => newUrn(parent && parent.split("::")[2] === "pulumi:pulumi:Stack" ? "" : parent, type, name);
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: unknown, resp?: any) => void) => {
    register(req, (err: unknown, resp?: any) => {
      if (!err && resp) {
        const urn: string = resp.getUrn();
        if (byUrn.has(urn)) {
          callback(new ProgramError(`two resources have the URN ${urn}: the engine refuses duplicates; give them distinct names`));
          return;
        }
        const propDeps: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v: any, k: string) => (propDeps[k] = v.getUrnsList()));
        const ct = req.getCustomtimeouts();
        const parseTimeout = (s: string | undefined): number => (s ? Number.parseFloat(s) || 0 : 0);
        order.push(urn);
        byUrn.set(urn, {
          type: req.getType(),
          name: req.getName(),
          urn,
          id: resp.getId(),
          custom: req.getCustom(),
          parent: req.getParent(),
          inputs: structToJs(req.getObject()),
          outputs: structToJs(resp.getObject()),
          dependencies: req.getDependenciesList(),
          propertyDependencies: propDeps,
          provider: req.getProvider(),
          options: {
            protect: req.getProtect() ?? false,
            retainOnDelete: req.getRetainondelete() ?? false,
            ignoreChanges: req.getIgnorechangesList(),
            aliases: req.getAliasesList ? req.getAliasesList() : [],
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
            customTimeouts: { create: parseTimeout(ct?.getCreate()), update: parseTimeout(ct?.getUpdate()), delete: parseTimeout(ct?.getDelete()) },
          },
        });
      }
      callback(err, resp);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp?: any) => void) => {
    const r = byUrn.get(req.getUrn());
    if (r) r.outputs = structToJs(req.getOutputs());
    registerOutputs(req, callback);
  };

  const file = path.resolve(run.programFile);
  const timeoutMs = run.timeoutMs ?? 30000;
  let stackOutputs: Record<string, unknown> = {};
  try {
    stackOutputs = await withTimeout(
      stackRt.runInPulumiStack(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(file);
        const exported = mod && typeof mod.default === "function" ? await mod.default() : mod;
        return exported && typeof exported === "object" ? { ...exported } : {};
      }),
      timeoutMs,
      `the program ${run.programFile}`,
    );
    await withTimeout(settings.waitForRPCs(), timeoutMs, "the program's resource registrations");
  } catch (err) {
    throw new ProgramError(errorText(err));
  }
  const resources = order.map((u) => byUrn.get(u)!);
  // The root stack's registered outputs keep each export separately (unknown ones as the sentinel);
  // the awaited value loses every export as soon as one is unknown in preview.
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  return { resources, stackOutputs: root && Object.keys(root.outputs).length > 0 ? root.outputs : (stackOutputs ?? {}), invokes: [...new Set(invokes)].sort() };
}

/** The message of a program error without a stack trace (a ResourceError's message names the resource). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/^Error: /, "");
  return String(err);
}
