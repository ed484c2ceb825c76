// Loads a CrossGuard policy pack in-process and drives its real gRPC handlers exactly as the engine
// does: GetAnalyzerInfo, Configure (defaults from each rule's configSchema, the `all` key, the
// stack's policy config, JSON-Schema validation), Analyze per resource, AnalyzeStack once.
// The pack's gRPC server is intercepted on the @grpc/grpc-js instance @pulumi/policy resolves, so
// its handlers are captured and no port is opened.
import * as fs from "fs";
import * as path from "path";
import { compileValidator } from "../../components/toolchain/lazy-ajv";
import { CapturedResource, EnforcementLevel, PolicyInfo, Violation } from "./types";
import { deepFreeze, toAnalyzerWire } from "./wire";

type Handler = (call: { request: unknown }, cb: (err: unknown, resp?: any) => void) => void;

export class PackError extends Error {}

const LEVEL_NAMES: Record<number, EnforcementLevel> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };

function requireFrom(base: string, id: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve(id, { paths: [base] }));
}

export interface LoadedPack {
  readonly name: string;
  readonly version: string;
  readonly policies: readonly PolicyInfo[];
  configure(config: Readonly<Record<string, unknown>>): Promise<void>;
  /** Compiles every rule's config schema now (a worker does it before its first stack arrives). */
  precompile(): void;
  analyze(resources: readonly CapturedResource[], options?: AnalyzeOptions): Promise<Violation[]>;
}

function call(handler: Handler, request: unknown): Promise<any> {
  return new Promise((resolve, reject) => handler({ request }, (err, resp) => (err ? reject(err) : resolve(resp))));
}

/**
 * The module a pack directory runs: its TypeScript source `index.ts` when the directory is a source
 * tree (the in-tree pack: what is judged is what is being edited, never a stale build), otherwise
 * what its package.json `main` names, as `pulumi preview --policy-pack DIR` resolves it (an installed
 * or published pack ships only its built `dist/index.js`).
 */
export function packEntry(packDir: string): string {
  const source = path.join(packDir, "index.ts");
  if (fs.existsSync(source)) return source;
  try {
    return require.resolve(packDir);
  } catch {
    throw new PackError(`${packDir} has neither index.ts nor a package.json "main" that exists; give a policy pack directory (built with npm run build in policies/, or installed from its tarball)`);
  }
}

export interface AnalyzeOptions {
  /**
   * How resource properties reach the handlers. "json" (the default): each request carries the
   * wire-form props once, as a Struct whose toJavaScript() hands them out frozen (jsonStruct), which
   * is all @pulumi/policy reads of it (deserializeProperties, once per rule and resource, and once
   * per stack rule for every resource). "protobuf": a Struct built field by field with
   * Struct.fromJavaScript, as the gRPC server would decode it. Both give the handlers equal
   * values (test/harness/equivalence.test.ts); "json" skips building and walking protobuf trees.
   */
  readonly props?: "json" | "protobuf";
}

/**
 * A request's props as a protobuf Struct (of the given struct_pb module) whose toJavaScript()
 * returns `wire` itself, frozen. Every read hands out the same value: @pulumi/policy reads it only
 * through deserializeProperties, which builds new arrays and objects for the handlers (primitives
 * are shared, and immutable), so a copy per read buys nothing; frozen, a write from anywhere throws
 * rather than changing what the next rule sees.
 */
export function jsonStruct(structPb: { Struct: new () => { toJavaScript(): unknown } }, wire: Record<string, unknown>): { toJavaScript(): unknown } {
  const frozen = deepFreeze(wire);
  const s = new structPb.Struct();
  s.toJavaScript = () => frozen;
  return s;
}

export async function loadPack(packDir: string): Promise<LoadedPack> {
  const policyPkg = path.dirname(require.resolve("@pulumi/policy/package.json", { paths: [packDir] }));
  const grpc = requireFrom(policyPkg, "@grpc/grpc-js");
  const analyzerPb = requireFrom(policyPkg, "@pulumi/pulumi/proto/analyzer_pb");
  const structPb = requireFrom(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [policyPkg] })), "google-protobuf/google/protobuf/struct_pb");

  let handlers: Record<string, Handler> | undefined;
  const proto = grpc.Server.prototype;
  const origAdd = proto.addService;
  const origBind = proto.bindAsync;
  proto.addService = function (_service: unknown, impl: Record<string, Handler>) {
    handlers = impl;
  };
  proto.bindAsync = function () {
    /* no port: the handlers are called directly */
  };
  const cwd = process.cwd();
  try {
    // PolicyPack reads the version from process.cwd()/package.json, as under `pulumi preview --policy-pack DIR`.
    process.chdir(packDir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(packEntry(packDir));
  } finally {
    process.chdir(cwd);
    proto.addService = origAdd;
    proto.bindAsync = origBind;
  }
  if (!handlers) throw new PackError(`${packEntry(packDir)} did not create a PolicyPack`);
  const h = handlers;

  const Empty = requireFrom(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [policyPkg] })), "google-protobuf/google/protobuf/empty_pb").Empty;
  const info = await call(h.getAnalyzerInfo, new Empty());
  const policies: PolicyInfo[] = info.getPoliciesList().map((p: any) => {
    const schema = p.getConfigschema();
    return {
      name: p.getName(),
      description: p.getDescription(),
      enforcementLevel: LEVEL_NAMES[p.getEnforcementlevel()],
      severity: ["", "low", "medium", "high", "critical"][p.getSeverity()] ?? "",
      type: p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
      ...(schema ? { configSchema: { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } } : {}),
    };
  });
  const byName = new Map(policies.map((p) => [p.name, p]));

  function options(r: CapturedResource): any {
    const o = new analyzerPb.AnalyzerResourceOptions();
    o.setProtect(r.options.protect);
    o.setIgnorechangesList([...r.options.ignoreChanges]);
    o.setAliasesList([...r.options.aliases]);
    o.setAdditionalsecretoutputsList([...r.options.additionalSecretOutputs]);
    if (r.options.deleteBeforeReplace !== undefined) {
      o.setDeletebeforereplacedefined(true);
      o.setDeletebeforereplace(r.options.deleteBeforeReplace);
    }
    if (r.parent) o.setParent(r.parent);
    const t = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(r.options.customTimeouts.create);
    t.setUpdate(r.options.customTimeouts.update);
    t.setDelete(r.options.customTimeouts.delete);
    o.setCustomtimeouts(t);
    return o;
  }

  function struct(v: unknown, how: AnalyzeOptions): any {
    const wire = toAnalyzerWire(v) as Record<string, unknown>;
    if (how.props === "protobuf") return structPb.Struct.fromJavaScript(wire);
    return jsonStruct(structPb, wire);
  }

  function diagnostics(resp: any, fallbackUrn: string): Violation[] {
    return resp.getDiagnosticsList().map((d: any) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()] === "mandatory" ? "mandatory" : "advisory",
      urn: d.getUrn() || fallbackUrn,
      // The server prefixes each message with the rule's description (kept separately here).
      message: d.getMessage().startsWith(`${d.getDescription()}\n`) ? d.getMessage().slice(d.getDescription().length + 1) : d.getMessage(),
      description: d.getDescription(),
      severity: ["", "low", "medium", "high", "critical"][d.getSeverity()] ?? "",
    }));
  }

  // A rule's schema is fixed for the pack's life: compiled once, applied at every Configure (a
  // worker configures the pack once per stack; compiling ~40 schemas each time was most of it).
  // Keyed on the schema itself: GoGuard's rules share one config schema, compiled once for all
  // (and, under the goguard loader, kept as code in its cache: see compileValidator).
  const validators = new Map<string, ReturnType<typeof compileValidator>>();
  function validatorFor(p: PolicyInfo): ReturnType<typeof compileValidator> {
    const schema = { type: "object", properties: p.configSchema!.properties, required: [...p.configSchema!.required] };
    const key = JSON.stringify(schema);
    let v = validators.get(key);
    if (!v) {
      v = compileValidator({ allErrors: true, useDefaults: true }, schema);
      validators.set(key, v);
    }
    return v;
  }

  return {
    name: info.getName(),
    version: info.getVersion(),
    policies,
    precompile() {
      for (const p of policies) if (p.configSchema) validatorFor(p);
    },
    async configure(config) {
      const problems: string[] = [];
      for (const key of Object.keys(config)) {
        if (key !== "all" && !byName.has(key)) problems.push(`policy config names "${key}", which is not a policy of ${info.getName()} (policies: ${[...byName.keys()].join(", ")})`);
      }
      const levelOf = (v: unknown): EnforcementLevel | undefined =>
        typeof v === "string" ? (v as EnforcementLevel) : v && typeof v === "object" ? ((v as { enforcementLevel?: EnforcementLevel }).enforcementLevel) : undefined;
      const allLevel = levelOf(config.all);
      const req = new analyzerPb.ConfigureAnalyzerRequest();
      const map = req.getPolicyconfigMap();
      for (const p of policies) {
        const entry = config[p.name];
        const level = levelOf(entry) ?? allLevel ?? p.enforcementLevel;
        if (!["advisory", "mandatory", "disabled", "remediate"].includes(level)) problems.push(`policy config for ${p.name}: enforcementLevel "${level}" must be advisory, mandatory, remediate or disabled`);
        const props: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
          if (s && typeof s === "object" && "default" in (s as object)) props[k] = structuredClone((s as { default: unknown }).default);
        }
        if (entry && typeof entry === "object") {
          for (const [k, v] of Object.entries(entry)) if (k !== "enforcementLevel") props[k] = v;
        }
        if (p.configSchema) {
          const validate = validatorFor(p);
          if (!validate(props)) {
            for (const e of validate.errors ?? []) problems.push(`policy config for ${p.name}${e.instancePath.replace(/\//g, ".")}: ${e.message}`);
          }
        }
        const pc = new analyzerPb.PolicyConfig();
        pc.setEnforcementlevel({ advisory: 0, mandatory: 1, disabled: 2, remediate: 3 }[level] ?? 0);
        pc.setProperties(structPb.Struct.fromJavaScript(props));
        map.set(p.name, pc);
      }
      if (problems.length > 0) throw new PackError(problems.join("\n"));
      await call(h.configure, req);
    },
    async analyze(resources, how = {}) {
      const out: Violation[] = [];
      for (const r of resources) {
        const req = new analyzerPb.AnalyzeRequest();
        req.setType(r.type);
        req.setProperties(struct(r.inputs, how));
        req.setUrn(r.urn);
        req.setName(r.name);
        req.setOptions(options(r));
        out.push(...diagnostics(await call(h.analyze, req), r.urn));
      }
      const stackReq = new analyzerPb.AnalyzeStackRequest();
      stackReq.setResourcesList(
        resources.map((r) => {
          const a = new analyzerPb.AnalyzerResource();
          a.setType(r.type);
          a.setProperties(struct(r.outputs, how));
          a.setUrn(r.urn);
          a.setName(r.name);
          a.setOptions(options(r));
          if (r.parent) a.setParent(r.parent);
          a.setDependenciesList([...r.dependencies]);
          const pd = a.getPropertydependenciesMap();
          for (const [k, urns] of Object.entries(r.propertyDependencies)) {
            const d = new analyzerPb.AnalyzerPropertyDependencies();
            d.setUrnsList([...urns]);
            pd.set(k, d);
          }
          return a;
        }),
      );
      out.push(...diagnostics(await call(h.analyzeStack, stackReq), ""));
      return out;
    },
  };
}
