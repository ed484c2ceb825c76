// Runs a Pulumi program in-process under the SDK's mock monitor with preview semantics and
// captures every registration in the engine's wire form. Programs run one at a time in a process,
// each with SDK state of its own (see runProgram); the check command runs them in a worker.
import * as fs from "fs";
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
  // docker-build: contextHash is hashed from the files and digest comes from the build itself;
  // neither can be had offline (a real preview knows the digest only when it could build: no
  // unknown inputs, buildOnPreview on). `ref` is the first tag until a digest exists: Create sets
  // it before building (see newResource below).
  "docker-build:index:Image": ["digest", "contextHash"],
  "docker-build:index:Index": ["ref"],
  "aws:ecr/repository:Repository": ["arn", "registryId", "repositoryUrl"],
  "aws:s3/bucketV2:BucketV2": ["arn", "bucketDomainName", "bucketRegionalDomainName", "region"],
  "aws:s3/bucket:Bucket": ["arn", "bucketDomainName", "bucketRegionalDomainName", "region"],
  "aws:iam/role:Role": ["arn", "uniqueId", "createDate"],
  "aws:iam/policy:Policy": ["arn", "policyId"],
  // The proxy's single-flight Redis: addresses exist once AWS created the group; a generated
  // password exists once the random provider made it.
  "aws:elasticache/replicationGroup:ReplicationGroup": ["arn", "primaryEndpointAddress", "readerEndpointAddress", "configurationEndpointAddress", "memberClusters", "clusterEnabled"],
  "aws:elasticache/subnetGroup:SubnetGroup": ["arn", "vpcId"],
  "aws:ec2/securityGroup:SecurityGroup": ["arn", "ownerId"],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["arn", "securityGroupRuleId"],
  "random:index/randomPassword:RandomPassword": ["result", "bcryptHash"],
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

/** How long a failed run's registrations get to end before its worker is given up (lastRunSettled). */
const SETTLE_AFTER_FAILURE_MS = 250;
let runSettled = false;

/** Whether `p` settles (either way) within `ms`. */
function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => true, () => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * Whether every registration the last run started had ended when the run returned or failed: always
 * for one that succeeded; for one that failed (the program threw, a source did not compile, an
 * await never resolved), when they all ended within SETTLE_AFTER_FAILURE_MS of the failure. A failed
 * run that settled leaves nothing in this process that a later run could meet beyond what a
 * successful one leaves (the worker still checks for timers and handles, and for rejections that
 * arrive late), so its worker may take the next stack; one still running something retires it.
 */
export function lastRunSettled(): boolean {
  return runSettled;
}

/**
 * Runs one program with SDK state of its own: the runtime's store (monitor, config, stack resource,
 * pending registrations) is a fresh one for this run (withStoreOfItsOwn), and the program's own
 * modules (everything it loaded from outside node_modules) are forgotten afterwards, so the next
 * run in the same process evaluates them afresh.
 * Provider packages stay loaded: they keep no per-stack state (their resource modules register in
 * the SDK's global store, once).
 */
export async function runProgram(run: ProgramRun): Promise<ProgramResult> {
  runSettled = false;
  await import("@pulumi/pulumi");
  const state = require("@pulumi/pulumi/runtime/state") as SdkState;
  leanSdk();
  const loadedBefore = new Set(Object.keys(require.cache));
  try {
    return await withStoreOfItsOwn(state, () => runProgramInStore(run));
  } finally {
    for (const id of Object.keys(require.cache)) {
      if (!loadedBefore.has(id) && !id.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[id];
    }
  }
}

/**
 * The SDK's bookkeeping that a run under mocks never reads, turned off (below). Exported for the
 * component tests' mocks (test/helpers/mocks.ts), so that they run the SDK as the harness does.
 */
export function leanSdk(): void {
  leanPromiseBookkeeping();
  leanSourcePositions();
}

/**
 * The SDK passes every promise it makes (about a hundred per resource: each input and output
 * property, the URN, the ID, each step of a registration) through `debuggablePromise`, which tags it
 * with a stack trace, an id and a label, adds it to a set of "leak candidates" and returns a new
 * promise chained onto it to take it out of the set again. The set serves one purpose: the message
 * about promises that never settled that a real `pulumi up` prints when the program's process exits.
 * A stack worker's process does not exit after a program (a program that never finishes is cut off
 * by the run's time bound instead), so the harness never printed it, yet the bookkeeping was most of
 * the SDK's memory per resource: 67 KB per ConfigMap before any registration completed (a heap
 * snapshot: ~200 promises, ~300 closures, ~200 label strings each), all alive at once because a
 * program creates its resources before the first one registers. Under the harness the function
 * returns the promise itself: the same value or the same rejection reaches the same callers, and the
 * corpora and the shipped stacks give identical findings (test/harness/equivalence.test.ts,
 * test/corpus-doc.test.ts).
 */
function leanPromiseBookkeeping(): void {
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown> } & { goguardLean?: boolean };
  if (debuggable.goguardLean) return;
  debuggable.debuggablePromise = (p) => p;
  debuggable.goguardLean = true;
}

/**
 * The SDK's resource constructor takes a stack trace of every resource (`Resource.stackTrace`: a
 * `new Error().stack` with no frame limit, parsed line by line, each frame turned into a file URL)
 * and the registration sends it, and its first frame as the source position, to the monitor as
 * protobuf StackFrames. A real engine shows them in diagnostics; the mock monitor hands its mocks
 * only the type, name, inputs, provider and id (runtime/mocks.js), and the harness's capture reads
 * neither (findings are located from the program's source, see sarif regions). Under the harness
 * the trace is empty: ~70 MB less at the peak of 5,000 ConfigMaps, and 0.4 s less of their run.
 */
function leanSourcePositions(): void {
  const resource = require("@pulumi/pulumi/resource") as { Resource: { stackTrace: (skip: number) => unknown[] } & { goguardLean?: boolean } };
  if (resource.Resource.goguardLean) return;
  resource.Resource.stackTrace = () => [];
  resource.Resource.goguardLean = true;
}

interface SdkStore {
  resourcePackages: unknown;
  resourceModules: unknown;
}
interface SdkState {
  LocalStore: new () => SdkStore;
  getGlobalStore(): SdkStore;
  getLocalStore(): SdkStore | undefined;
  withLocalStorage<T>(fn: () => Promise<T>): Promise<T>;
}

/** A run that holds the SDK's global store (one at a time per process). */
let holdingGlobalStore = false;

/**
 * Runs `fn` with a fresh SDK store. The SDK reads its state from an AsyncLocalStorage store when
 * one is active, else from `global.globalStore` (runtime/state.js getStore). A worker runs one
 * program at a time, so the run takes the global store's place: a new `LocalStore` (fresh monitor,
 * config, stack resource, pending registrations), keeping only the provider packages' resource
 * modules and packages, which the SDK reads from the global store by design (they register once,
 * when a provider module loads); the previous store is put back afterwards.
 *
 * This used to be `withLocalStorage`, as the SDK runs each Automation API inline program. On Node
 * 20, AsyncLocalStorage turns on promise hooks for the rest of the process: every promise gets
 * three extra properties (async ids and the store), about 10 KB per resource across the ~140
 * promises the SDK makes for each, and a hook call each: measured on 5,000 ConfigMaps, 0.7 s of
 * the program's 2.8 s and ~60 MB of the peak. What the store did not give: isolation from a
 * program's callbacks that run after its run ended (a timer, a socket). The worker checks for
 * those (leftovers.ts) and retires itself, so no later program shares a process with them.
 *
 * A run started while another holds the global store (two in one process, as a test may do), or
 * inside someone else's AsyncLocalStorage store, falls back to `withLocalStorage`.
 */
async function withStoreOfItsOwn<T>(state: SdkState, fn: () => Promise<T>): Promise<T> {
  if (holdingGlobalStore || state.getLocalStore() !== undefined) return state.withLocalStorage(fn);
  const holder = globalThis as { globalStore?: SdkStore };
  const previous = state.getGlobalStore();
  const store = new state.LocalStore();
  store.resourcePackages = previous.resourcePackages;
  store.resourceModules = previous.resourceModules;
  holdingGlobalStore = true;
  holder.globalStore = store;
  try {
    return await fn();
  } finally {
    holder.globalStore = previous;
    holdingGlobalStore = false;
  }
}

async function runProgramInStore(run: ProgramRun): Promise<ProgramResult> {
  const pulumi = await import("@pulumi/pulumi");
  const settings = require("@pulumi/pulumi/runtime/settings");
  const configRt = require("@pulumi/pulumi/runtime/config");
  const stackRt = require("@pulumi/pulumi/runtime/stack");

  configRt.setAllConfig({ ...run.config }, [...run.secretKeys]);
  const computed: Record<string, readonly string[]> = { ...COMPUTED_OUTPUTS, ...(run.computedOutputs ?? {}) };
  const invokes: string[] = [];
  /** Invokes made without an explicit provider (the package's default provider). */
  const defaultProviderInvokes: string[] = [];
  const byUrn = new Map<string, CapturedResource & { outputs: Record<string, unknown> }>();
  const order: string[] = [];

  await pulumi.runtime.setMocks(
    {
      // Preview: a new resource's state is its inputs; computed outputs stay unknown.
      newResource: (args) => {
        const state: Record<string, unknown> = { ...args.inputs };
        // The Kubernetes provider auto-names an object without metadata.name in Check, that is
        // already during preview, so a workload referencing `configMap.metadata.name` sees a known
        // name there; the mock does the same (a stable suffix instead of a random one).
        const autoname = kubernetesAutoname(args.type, args.name, args.inputs);
        if (autoname !== undefined) state.metadata = { ...((args.inputs.metadata ?? {}) as Record<string, unknown>), name: autoname };
        for (const k of computed[args.type] ?? []) if (!(k in state)) state[k] = pulumi.unknown;
        // A docker-build Image in preview: `ref` is its first tag (or unknown while the tags are).
        if (args.type === "docker-build:index:Image" && !("ref" in state)) state.ref = Array.isArray(args.inputs.tags) && typeof args.inputs.tags[0] === "string" ? args.inputs.tags[0] : pulumi.unknown;
        return { id: args.custom ? `${args.name}-id` : "", state };
      },
      // Invokes need a provider plugin; offline they answer with no data (fields the program reads
      // from them are absent), and the run records which ones were made.
      call: (args) => {
        invokes.push(args.token);
        if (!args.provider) defaultProviderInvokes.push(args.token);
        // v1 ConfigGroup/ConfigFile parse their YAML through the provider's decode function
        // and then register the objects themselves (in the SDK): answer it as the provider does.
        if (args.token === "kubernetes:yaml:decode" && typeof args.inputs.text === "string") return { result: decodeManifests(args.inputs.text, "kubernetes:yaml:decode") };
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
        // A yaml/v2 ConfigGroup/ConfigFile is a remote component: the real provider parses its
        // manifests and registers one child per object; under mocks nothing does, so the
        // harness captures those children the way the provider would register them.
        if (YAML_V2_COMPONENTS.has(req.getType())) {
          try {
            for (const child of yamlV2Children(req.getType(), req.getName(), urn, structToJs(req.getObject()), path.dirname(path.resolve(run.programFile)))) {
              if (byUrn.has(child.urn)) throw new ProgramError(`two resources have the URN ${child.urn}: the engine refuses duplicates; give them distinct names`);
              order.push(child.urn);
              byUrn.set(child.urn, child);
            }
          } catch (e) {
            callback(e instanceof ProgramError ? e : new ProgramError(errorText(e)));
            return;
          }
        }
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
    runSettled = true;
  } catch (err) {
    // The registrations the program started before it failed may still be running: a short,
    // bounded wait tells whether they all ended (see lastRunSettled).
    runSettled = await settledWithin(settings.waitForRPCs(), SETTLE_AFTER_FAILURE_MS);
    throw new ProgramError(errorText(err));
  }
  const resources = order.map((u) => byUrn.get(u)!);
  // The engine refuses a default provider the stack disabled; under mocks nothing would.
  const defaultUses = defaultProviderViolations(run.config, resources, defaultProviderInvokes);
  if (defaultUses.length > 0) throw new ProgramError(defaultUses.join("\n"));
  // The root stack's registered outputs keep each export separately (unknown ones as the sentinel);
  // the awaited value loses every export as soon as one is unknown in preview.
  const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  return { resources, stackOutputs: root && Object.keys(root.outputs).length > 0 ? root.outputs : (stackOutputs ?? {}), invokes: [...new Set(invokes)].sort() };
}

/**
 * What the engine refuses under `pulumi:disable-default-providers` (a list of packages, `*` for
 * all): each custom resource registered, and each invoke made, without an explicit provider of a
 * disabled package, worded as the engine words it. Provider resources and the stack itself are
 * exempt, and so are the objects the harness expands from a yaml/v2 component (the provider
 * registers them with the component's provider). A value that is not a list of strings is itself
 * reported, since the engine would refuse it too.
 */
export function defaultProviderViolations(config: Readonly<Record<string, string>>, resources: readonly CapturedResource[], invokesWithoutProvider: readonly string[]): string[] {
  const raw = config["pulumi:disable-default-providers"];
  if (raw === undefined) return [];
  let disabled: unknown;
  try {
    disabled = JSON.parse(raw);
  } catch {
    disabled = raw;
  }
  if (!Array.isArray(disabled) || !disabled.every((d) => typeof d === "string")) {
    return [`pulumi:disable-default-providers must be a list of package names (or "*"); got ${JSON.stringify(raw).slice(0, 100)}`];
  }
  const off = (pkg: string): boolean => disabled.includes("*") || disabled.includes(pkg);
  const out: string[] = [];
  const expanded = new Set(resources.filter((r) => YAML_V2_COMPONENTS.has(r.type)).map((r) => r.urn));
  for (const r of resources) {
    if (!r.custom || r.provider !== "" || r.type.startsWith("pulumi:") || expanded.has(r.parent)) continue;
    const pkg = r.type.split(":")[0];
    if (off(pkg)) out.push(`Default provider for '${pkg}' disabled. '${r.urn}' must use an explicit provider (opts.provider, or a parent's providers map).`);
  }
  for (const token of [...new Set(invokesWithoutProvider)].sort()) {
    const pkg = token.split(":")[0];
    if (off(pkg) && pkg !== "pulumi") out.push(`Default provider for '${pkg}' disabled. The invoke '${token}' must use an explicit provider (opts.provider, or opts.parent with a providers map).`);
  }
  return out;
}

/** The message of a program error without a stack trace (a ResourceError's message names the resource). */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let text = err.message.replace(/^Error: /, "");
  // Node's "Require stack:" lists the harness's own modules; the first line names what is missing.
  if ((err as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") text = text.split("\n")[0];
  // A crash (not a refusal the program wrote) is located in the program's own source.
  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError) {
    const at = programFrame(err.stack);
    if (at !== undefined) text += ` (at ${at})`;
  }
  return text;
}

/** The first stack frame outside node_modules and GoGuard's harness: the program's own line. */
function programFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const m = /\(?((?:\/|[A-Za-z]:\\)[^()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (m && !m[1].includes(`${path.sep}node_modules${path.sep}`) && !m[1].includes(`${path.sep}cli${path.sep}harness${path.sep}`)) {
      const at = originalPosition(m[1], Number(m[2]), Number(m[3]));
      return `${path.relative(process.cwd(), m[1])}:${at ? `${at.line}:${at.column}` : `${m[2]}:${m[3]}`}`;
    }
  }
  return undefined;
}

/**
 * A frame of a .ts file the GoGuard loader compiled, mapped to its TypeScript line (the worker does
 * not turn on Node's source maps: they cost every stack trace the SDK takes). Under a runtime with
 * its own mapping (ts-jest), frames are already TypeScript positions and the loader is not there.
 */
function originalPosition(file: string, line: number, column: number): { line: number; column: number } | undefined {
  const loader = require.cache[require.resolve("../bin/register-ts")]?.exports as { originalPosition?: (f: string, l: number, c: number) => { line: number; column: number } | undefined } | undefined;
  return loader?.originalPosition?.(file, line, column);
}

// ---------------------------------------------------------------------------------------------
// kubernetes:yaml/v2 ConfigGroup / ConfigFile, expanded as the provider does
// (pulumi-kubernetes provider/pkg/provider/yaml/v2: configgroup.go, configfile.go, yaml.go).

export const YAML_V2_COMPONENTS: ReadonlySet<string> = new Set(["kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile"]);

/** The wire form's unknown-value sentinel (an input not known during preview). */
const UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function unwrapSecret(v: unknown): unknown {
  return v && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270" ? (v as { value?: unknown }).value : v;
}

/** Every document of a YAML stream (empty documents skipped), as the provider's decoder reads it. */
export function decodeManifests(text: string, where: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  // yaml is loaded here, on first use: most programs decode no YAML, and a check's worker would
  // otherwise pay ~35 ms of CPU to load it before the first stack runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require("yaml") as typeof import("yaml");
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new ProgramError(`${where}: the YAML does not parse: ${doc.errors[0].message}`);
    const v = doc.toJS();
    if (v === null || v === undefined) continue;
    if (typeof v !== "object" || Array.isArray(v)) throw new ProgramError(`${where}: a YAML document is not a Kubernetes object: ${JSON.stringify(v).slice(0, 100)}`);
    if (Object.keys(v).length > 0) out.push(v as Record<string, unknown>);
  }
  return out;
}

/** `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`; `v1` → the core group. */
export function k8sTypeToken(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/", 2) : ["core", apiVersion];
  return `kubernetes:${group === "" ? "core" : group}/${version}:${kind}`;
}

/** Expands `*List` objects into their items (Normalize's expand). Bounded by the object count. */
function expandLists(objs: Record<string, unknown>[], where: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const queue = [...objs];
  for (let guard = 0; queue.length > 0 && guard < 100000; guard++) {
    const o = queue.shift()!;
    if (typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items)) {
      queue.unshift(...(o.items as Record<string, unknown>[]));
      continue;
    }
    out.push(o);
  }
  if (queue.length > 0) throw new ProgramError(`${where}: too many objects`);
  return out;
}

/**
 * The children a yaml/v2 component registers: one per object (files, then the `yaml` literal, then
 * `objs`), named `<resourcePrefix>:<namespace>/<name>` (or `<prefix>:<name>` without a namespace;
 * resourcePrefix defaults to the component's name), parented to the component. Two differences
 * from a real run, both deliberate: objects are captured in document order rather than the
 * provider's dependency order, and an object without metadata.namespace keeps none here, where the
 * provider writes in its default namespace (unknown offline; the policies treat "no namespace" as
 * "the provider's default namespace").
 */
export function yamlV2Children(type: string, name: string, parentUrn: string, inputs: Record<string, unknown>, programDir: string): Array<CapturedResource & { outputs: Record<string, unknown> }> {
  const where = `${type} ${name}`;
  const texts: Array<[string, string]> = [];
  const fileInputs = type.endsWith(":ConfigFile") ? [inputs.file] : Array.isArray(inputs.files) ? inputs.files : inputs.files === undefined ? [] : [inputs.files];
  const inputsKnown = ![inputs.file, inputs.files, inputs.yaml, inputs.objs, inputs.resourcePrefix].some((v) => v === UNKNOWN_WIRE);
  // Like the provider, nothing is registered while an input is unknown (the preview is incomplete).
  if (!inputsKnown) return [];
  for (const f of fileInputs) {
    if (f === undefined) continue;
    if (typeof f !== "string" || f === "") throw new ProgramError(`${where}: file must be a path; got ${JSON.stringify(f)}`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(f)) throw new ProgramError(`${where}: file ${f} is a URL; the offline check cannot fetch it. Fix: vendor the manifest next to the program.`);
    const files = globFiles(path.resolve(programDir, f));
    if (files.length === 0) throw new ProgramError(`${where}: file ${f} matches no file (resolved against ${programDir}).`);
    for (const file of files) {
      try {
        texts.push([file, fs.readFileSync(file, "utf8")]);
      } catch (e) {
        throw new ProgramError(`${where}: file ${f} cannot be read (${e !== null && typeof e === "object" && "message" in e ? String((e as { message: unknown }).message) : String(e)}). Fix: give a path relative to the program's directory.`);
      }
    }
  }
  const yamlIn = unwrapSecret(inputs.yaml);
  for (const y of Array.isArray(yamlIn) ? yamlIn : yamlIn === undefined ? [] : [yamlIn]) {
    if (typeof y !== "string") throw new ProgramError(`${where}: yaml must be a string; got ${JSON.stringify(y).slice(0, 60)}`);
    texts.push(["yaml", y]);
  }
  let objs: Record<string, unknown>[] = [];
  for (const [src, t] of texts) objs.push(...decodeManifests(t, `${where} (${src === "yaml" ? "yaml" : path.relative(programDir, src)})`));
  const objsIn = unwrapSecret(inputs.objs);
  if (Array.isArray(objsIn)) objs.push(...(objsIn.map(unwrapSecret) as Record<string, unknown>[]));
  objs = expandLists(objs, where);
  const prefix = typeof inputs.resourcePrefix === "string" ? inputs.resourcePrefix : name;
  const parentType = parentUrn.split("::")[2];
  const urnHead = parentUrn.split("::").slice(0, 2).join("::");
  return objs.map((o) => {
    const md = (o.metadata ?? {}) as Record<string, unknown>;
    if (typeof o.apiVersion !== "string" || typeof o.kind !== "string" || o.apiVersion === "" || o.kind === "") throw new ProgramError(`${where}: Kubernetes resources require a kind and apiVersion: ${JSON.stringify(o).slice(0, 100)}`);
    if (typeof md.name !== "string" || md.name === "") throw new ProgramError(`${where}: Kubernetes resources require a .metadata.name: ${JSON.stringify(o).slice(0, 100)}`);
    const ns = typeof md.namespace === "string" && md.namespace !== "" ? md.namespace : undefined;
    const childName = `${prefix ? `${prefix}:` : ""}${ns ? `${ns}/` : ""}${md.name}`;
    const childType = k8sTypeToken(o.apiVersion, o.kind);
    const props = structuredClone(o);
    return {
      type: childType,
      name: childName,
      urn: `${urnHead}::${parentType}$${childType}::${childName}`,
      id: `${childName}-id`,
      custom: true,
      parent: parentUrn,
      inputs: props,
      outputs: structuredClone(props),
      dependencies: [],
      propertyDependencies: {},
      provider: "",
      options: { protect: false, retainOnDelete: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { create: 0, update: 0, delete: 0 } },
    };
  });
}

/** A path, or a `*`/`?` pattern in its last element (sorted, as filepath.Glob + sort.Strings). */
function globFiles(file: string): string[] {
  const base = path.basename(file);
  if (!/(^|[^\\])[*?[]/.test(file)) return [file];
  if (/[*?[]/.test(path.dirname(file))) throw new ProgramError(`file pattern ${file}: only the last path element may hold a pattern offline`);
  const re = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
  const dir = path.dirname(file);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => path.join(dir, f)) : [];
}

/**
 * The name pulumi-kubernetes gives an object whose metadata.name is unset (`<resource name>-<suffix>`;
 * the provider's suffix is random, this one a stable hash of the name), or undefined where the
 * provider does not auto-name: components (yaml, helm, kustomize), server-side-apply `*Patch`
 * resources (they require a name), and objects that carry a name (or generateName).
 */
export function kubernetesAutoname(type: string, name: string, inputs: Record<string, unknown>): string | undefined {
  if (!type.startsWith("kubernetes:") || /^kubernetes:(yaml|helm\.sh|kustomize)[:/]/.test(type) || type.endsWith("Patch") || type.startsWith("pulumi:providers")) return undefined;
  const md = inputs.metadata;
  if (md !== undefined && (md === null || typeof md !== "object")) return undefined;
  const m = (md ?? {}) as Record<string, unknown>;
  if (m.name !== undefined || m.generateName !== undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hash = require("crypto").createHash("sha256").update(`${type}::${name}`).digest("hex") as string;
  return `${name}-${hash.slice(0, 8)}`;
}
