// A Dockerfile reader for the policies (pure): instructions with line continuations, ARG defaults
// (global and per stage) resolved together with the build args, FROM and COPY --from images, ENV
// and ARG Go settings, inline `VAR=value go …` in RUN, and the RUN commands themselves.

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface FromImage {
  /** The image as resolved (ARG substitution done); a stage name is not an image. */
  readonly ref: string;
  /** As written. */
  readonly written: string;
  readonly line: number;
  readonly via: "FROM" | "COPY --from";
}

export interface DockerfileFacts {
  readonly images: readonly FromImage[];
  /** Go settings set by ENV, ARG defaults/build args, or inline in RUN. */
  readonly settings: Readonly<Record<string, string>>;
  readonly runs: readonly { readonly text: string; readonly line: number }[];
  readonly adds: readonly { readonly src: string; readonly line: number; readonly checksum?: string }[];
}

export function parseInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let buf = "";
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (buf === "" && /^\s*(#.*)?$/.test(raw)) continue;
    if (buf === "") start = i + 1;
    if (buf !== "" && /^\s*#/.test(raw)) continue;
    if (/\\\s*$/.test(raw)) {
      buf += raw.replace(/\\\s*$/, " ");
      continue;
    }
    buf += raw;
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(buf);
    if (m) out.push({ keyword: m[1].toUpperCase(), args: m[2].trim(), line: start });
    buf = "";
  }
  return out;
}

/** Substitutes $VAR, ${VAR}, ${VAR:-default}, ${VAR:+alt}; unknown variables stay as written. */
export function substitute(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, n1: string, op: string, word: string, n2: string) => {
    const name = n1 ?? n2;
    const v = vars[name];
    if (op === "-") return v !== undefined && v !== "" ? v : word;
    if (op === "+") return v !== undefined && v !== "" ? word : "";
    return v !== undefined ? v : whole;
  });
}

function splitWords(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** `K=V K2="v 2"` or the legacy `K V` form. */
export function parseKeyValues(args: string): Record<string, string> {
  const words = splitWords(args);
  const out: Record<string, string> = {};
  if (words.length >= 2 && !words[0].includes("=")) {
    out[words[0]] = args.slice(args.indexOf(words[0]) + words[0].length).trim().replace(/^["']|["']$/g, "");
    return out;
  }
  for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))/g)) {
    out[m[1]] = m[3] !== undefined ? m[3].replace(/\\(.)/g, "$1") : (m[4] ?? m[5] ?? "");
  }
  return out;
}

const INLINE_GO = /(?:^|[;&|(]\s*|\s)((?:[A-Z_][A-Z0-9_]*=\S*\s+)+)go\s/g;

export function dockerfileFacts(text: string, buildArgs: Readonly<Record<string, string>>): DockerfileFacts {
  const ins = parseInstructions(text);
  const images: FromImage[] = [];
  const settings: Record<string, string> = {};
  const runs: { text: string; line: number }[] = [];
  const adds: { src: string; line: number; checksum?: string }[] = [];
  const stages = new Set<string>();
  const globalArgs: Record<string, string> = {};
  let stageVars: Record<string, string> = {};
  let seenFrom = false;
  for (const i of ins) {
    switch (i.keyword) {
      case "ARG": {
        for (const w of splitWords(i.args)) {
          const eq = w.indexOf("=");
          const name = eq > 0 ? w.slice(0, eq) : w;
          const def = eq > 0 ? substitute(w.slice(eq + 1), { ...globalArgs, ...stageVars }) : undefined;
          const value = buildArgs[name] ?? (seenFrom ? (def ?? globalArgs[name]) : def);
          if (value === undefined) continue;
          if (seenFrom) stageVars[name] = value;
          else globalArgs[name] = value;
          settings[name] = value;
        }
        break;
      }
      case "FROM": {
        seenFrom = true;
        stageVars = {};
        const words = splitWords(i.args).filter((w) => !w.startsWith("--"));
        const written = words[0] ?? "";
        // FROM sees only the global ARGs (their defaults, or the build args that override them).
        const ref = substitute(written, globalArgs);
        const as = words.length >= 3 && words[1].toLowerCase() === "as" ? words[2] : undefined;
        if (!stages.has(ref) && ref !== "scratch") images.push({ ref, written, line: i.line, via: "FROM" });
        if (as) stages.add(as);
        break;
      }
      case "COPY":
      case "ADD": {
        const from = /--from=(\S+)/.exec(i.args)?.[1];
        if (from !== undefined) {
          const ref = substitute(from, { ...globalArgs, ...stageVars });
          if (!stages.has(ref) && !/^\d+$/.test(ref)) images.push({ ref, written: from, line: i.line, via: "COPY --from" });
        }
        if (i.keyword === "ADD") {
          const words = splitWords(i.args).filter((w) => !w.startsWith("--"));
          const checksum = /--checksum=(\S+)/.exec(i.args)?.[1];
          for (const src of words.slice(0, -1)) adds.push({ src: substitute(src, { ...globalArgs, ...stageVars }), line: i.line, ...(checksum ? { checksum } : {}) });
        }
        break;
      }
      case "ENV": {
        const kv = parseKeyValues(i.args);
        for (const [k, v] of Object.entries(kv)) {
          const value = substitute(v, { ...globalArgs, ...stageVars });
          stageVars[k] = value;
          settings[k] = value;
        }
        break;
      }
      case "RUN": {
        const body = i.args.replace(/^(--\S+\s+)+/, "");
        runs.push({ text: substitute(body, { ...globalArgs, ...stageVars }), line: i.line });
        for (const m of body.matchAll(INLINE_GO)) {
          for (const [k, v] of Object.entries(parseKeyValues(m[1]))) settings[k] = substitute(v, { ...globalArgs, ...stageVars });
        }
        break;
      }
      default:
        break;
    }
  }
  return { images, settings, runs, adds };
}

/** `go install|get|run <pkg>@<version>` in a command: every module query it makes. */
export function goModuleQueries(run: string): Array<{ command: string; target: string; version: string }> {
  const out: Array<{ command: string; target: string; version: string }> = [];
  for (const m of run.matchAll(/\bgo\s+(install|get|run)\b([^;&|]*)/g)) {
    for (const w of m[2].trim().split(/\s+/)) {
      const at = w.lastIndexOf("@");
      if (w.startsWith("-") || at <= 0) continue;
      out.push({ command: `go ${m[1]}`, target: w.slice(0, at), version: w.slice(at + 1) });
    }
  }
  return out;
}
