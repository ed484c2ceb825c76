// The Dockerfile reader of the policies (pure: text and build args in, facts out). Instructions come
// from `dockerfile-ast` (instruction boundaries, the escape directive, heredocs), their words are
// read as BuildKit reads them (dockerfile-words.ts), RUN scripts with a real shell parser
// (dockerfile-shell.ts). What it models, stage by stage, the way BuildKit builds:
//   - ARG: global (before the first FROM, visible to FROM only unless redeclared in a stage) and per
//     stage; a build arg overrides only an ARG that is declared; ARG values are environment for RUN.
//   - ENV in both syntaxes, inherited through `FROM <stage>`; ENV beats ARG of the same name.
//   - `go env -w` writes the stage's go env file: later RUNs of the stage (and stages built FROM it)
//     read it, underneath the process environment (cmd/go consults the OS environment first).
//   - Images named by FROM and COPY --from (stage names excluded), downloads of Go archives (ADD or
//     curl/wget, variables resolved), their sha256 checks and extractions, module queries.
// A script the shell cannot parse is a problem (fail closed), never an exception.
import type { DockerfileParser as Parser } from "dockerfile-ast";
import { deepFreeze } from "../../components/toolchain/freeze";
import { loaderTextCache } from "../../components/toolchain/loader-cache";
import { expandWord, logicalLine, parseArgDecls, parseEnvPairs, parseWords, plainVars, splitFlags, varMap } from "./dockerfile-words";
import { analyzeExec, analyzeScript, basename, CheckEvent, envOperands, ModuleQuery, newEvents, ShellEvents, ShellState } from "./dockerfile-shell";

export type { ModuleQuery } from "./dockerfile-shell";

export interface FromImage {
  /** The image as resolved (ARG substitution done); a stage name is not an image. */
  readonly ref: string;
  /** As written. */
  readonly written: string;
  readonly line: number;
  readonly via: "FROM" | "COPY --from";
}

/** The settings Go sees at one place it runs inside the Dockerfile. */
export interface GoSource {
  /** `Dockerfile line 12 (RUN go build)`, or `Dockerfile final stage (line 3)`. */
  readonly where: string;
  readonly line: number;
  readonly settings: Readonly<Record<string, string>>;
  /** The final stage of a toolchain image: a whole build environment, unset settings fall back to Go's defaults. */
  readonly complete?: boolean;
}

export interface GoDownload {
  readonly line: number;
  readonly via: "ADD" | "curl" | "wget";
  /** Resolved URL. */
  readonly url: string;
  readonly https: boolean;
  /** The Go archive file name, when the URL names one (`go1.26.7.linux-amd64.tar.gz`). */
  readonly filename?: string;
  /** The name it is saved under (basename), when saved to a file. */
  readonly localFile?: string;
  readonly version?: string;
  readonly platform?: string;
  /** Variables in the URL with no value at build time. */
  readonly unresolved: readonly string[];
  /** The check that runs before the archive is used, if any. */
  readonly check?: { readonly line: number; readonly how: CheckEvent["how"]; readonly sum?: string; readonly sumFrom?: string };
  /** Why the archive counts as unverified before it is used. */
  readonly problem?: "never-checked" | "printed-only" | "extracted-before-check" | "check-ignored";
  /** The line that extracts it. */
  readonly extractedAt?: number;
  /** Piped from the download straight into tar. */
  readonly streamed?: boolean;
  /** A check whose failure does not stop the build. */
  readonly ignoredCheck?: { readonly line: number; readonly how: CheckEvent["how"] };
}

export interface DockerfileFacts {
  readonly images: readonly FromImage[];
  /** Every Go-relevant setting found anywhere (ENV, ARG values, inline, export, go env -w): a merged view. */
  readonly settings: Readonly<Record<string, string>>;
  /** Effective settings per place Go runs, and the final stage of a toolchain image. */
  readonly goSources: readonly GoSource[];
  readonly queries: readonly ModuleQuery[];
  /** Go archive downloads. */
  readonly downloads: readonly GoDownload[];
  /** Go versions named by archive file names in downloads. */
  readonly archiveVersions: ReadonlyArray<{ readonly version: string; /** `curl go1.26.7.linux-amd64.tar.gz` */ readonly where: string; readonly line: number }>;
  /** The build target names no stage (the build fails): the target as given and the stage names. */
  readonly missingTarget?: { readonly target: string; readonly stages: readonly string[] };
  /** Parts that cannot be read (fail closed): unparseable shell, malformed ENV. */
  readonly problems: ReadonlyArray<{ readonly line: number; readonly message: string }>;
}

export interface DockerfileOptions {
  /** build.platform (`linux/amd64`): the value of TARGETPLATFORM/TARGETOS/TARGETARCH. */
  readonly platform?: string;
  /**
   * The build target (docker-build `target`, docker `build.target`): the stage BuildKit builds and
   * the image is. Without one, the last stage.
   */
  readonly target?: string;
}

/** `go1.26.7.linux-amd64.tar.gz` → version 1.26.7, platform linux/amd64; undefined for other names. */
export function goArchiveName(filename: string): { version: string; platform: string } | undefined {
  if (!filename.startsWith("go")) return undefined;
  const ext = [".tar.gz", ".zip"].find((e) => filename.endsWith(e));
  if (!ext) return undefined;
  const pieces = filename.slice(2, filename.length - ext.length).split(".");
  const p = pieces.findIndex((x) => x.includes("-"));
  if (p <= 0 || p !== pieces.length - 1 || pieces.slice(0, p).join(".") === "") return undefined;
  const [os, arch] = pieces[p].split("-", 2);
  if (!os || !arch) return undefined;
  return { version: pieces.slice(0, p).join("."), platform: `${os}/${arch}` };
}

interface Stage {
  readonly name?: string;
  readonly line: number;
  /** ENV (inherited through FROM <stage>). */
  readonly env: Record<string, string>;
  /** ARG values in scope for this stage. */
  readonly args: Record<string, string>;
  readonly goEnvFile: Record<string, string>;
  /**
   * Installs Go from a downloaded archive (here, in a parent stage, or copied from such a stage): the
   * Dockerfile then owns the whole Go environment. A golang base image is not counted: its own ENV
   * (GOTOOLCHAIN=local, GOPATH, …) cannot be read offline, so its final stage is not judged whole.
   */
  toolchain: boolean;
  runsGo: boolean;
  /** SHELL ["/bin/sh", "-e…", "-c"]: every RUN starts with set -e. */
  shellErrexit: boolean;
  /** SHELL ["/usr/bin/env", "K=V", …, "/bin/sh", "-c"]: env(1)'s assignments reach every later shell-form RUN. */
  shellEnv: Record<string, string>;
  firstSeq: number;
  lastSeq: number;
  /** Indexes of the stages this one needs (FROM <stage>, COPY --from, RUN --mount from=). */
  readonly deps: Set<number>;
}

const PLATFORM_ARGS = ["TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT"];

function platformArgs(platform: string | undefined): Record<string, string> {
  if (!platform) return {};
  const [os, arch, variant] = platform.split("/");
  const out: Record<string, string> = { TARGETPLATFORM: platform, TARGETOS: os ?? "", TARGETARCH: arch ?? "" };
  if (variant) out.TARGETVARIANT = variant;
  return out;
}


const GO_KEYS = (k: string): boolean => k.startsWith("GO") || k === "CGO_ENABLED";

// dockerfileFacts is pure, and one check reads the same Dockerfile many times (every rule that
// judges images, Go settings, downloads or versions, for every platform and stack): the facts of
// the last few (text, build args, options) are kept, frozen so that no reader can change what the
// next one gets. Keyed on everything the function reads; bounded.
const FACTS_LIMIT = 64;
const factsMemo = new Map<string, DockerfileFacts>();

export function dockerfileFacts(text: string, buildArgs: Readonly<Record<string, string>>, opts: DockerfileOptions = {}): DockerfileFacts {
  const key = JSON.stringify([text, Object.entries(buildArgs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), opts.platform ?? null, opts.target ?? null]);
  const hit = factsMemo.get(key);
  if (hit) return hit;
  const facts = deepFreeze(cachedFacts(key, () => computeDockerfileFacts(text, buildArgs, opts)));
  if (factsMemo.size >= FACTS_LIMIT) factsMemo.delete(factsMemo.keys().next().value as string);
  factsMemo.set(key, facts);
  return facts;
}

/**
 * Where the goguard loader runs (the CLI and its stack workers), the facts are also kept in its 0700
 * cache (cli/bin/register-ts.js `cachedCode`: sha256-checked on every read), so a check of unchanged
 * Dockerfiles neither loads dockerfile-ast nor reads them again. The facts are a pure function of
 * the key and of the code that computes them, so the entry is keyed on both: the source of every
 * project module the reader is made of (FACTS_SOURCES, held equal to dockerfile.ts's import
 * closure by test/unit/dockerfile-facts-cache.test.ts) and the version of every package it loads.
 * Elsewhere (the published pack under the engine, tests) the facts are computed each time.
 */
export const FACTS_SOURCES: readonly string[] = ["dockerfile.ts", "dockerfile-words.ts", "dockerfile-shell.ts", "shell-tree.ts", "../../components/toolchain/freeze.ts", "../../components/toolchain/go-setting-names.ts", "../../components/toolchain/loader-cache.ts"];
/** The packages the reader loads: [name, the package it is resolved from (its dependant)]. */
export const FACTS_PACKAGES: ReadonlyArray<readonly [string, string?]> = [["dockerfile-ast"], ["mvdan-sh"], ["vscode-languageserver-textdocument", "dockerfile-ast"], ["vscode-languageserver-types", "dockerfile-ast"]];

/** name@version of the package `name` as `from` (or this module) resolves it, read from its package.json (some packages do not export it). */
function packageVersion(name: string, from?: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("fs") as typeof import("fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("path") as typeof import("path");
  const paths = from === undefined ? undefined : [path.dirname(require.resolve(from))];
  let dir = path.dirname(require.resolve(name, paths ? { paths } : undefined));
  for (let i = 0; i < 10; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === name && typeof pkg.version === "string") return `${name}@${pkg.version} ${dir}`;
  }
  throw new Error(`no package.json of ${name} above ${dir}`);
}
let codeIdentity: readonly unknown[] | undefined;

function cachedFacts(key: string, compute: () => DockerfileFacts): DockerfileFacts {
  const cache = loaderTextCache();
  if (!cache) return compute();
  if (codeIdentity === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fs = require("fs") as typeof import("fs");
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const path = require("path") as typeof import("path");
      codeIdentity = [
        ...FACTS_SOURCES.map((f) => fs.readFileSync(path.join(__dirname, f), "utf8")),
        ...FACTS_PACKAGES.map(([name, from]) => packageVersion(name, from)),
      ];
    } catch {
      // Not running from the sources (a bundle): nothing to key the code on, so no disk cache.
      codeIdentity = [];
    }
  }
  if (codeIdentity.length === 0) return compute();
  const text = cache(["dockerfile facts v1", ...codeIdentity, key], () => JSON.stringify(compute()));
  return JSON.parse(text) as DockerfileFacts;
}

function computeDockerfileFacts(text: string, buildArgs: Readonly<Record<string, string>>, opts: DockerfileOptions): DockerfileFacts {
  // Loaded here, on first use: with the loader's cache warm, a check never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DockerfileParser } = require("dockerfile-ast") as { DockerfileParser: typeof Parser };
  const doc = DockerfileParser.parse(text);
  const escape = doc.getEscapeCharacter();
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const images: FromImage[] = [];
  const goSources: GoSource[] = [];
  const problems: Array<{ line: number; message: string }> = [];
  const merged = varMap();
  const ev: ShellEvents = newEvents();
  const stages: Stage[] = [];
  const platformVals = platformArgs(opts.platform);
  // Global ARGs: visible to FROM; BuildKit predefines the platform ARGs there.
  const globalVals = varMap(platformVals);
  let stage: Stage | undefined;

  const note = (k: string, v: string): void => {
    if (GO_KEYS(k)) merged[k] = v;
  };

  for (const outer of doc.getInstructions()) {
    // ONBUILD <instruction>: the trigger runs in every build FROM this image, so it is read (and
    // judged) like the instruction it wraps, said to be a trigger. ONBUILD ONBUILD and ONBUILD FROM
    // are refused by BuildKit and skipped here.
    const trigger = outer.getKeyword().toUpperCase() === "ONBUILD" ? (outer as unknown as { getTriggerInstruction(): typeof outer | null }).getTriggerInstruction() : undefined;
    if (trigger === null) continue;
    const ins = trigger ?? outer;
    const onbuild = trigger !== undefined;
    const keyword = ins.getKeyword().toUpperCase();
    if (onbuild && (keyword === "FROM" || keyword === "ONBUILD")) continue;
    const range = ins.getRange();
    const line = range.start.line + 1;
    const first = lines[range.start.line].slice(ins.getInstructionRange().end.character);
    const physical = [first, ...lines.slice(range.start.line + 1, range.end.line + 1)];
    const logical = logicalLine(physical, escape);
    const { flags, rest } = splitFlags(logical.text);
    const scope = (): Record<string, string> => (stage ? varMap(stage.args, stage.env) : globalVals);
    switch (keyword) {
      case "ARG": {
        for (const d of parseArgDecls(rest, escape)) {
          const def = d.def !== undefined ? expandWord(d.def, scope(), escape).value : undefined;
          if (!stage) {
            const v = Object.prototype.hasOwnProperty.call(buildArgs, d.name) ? buildArgs[d.name] : def;
            if (v !== undefined) globalVals[d.name] = v;
            continue;
          }
          const inherited = PLATFORM_ARGS.includes(d.name) ? platformVals[d.name] : globalVals[d.name];
          const v = Object.prototype.hasOwnProperty.call(buildArgs, d.name) ? buildArgs[d.name] : (def ?? inherited);
          if (v !== undefined) {
            stage.args[d.name] = v;
            note(d.name, v);
          }
        }
        break;
      }
      case "FROM": {
        const words = parseWords(rest, escape);
        const written = words[0] ?? "";
        const e = expandWord(written, globalVals, escape);
        const ref = e.unresolved.length > 0 ? written : e.value;
        const as = words.length >= 3 && words[1].toLowerCase() === "as" ? words[2] : undefined;
        const parent = stages.find((s) => s.name !== undefined && s.name.toLowerCase() === ref.toLowerCase());
        if (stage) stage.lastSeq = ev.seq;
        stage = {
          ...(as !== undefined ? { name: as } : {}),
          line,
          env: varMap(parent?.env),
          args: varMap(),
          goEnvFile: varMap(parent?.goEnvFile),
          toolchain: parent ? parent.toolchain : false,
          runsGo: parent?.runsGo ?? false,
          shellErrexit: parent?.shellErrexit ?? false,
          shellEnv: varMap(parent?.shellEnv),
          firstSeq: ev.seq,
          lastSeq: ev.seq,
          deps: new Set(parent ? [stages.indexOf(parent)] : []),
        };
        stages.push(stage);
        if (!parent && ref !== "scratch") images.push({ ref, written, line, via: "FROM" });
        break;
      }
      case "ENV": {
        const parsed = parseEnvPairs(rest, escape);
        if (parsed.error) problems.push({ line, message: `${parsed.error}, so BuildKit refuses the Dockerfile` });
        const before = scope();
        for (const [k, raw] of parsed.pairs) {
          const v = expandWord(raw, before, escape).value;
          if (stage) stage.env[k] = v;
          note(k, v);
        }
        break;
      }
      case "COPY":
      case "ADD": {
        if (flags.from !== undefined) {
          const e = expandWord(flags.from, scope(), escape);
          const ref = e.unresolved.length > 0 ? flags.from : e.value;
          const from = /^\d+$/.test(ref) ? stages[Number(ref)] : stages.find((s) => s.name !== undefined && s.name.toLowerCase() === ref.toLowerCase());
          if (!from && !/^\d+$/.test(ref)) images.push({ ref, written: flags.from, line, via: "COPY --from" });
          if (stage && from) stage.deps.add(stages.indexOf(from));
          // Copying the Go tree (a source directory named go, the GOROOT) from a stage that installed Go
          // makes this a toolchain stage; copying a built binary out of it does not.
          const sources = parseWords(rest, escape).slice(0, -1).map((w) => expandWord(w, scope(), escape).value.replace(/\/+$/, ""));
          if (stage && from && from.toolchain && sources.some((src) => basename(src) === "go")) stage.toolchain = true;
        }
        const heredocs = keyword === "COPY" ? heredocBodies(ins, lines) : [];
        const words = parseWords(rest, escape).filter((w) => !w.startsWith("<<"));
        if (keyword === "COPY" && heredocs.length > 0 && stage) {
          // COPY <<EOF <dest>: a file written from the Dockerfile; a go env file counts as `go env -w`.
          const dest = expandWord(words[words.length - 1] ?? "", scope(), escape).value;
          if (dest.endsWith("/go/env") || dest.endsWith("go.env")) {
            for (const l of heredocs[0].split("\n")) {
              const eq = l.indexOf("=");
              if (eq > 0 && !l.trimStart().startsWith("#")) stage.goEnvFile[l.slice(0, eq).trim()] = l.slice(eq + 1).trim();
            }
          }
        }
        if (keyword === "ADD" && words.length >= 2) {
          const dest = expandWord(words[words.length - 1], scope(), escape).value;
          for (const src of words.slice(0, -1)) {
            const e = expandWord(src, scope(), escape);
            if (!e.value.includes("://")) continue;
            const file = dest.endsWith("/") || dest === "." ? basename(e.value) : basename(dest);
            const seq = ++ev.seq;
            ev.downloads.push({ seq, line, via: "ADD", url: e.value, unresolved: e.unresolved, file, ...(flags.checksum !== undefined ? { checksum: flags.checksum } : {}) });
            if (flags.checksum !== undefined) {
              const sum = flags.checksum.startsWith("sha256:") ? flags.checksum.slice(7).toLowerCase() : undefined;
              ev.checks.push({ seq: ++ev.seq, line, how: "ADD --checksum", file, ...(sum !== undefined ? { sum } : {}) });
            }
          }
        }
        break;
      }
      case "SHELL": {
        const argv = execForm(rest);
        if (stage && argv) {
          // env(1) first: its NAME=VALUE operands are in the environment of the shell it then runs.
          const viaEnv = argv.length > 0 && basename(argv[0]) === "env" ? envOperands(argv.slice(1)) : undefined;
          const shell = viaEnv ? viaEnv.next + 1 : 0;
          stage.shellEnv = viaEnv ? viaEnv.assigns : varMap();
          stage.shellErrexit = argv.slice(shell + 1).some((v) => v.startsWith("-") && !v.startsWith("--") && v.includes("e"));
        }
        break;
      }
      case "RUN": {
        if (!stage) break;
        for (const m of logical.text.matchAll(/--mount=\S*?\bfrom=([^,\s]+)/g)) {
          const ref = expandWord(m[1], scope(), escape).value;
          const from = /^\d+$/.test(ref) ? stages[Number(ref)] : stages.find((s) => s.name !== undefined && s.name.toLowerCase() === ref.toLowerCase());
          if (from && from !== stage) stage.deps.add(stages.indexOf(from));
        }
        const exec = execForm(rest);
        // The exec form runs its command without the SHELL (and so without its env(1) assignments).
        const env = exec ? varMap(stage.args, stage.env) : varMap(stage.args, stage.env, stage.shellEnv);
        const st: ShellState = { exported: varMap(env), vars: varMap(env), goEnvFile: stage.goEnvFile, errexit: stage.shellErrexit };
        const before = ev.goRuns.length;
        const beforeDownloads = ev.downloads.length;
        if (exec) analyzeExec(exec, line, "RUN", ev, st);
        else {
          const bodies = heredocBodies(ins, lines);
          const names = heredocNames(ins);
          const markersOnly = names.length > 0 && parseWords(rest, escape).every((w) => names.includes(w.replace(/^<<-?/, "").replace(/^["']|["']$/g, "")));
          if (markersOnly) {
            // `RUN <<EOF`: BuildKit runs the heredoc body as the script.
            const dashed = parseWords(rest, escape).some((w) => w.startsWith("<<-"));
            for (const raw of bodies) {
              const b = dashed ? raw.split("\n").map((l) => l.replace(/^\t+/, "")).join("\n") : raw;
              if (!b.startsWith("#!") || /^#!\s*\/(usr\/)?bin\/(env\s+)?(ba|da|a|z)?sh\b/.test(b)) analyzeScript(b, line, "RUN", ev, st);
            }
          } else {
            // Otherwise the shell receives the command line followed by the heredoc lines, verbatim.
            const script = [logical.text.slice(logical.text.indexOf(rest)), ...lines.slice(range.start.line + logical.used, range.end.line + 1)].join("\n");
            analyzeScript(bodies.length > 0 ? script : rest, line, "RUN", ev, st);
          }
        }
        const runs = ev.goRuns.slice(before);
        if (runs.length > 0) stage.runsGo = true;
        const seen = new Set<string>();
        for (const r of runs) {
          const key = JSON.stringify(Object.entries(r.settings).sort());
          if (seen.has(key)) continue;
          seen.add(key);
          // A stage that installed a Go archive itself runs that go with the archive's
          // $GOROOT/go.env, which sets GOTOOLCHAIN=auto (Go ≥ 1.21), unless the build sets it.
          const archiveDefault = stage.toolchain && r.settings.GOTOOLCHAIN === undefined;
          const settings = archiveDefault ? { ...plainVars(r.settings), GOTOOLCHAIN: "auto" } : plainVars(r.settings);
          const shellEnv = stage.shellEnv;
          const viaShell = exec ? [] : Object.keys(shellEnv).filter((k) => r.settings[k] === shellEnv[k]);
          const notes = [...(viaShell.length > 0 ? [`${viaShell.join(", ")} from the SHELL instruction's env`] : []), ...(archiveDefault ? ["GOTOOLCHAIN unset, so the Go archive's go.env gives auto"] : [])];
          goSources.push({ where: `Dockerfile line ${line} (${onbuild ? "ONBUILD (runs in images built FROM this one) " : ""}RUN ${r.command}${notes.map((n) => `; ${n}`).join("")})`, line, settings });
          for (const [k, v] of Object.entries(r.settings)) note(k, v);
        }
        for (const [k, v] of Object.entries(stage.goEnvFile)) note(k, v);
        if (ev.downloads.slice(beforeDownloads).some((d) => goArchiveName(basename(d.url)) !== undefined)) stage.toolchain = true;
        break;
      }
      default:
        break;
    }
    if (stage && keyword === "ADD" && ev.downloads.some((d) => d.line === line && goArchiveName(basename(d.url)) !== undefined)) stage.toolchain = true;
  }
  if (stage) stage.lastSeq = ev.seq;
  for (const p of ev.problems) problems.push(p);

  // The target stage (the last one without a target) is the image users get. BuildKit builds only
  // it and the stages it needs, so what the other stages do never reaches the image: their RUN-level
  // facts are dropped. A target naming no stage fails the build: said, and every stage still judged.
  let targetIdx = stages.length - 1;
  let missingTarget: DockerfileFacts["missingTarget"];
  if (opts.target !== undefined && opts.target !== "") {
    const t = opts.target.toLowerCase();
    targetIdx = stages.findIndex((s) => s.name !== undefined && s.name.toLowerCase() === t);
    if (targetIdx < 0) {
      missingTarget = { target: opts.target, stages: stages.flatMap((s) => (s.name !== undefined ? [s.name] : [])) };
      targetIdx = stages.length - 1;
    }
  }
  // Without a target every stage is judged (fail closed: the classic builder builds them all, and a
  // stage's weak RUN is worth refusing even where BuildKit would skip it); with one, only its needs.
  const needed = new Set<number>(opts.target !== undefined && opts.target !== "" && !missingTarget ? [] : stages.map((_, i) => i));
  const todo = targetIdx >= 0 ? [targetIdx] : [];
  for (let n = 0; todo.length > 0 && n < 10000; n++) {
    const i = todo.pop() as number;
    if (needed.has(i)) continue;
    needed.add(i);
    for (const d of stages[i].deps) if (d >= 0) todo.push(d);
  }
  // Lines before the first FROM belong to no stage and are kept.
  const built = (atLine: number): boolean => {
    let idx = -1;
    for (let i = 0; i < stages.length; i++) if (stages[i].line <= atLine) idx = i;
    return idx < 0 || needed.has(idx);
  };
  const keptSources = goSources.filter((g) => built(g.line));
  goSources.length = 0;
  goSources.push(...keptSources);
  const last = targetIdx >= 0 ? stages[targetIdx] : undefined;
  if (last) {
    const settings = plainVars(varMap(last.goEnvFile, last.env));
    if (last.toolchain || Object.keys(settings).some(GO_KEYS)) {
      const which = targetIdx === stages.length - 1 ? "final stage" : `target stage ${last.name ?? String(targetIdx)}`;
      goSources.push({ where: `Dockerfile ${which} (FROM at line ${last.line}, the image's environment)`, line: last.line, settings, ...(last.toolchain ? { complete: true } : {}) });
    }
  }

  const downloads: GoDownload[] = [];
  const archiveVersions: Array<{ version: string; where: string; line: number }> = [];
  for (const d of ev.downloads) {
    if (!built(d.line)) continue;
    const name = basename(d.url);
    // A URL left undecided by an unset variable still downloads a Go archive when its name says so.
    const archive = goArchiveName(name) ?? (d.unresolved.length > 0 && name.startsWith("go") && (name.endsWith(".tar.gz") || name.endsWith(".zip")) ? { version: undefined, platform: undefined } : undefined);
    if (!archive) continue;
    const st = stages.find((s) => d.seq > s.firstSeq && d.seq <= s.lastSeq);
    const end = st?.lastSeq ?? ev.seq;
    const inStage = (seq: number): boolean => seq > d.seq && seq <= end;
    const check = ev.checks.find((c) => inStage(c.seq) && c.file === d.file && !c.ignored);
    const ignored = ev.checks.find((c) => inStage(c.seq) && c.file === d.file && c.ignored);
    const extract = ev.extracts.find((x) => inStage(x.seq) && (x.fromDownloads.includes(d.seq) || (d.file !== undefined && x.file === d.file)));
    const printed = ev.prints.some((p) => inStage(p.seq) && p.file === d.file);
    const problem = !check ? (ignored ? "check-ignored" : printed ? "printed-only" : extract ? "extracted-before-check" : "never-checked") : extract && check.seq > extract.seq ? "extracted-before-check" : undefined;
    downloads.push({
      line: d.line,
      via: d.via,
      url: d.url,
      https: d.url.startsWith("https://"),
      filename: name,
      ...(d.file !== undefined ? { localFile: d.file } : {}),
      ...(archive.version !== undefined ? { version: archive.version } : {}),
      ...(archive.platform !== undefined ? { platform: archive.platform } : {}),
      unresolved: d.unresolved,
      ...(check && problem === undefined ? { check: { line: check.line, how: check.how, ...(check.sum !== undefined ? { sum: check.sum } : {}), ...(check.sumFrom !== undefined ? { sumFrom: check.sumFrom } : {}) } } : {}),
      ...(!check && ignored ? { ignoredCheck: { line: ignored.line, how: ignored.how } } : {}),
      ...(problem ? { problem } : {}),
      ...(extract ? { extractedAt: extract.line, streamed: extract.fromDownloads.includes(d.seq) } : {}),
    });
    if (archive.version !== undefined && d.unresolved.length === 0) archiveVersions.push({ version: archive.version, where: `${d.via} ${name}`, line: d.line });
  }
  return { images, settings: plainVars(merged), goSources, queries: ev.queries.filter((q) => built(q.line)), downloads, archiveVersions, ...(missingTarget ? { missingTarget } : {}), problems: problems.sort((a, b) => a.line - b.line) };
}

/** BuildKit's exec form: the rest parses as a JSON array of strings. */
function execForm(rest: string): string[] | undefined {
  if (!rest.startsWith("[")) return undefined;
  try {
    const v: unknown = JSON.parse(rest);
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

type WithHeredocs = { getHeredocs?: () => Array<{ getName(): string; getContentRange(): { start: { line: number }; end: { line: number; character: number } } | null }> };

function heredocNames(ins: unknown): string[] {
  const h = (ins as WithHeredocs).getHeredocs;
  return typeof h === "function" ? h.call(ins).map((d) => d.getName()) : [];
}

function heredocBodies(ins: unknown, lines: readonly string[]): string[] {
  const h = (ins as WithHeredocs).getHeredocs;
  if (typeof h !== "function") return [];
  return h.call(ins).map((d) => {
    const r = d.getContentRange();
    if (!r) return "";
    return `${lines.slice(r.start.line, r.end.line + 1).join("\n")}\n`;
  });
}
