// Athens' own settings wherever they are given (pure): its config.toml, its environment, and the
// values of the gomods athens-proxy Helm chart. Everything is mapped onto Athens' environment
// variable names (pkg/config/config.go `envconfig` tags), the one vocabulary the rules judge.
//
// Precedence, as Athens applies it (config.ParseConfigFile): the TOML file is decoded first, then
// envconfig overrides every field whose variable is set; ATHENS_GO_BINARY_ENV_VARS replaces the
// file's GoBinaryEnvVars list as a whole (EnvList.Decode), it is not merged.

export type TomlValue = string | number | boolean | TomlValue[] | { [k: string]: TomlValue };

export class TomlError extends Error {}

/**
 * A TOML reader for the subset Athens' config.toml uses: comments, `[table]` and dotted headers,
 * `key = value` with bare, quoted or dotted keys, basic and literal strings (with escapes),
 * integers, floats, booleans and (multi-line) arrays of those. Anything else (inline tables,
 * multi-line strings, dates, arrays of tables) is refused with the line, never guessed.
 */
export function parseToml(text: string): Record<string, TomlValue> {
  const root: Record<string, TomlValue> = {};
  let table = root;
  let i = 0;
  let line = 1;
  const fail = (what: string): never => {
    throw new TomlError(`config.toml line ${line}: ${what}`);
  };
  const skipWs = (): void => {
    while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  };
  const skipWsNl = (): void => {
    for (;;) {
      skipWs();
      if (text[i] === "#") while (i < text.length && text[i] !== "\n") i++;
      if (text[i] === "\r" && text[i + 1] === "\n") i++;
      if (text[i] === "\n") {
        i++;
        line++;
        continue;
      }
      return;
    }
  };
  const endOfLine = (): void => {
    skipWs();
    if (text[i] === "#") while (i < text.length && text[i] !== "\n") i++;
    if (text[i] === "\r") i++;
    if (i < text.length && text[i] !== "\n") fail(`unexpected "${text[i]}" after a value`);
  };
  const basicString = (): string => {
    if (text.startsWith('"""', i)) fail("multi-line strings are not supported");
    i++;
    let s = "";
    while (i < text.length && text[i] !== '"') {
      const ch = text[i];
      if (ch === "\n") fail("unterminated string");
      if (ch === "\\") {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', "\\": "\\", b: "\b", t: "\t", n: "\n", f: "\f", r: "\r" };
        if (e in simple) {
          s += simple[e];
          i += 2;
        } else if (e === "u" || e === "U") {
          const n = e === "u" ? 4 : 8;
          const hex = text.slice(i + 2, i + 2 + n);
          if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) fail(`bad escape \\${e}${hex}`);
          s += String.fromCodePoint(parseInt(hex, 16));
          i += 2 + n;
        } else fail(`bad escape \\${e ?? ""}`);
        continue;
      }
      s += ch;
      i++;
    }
    if (text[i] !== '"') fail("unterminated string");
    i++;
    return s;
  };
  const literalString = (): string => {
    if (text.startsWith("'''", i)) fail("multi-line strings are not supported");
    const end = text.indexOf("'", i + 1);
    const nl = text.indexOf("\n", i + 1);
    if (end < 0 || (nl >= 0 && nl < end)) fail("unterminated string");
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const key = (): string[] => {
    const parts: string[] = [];
    for (;;) {
      skipWs();
      if (text[i] === '"') parts.push(basicString());
      else if (text[i] === "'") parts.push(literalString());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 256));
        if (!m) fail(`expected a key, found "${text[i] ?? "end of file"}"`);
        parts.push(m![0]);
        i += m![0].length;
      }
      skipWs();
      if (text[i] !== ".") return parts;
      i++;
    }
  };
  const value = (): TomlValue => {
    skipWs();
    const ch = text[i];
    if (ch === '"') return basicString();
    if (ch === "'") return literalString();
    if (ch === "[") {
      i++;
      const arr: TomlValue[] = [];
      for (;;) {
        skipWsNl();
        if (text[i] === "]") {
          i++;
          return arr;
        }
        arr.push(value());
        skipWsNl();
        if (text[i] === ",") {
          i++;
          continue;
        }
        skipWsNl();
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail(`expected "," or "]" in an array`);
      }
    }
    if (ch === "{") fail("inline tables are not supported");
    const m = /^[^\s,\]#]+/.exec(text.slice(i, i + 256));
    if (!m) fail("expected a value");
    const tok = m![0];
    i += tok.length;
    if (tok === "true") return true;
    if (tok === "false") return false;
    const num = tok.replace(/_/g, "");
    if (/^[+-]?(0|[1-9]\d*)$/.test(num)) return Number(num);
    if (/^[+-]?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(num)) return Number(num);
    return fail(`unsupported value ${tok}`);
  };
  const descend = (from: Record<string, TomlValue>, path: string[], create: boolean): Record<string, TomlValue> => {
    let t = from;
    for (const p of path) {
      const next = t[p];
      if (next === undefined) {
        if (!create) fail(`no table ${p}`);
        t[p] = {};
      } else if (typeof next !== "object" || Array.isArray(next)) fail(`${path.join(".")} is already a value`);
      t = t[p] as Record<string, TomlValue>;
    }
    return t;
  };
  const defined = new Set<string>();
  for (let guard = 0; guard < text.length + 1; guard++) {
    skipWsNl();
    if (i >= text.length) return root;
    if (text[i] === "[") {
      if (text[i + 1] === "[") fail("arrays of tables are not supported");
      i++;
      const path = key();
      if (text[i] !== "]") fail(`expected "]" after a table name`);
      i++;
      const name = path.join("\u0000");
      if (defined.has(name)) fail(`table [${path.join(".")}] defined twice`);
      defined.add(name);
      table = descend(root, path, true);
      endOfLine();
      continue;
    }
    const path = key();
    if (text[i] !== "=") fail(`expected "=" after key ${path.join(".")}`);
    i++;
    const v = value();
    const t = descend(table, path.slice(0, -1), true);
    const last = path[path.length - 1];
    if (last in t) fail(`key ${path.join(".")} defined twice`);
    t[last] = v;
    endOfLine();
  }
  return root;
}

/** A setting of Athens, by its environment variable name, with where it was given. */
export interface AthensSetting {
  readonly value: string;
  /** "config.toml key SumDBs", "env", "Helm value storage.type", … */
  readonly from: string;
}

/**
 * TOML path (Athens' Config field names; BurntSushi/toml matches them case-insensitively) → the
 * variable name envconfig reads for the same field. Lists are joined the way the variable would
 * carry them: ";" for GoBinaryEnvVars (EnvList.Decode), "," for the []string fields (envconfig).
 */
const TOML_TO_ENV: ReadonlyArray<[string, string, ";" | ","]> = [
  ["GoEnv", "GO_ENV", ","],
  ["GoBinaryEnvVars", "ATHENS_GO_BINARY_ENV_VARS", ";"],
  ["GoGetWorkers", "ATHENS_GOGET_WORKERS", ","],
  ["StorageType", "ATHENS_STORAGE_TYPE", ","],
  ["LogFormat", "ATHENS_LOG_FORMAT", ","],
  ["EnablePprof", "ATHENS_ENABLE_PPROF", ","],
  ["SingleFlightType", "ATHENS_SINGLE_FLIGHT_TYPE", ","],
  ["NETRCPath", "ATHENS_NETRC_PATH", ","],
  ["GithubToken", "ATHENS_GITHUB_TOKEN", ","],
  ["BasicAuthPass", "BASIC_AUTH_PASS", ","],
  ["SumDBs", "ATHENS_SUM_DBS", ","],
  ["NoSumPatterns", "ATHENS_GONOSUM_PATTERNS", ","],
  ["NetworkMode", "ATHENS_NETWORK_MODE", ","],
  ["DownloadMode", "ATHENS_DOWNLOAD_MODE", ","],
  ["Storage.S3.UseDefaultConfiguration", "AWS_USE_DEFAULT_CONFIGURATION", ","],
  ["Storage.S3.Key", "AWS_ACCESS_KEY_ID", ","],
  ["Storage.S3.Secret", "AWS_SECRET_ACCESS_KEY", ","],
  ["Storage.S3.Token", "AWS_SESSION_TOKEN", ","],
  ["SingleFlight.Redis.Endpoint", "ATHENS_REDIS_ENDPOINT", ","],
];

function lookupCI(obj: Record<string, TomlValue>, path: string): TomlValue | undefined {
  let cur: TomlValue | undefined = obj;
  for (const p of path.split(".")) {
    if (cur === undefined || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    const k: string | undefined = Object.keys(cur).find((x) => x.toLowerCase() === p.toLowerCase());
    cur = k === undefined ? undefined : (cur as Record<string, TomlValue>)[k];
  }
  return cur;
}

function scalarText(v: TomlValue, sep: string): string | undefined {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return (v as string[]).join(sep);
  return undefined;
}

/** Athens' settings a config.toml gives, by variable name. Throws TomlError on TOML it cannot read. */
export function athensSettingsFromToml(text: string): Record<string, AthensSetting> {
  const doc = parseToml(text);
  const out: Record<string, AthensSetting> = {};
  for (const [path, env, sep] of TOML_TO_ENV) {
    const v = lookupCI(doc, path);
    if (v === undefined) continue;
    const s = scalarText(v, sep);
    if (s !== undefined) out[env] = { value: s, from: `config.toml key ${path}` };
  }
  return out;
}

/** File settings overridden by the environment (Athens' envOverride): env wins wherever it is set. */
export function mergeAthensSettings(file: Readonly<Record<string, AthensSetting>>, env: Readonly<Record<string, AthensSetting>>): Record<string, AthensSetting> {
  return { ...file, ...env };
}

/** The config file an Athens container reads: `-config_file` / `--config_file` in command or args, else the image's default. */
export const ATHENS_IMAGE_CONFIG_FILE = "/config/config.toml";
export function athensConfigFile(command: readonly string[], args: readonly string[]): string {
  const argv = [...command, ...args];
  for (let k = 0; k < argv.length; k++) {
    const m = /^--?config_file(?:=(.*))?$/.exec(argv[k]);
    if (m) return m[1] !== undefined ? m[1] : (argv[k + 1] ?? ATHENS_IMAGE_CONFIG_FILE);
  }
  return ATHENS_IMAGE_CONFIG_FILE;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/**
 * The Athens settings the gomods athens-proxy chart renders from its values (templates/
 * deployment.yaml, in its order): goGetWorkers, storage.type (default "disk") and the storage's
 * variables (static S3 keys arrive through the chart's own Secret: the variable is set all the
 * same), singleFlight.*, netrc.enabled → ATHENS_NETRC_PATH=/etc/netrc/.netrc, upstreamProxy.*,
 * basicAuth.enabled → BASIC_AUTH_USER/BASIC_AUTH_PASS from a Secret, and `configEnvVars`
 * (name/value pairs rendered last, so they win).
 */
export function athensSettingsFromHelmValues(values: unknown): Record<string, AthensSetting> {
  const v = obj(values);
  const out: Record<string, AthensSetting> = {};
  const put = (env: string, value: unknown, from: string): void => {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[env] = { value: String(value), from: `Helm value ${from}` };
  };
  put("ATHENS_GOGET_WORKERS", v.goGetWorkers ?? 3, "goGetWorkers");
  const storage = obj(v.storage);
  const type = storage.type ?? "disk";
  put("ATHENS_STORAGE_TYPE", type, "storage.type");
  const s3 = obj(storage.s3);
  if (type === "s3") {
    put("AWS_USE_DEFAULT_CONFIGURATION", s3.useDefaultConfiguration ?? false, "storage.s3.useDefaultConfiguration");
    // Rendered as secretKeyRef to the chart's Secret: the key still reaches Athens' environment.
    for (const [k, env] of [["accessKey", "AWS_ACCESS_KEY_ID"], ["secretKey", "AWS_SECRET_ACCESS_KEY"], ["sessionToken", "AWS_SESSION_TOKEN"]] as const) {
      if (typeof s3[k] === "string" && s3[k] !== "") put(env, "(from the chart's Secret)", `storage.s3.${k}`);
    }
  }
  const sf = obj(v.singleFlight);
  if (typeof sf.type === "string" && sf.type !== "") {
    put("ATHENS_SINGLE_FLIGHT_TYPE", sf.type, "singleFlight.type");
    if (sf.type === "redis") put("ATHENS_REDIS_ENDPOINT", obj(sf.redis).endpoint, "singleFlight.redis.endpoint");
  }
  if (obj(v.netrc).enabled === true) put("ATHENS_NETRC_PATH", "/etc/netrc/.netrc", "netrc.enabled");
  const up = obj(v.upstreamProxy);
  if (up.enabled === true) put("ATHENS_GLOBAL_ENDPOINT", up.url, "upstreamProxy.url");
  if (obj(v.basicAuth).enabled === true) {
    put("BASIC_AUTH_USER", "(from a Secret)", "basicAuth.enabled");
    put("BASIC_AUTH_PASS", "(from a Secret)", "basicAuth.enabled");
  }
  if (Array.isArray(v.configEnvVars)) {
    v.configEnvVars.forEach((e, n) => {
      const x = obj(e);
      if (typeof x.name === "string") put(x.name, x.value, `configEnvVars[${n}] ${x.name}`);
    });
  }
  return out;
}

/** The replicas the chart runs: autoscaling's maximum when enabled, else replicaCount (default 1). */
export function athensHelmReplicas(values: unknown): number {
  const v = obj(values);
  const hpa = obj(v.autoscaling);
  if (hpa.enabled === true) return typeof hpa.maxReplicas === "number" ? hpa.maxReplicas : 3;
  return typeof v.replicaCount === "number" ? v.replicaCount : 1;
}

/** Whether a Helm chart reference installs Athens (the gomods athens-proxy chart, by name or URL). */
export function isAthensChart(chart: unknown, repo: unknown): boolean {
  const c = typeof chart === "string" ? chart : "";
  const r = typeof repo === "string" ? repo : "";
  return /(^|\/)athens-proxy(-[0-9][^/]*)?(\.tgz)?$/.test(c) || (/gomods\.github\.io\/athens-charts/.test(r) && /athens/.test(c));
}
