// The Go settings rules (pure), the single implementation shared by components (which refuse bad
// input) and the policy pack (which reports it). Rows T1–T3, T8 and G1–G8 of the policy catalog.
//
// Input: Go settings from any source (container env, ConfigMap data, build args, Dockerfile ENV,
// Athens' ATHENS_GO_BINARY_ENV_VARS) as a name → value map, and the environment's policy.
// Output: findings sorted by (rule, setting, message), so the order settings arrive in never matters.
//
// Every setting is read as the go command reads it (go-syntax.ts: quoted.Split for GOFLAGS,
// proxyList for GOPROXY, dbDial for GOSUMDB, toolchain.Select for GOTOOLCHAIN; go-patterns.ts:
// what a GOPRIVATE-style pattern matches under MatchPrefixPatterns), and judged by what Go will then
// do. An empty value is Go's default (cfg.Getenv falls back to $GOROOT/go.env), so setting a variable
// to "" in a container undoes the image's value and is judged as the default.

import { GoCatalog } from "./catalog";
import { judgePattern, judgePatternList, PatternVerdict } from "./go-patterns";
import { canonicalProxyUrl, GO_DEFAULTS, GoFlag, KNOWN_SUMDB_NAME, lastFlag, parseGoBool, parseGoFlags, parseProxyList, parseSumdb, parseToolchain, ProxyEntry } from "./go-syntax";
import { checkPinnedVersion } from "./pin";
import { parseGoVersion, toolchainName, versionShape } from "./version";
import { GO_SETTINGS, VERSION_SETTINGS } from "./go-setting-names";

// One entry point for Go's semantics: the rules, components and the policy pack's source readers.
export { judgePattern, judgePatternList, PUBLIC_MODULE_EXAMPLES } from "./go-patterns";
export type { PatternVerdict } from "./go-patterns";
export { GO_DEFAULTS, joinQuoted, KNOWN_SUMDB_KEY, matchPrefixPatterns, parseGoFlags, parseProxyList, parseSumdb, parseToolchain, pathMatch, splitPatterns, splitQuoted } from "./go-syntax";
export type { GoFlag, ProxyEntry } from "./go-syntax";

export type RuleId = "T1" | "T2" | "T3" | "T8" | "G1" | "G2" | "G3" | "G4" | "G5" | "G6" | "G7" | "G8";

export interface Finding {
  readonly rule: RuleId;
  readonly setting: string;
  readonly value: string;
  readonly message: string;
  readonly fix: string;
}

export interface GoEnvPolicy {
  /** The environment's own module proxy URLs: GOPROXY's first entry must be one of them. Empty: any https proxy may come first. */
  readonly proxies: readonly string[];
  /** `direct` after the proxy (dev only). */
  readonly allowDirectFallback: boolean;
  /** The organisation's own module path prefixes (`git.corp.example`, `github.com/acme`). */
  readonly privatePrefixes: readonly string[];
  /** Non-default GOSUMDB values allowed (`name+key [url]`), in addition to sum.golang.org direct or through an environment proxy. */
  readonly sumdbAllowlist: readonly string[];
  /** GOINSECURE may name cluster-internal hosts and the organisation's own prefixes (never in prod). */
  readonly allowInsecureInternal: boolean;
  /** The Go versions the environment allows (its lock entry). Empty: any catalog release. */
  readonly allowedVersions: readonly string[];
  readonly allowPrereleases: boolean;
  /** Reproducible release flags required (G8) in complete build environments: -trimpath, -mod=readonly, CGO_ENABLED explicit. */
  readonly release: boolean;
}

export interface CheckOptions {
  /**
   * The settings describe a whole Go build environment (a builder image, a published go-env), so
   * settings left unset fall back to Go's defaults and are judged: GOPROXY unset means
   * proxy.golang.org, GOTOOLCHAIN unset means `auto`. For a fragment (one container's env), only
   * what is set is judged. @default false
   */
  readonly complete?: boolean;
}

/** The setting names live in their own module (the Dockerfile reader needs them without the rules). */
export { GO_SETTINGS, VERSION_SETTINGS };

const DEFAULT_SUMDB = KNOWN_SUMDB_NAME;

/**
 * Names that look like Go settings but are not (Go ignores them): scripts set them when they mean to
 * skip checksum verification. Advisory only (G7). Variables that merely start with GO (GOPHER_NAME,
 * GOPROXY_URL) are an application's own and are not listed.
 */
export const LOOKALIKE_SETTINGS = ["GONOSUMCHECK", "GONOSUMCHECKS", "GOSUMCHECK", "GOSUMDB_OFF"] as const;

/**
 * The rule a Go setting belongs to, for findings about the setting as a whole (such as a value that
 * cannot be read offline). GOFLAGS belongs to G5: its real weakening is -mod=mod (G4's -insecure is
 * refused by today's Go), and a GOFLAGS Go cannot parse is reported under G5 as well. GOVCS only
 * matters for direct VCS fetches, which G6 governs.
 */
export const SETTING_RULE: Readonly<Record<string, RuleId>> = {
  CGO_ENABLED: "G8",
  GOFLAGS: "G5",
  GOINSECURE: "G3",
  GONOPROXY: "G2",
  GONOSUMDB: "G2",
  GOPRIVATE: "G2",
  GOPROXY: "G6",
  GOSUMDB: "G1",
  GOTOOLCHAIN: "T8",
  GOVCS: "G6",
  GOLANG_VERSION: "T1",
  GO_VERSION: "T1",
  ...Object.fromEntries(LOOKALIKE_SETTINGS.map((k) => [k, "G7"])),
};

/**
 * A Go setting whose value comes from something the offline check cannot read (a ConfigMap or
 * Secret outside the stack, an unknown preview value): reported under the setting's rule, never a
 * silent pass. `where` names the source as the reader should look for it; `reason` says why it
 * cannot be read. Throws for a name that is not a Go setting (a caller's mistake).
 */
export function unresolvedFinding(setting: string, where: string, reason: string): Finding {
  const rule = Object.prototype.hasOwnProperty.call(SETTING_RULE, setting) ? SETTING_RULE[setting] : undefined;
  if (rule === undefined) throw new Error(`unresolvedFinding: ${JSON.stringify(setting)} is not a Go setting (known: ${Object.keys(SETTING_RULE).sort().join(", ")})`);
  return finding(
    rule,
    setting,
    "",
    `${setting} comes from ${where}, which cannot be read offline (${reason}), so what Go will do with it cannot be verified`,
    `Declare the ConfigMap or Secret that holds ${setting} in this stack, or set ${setting} literally in the container's env.`,
  );
}

/** A Kubernetes Service name as pods resolve it: no dots, or under `.svc` / `.cluster.local`. */
export function isClusterInternalHost(host: string): boolean {
  const h = host.replace(/:\d+$/, "").toLowerCase();
  return /^[a-z0-9-]+$/.test(h) || /\.svc$/.test(h) || /\.svc\.cluster\.local$/.test(h) || /\.cluster\.local$/.test(h);
}

function urlHost(u: string): string | undefined {
  const m = /^[a-z]+:\/\/([^/?#]+)/i.exec(u);
  return m ? m[1].replace(/^.*@/, "") : undefined;
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, "");
}

/** `NAME=value`, quoted when the value holds spaces or quotes, so a message shows the setting as written. */
function asWritten(setting: string, value: string): string {
  return /^[^\s"'`]+$/.test(value) ? `${setting}=${value}` : `${setting}=${JSON.stringify(value)}`;
}

function prefixList(prefixes: readonly string[]): string {
  return prefixes.length > 0 ? prefixes.join(", ") : "none are configured";
}

/** What a broad pattern reaches, in words: `"*" matches every module path (such as …)`. */
function reachText(pattern: string, v: PatternVerdict, prefixes: readonly string[], outside: string): string {
  const q = JSON.stringify(pattern);
  switch (v.kind) {
    case "narrow":
      return `${q} matches only module paths under the organisation's prefixes`;
    case "malformed":
      return `${q} is not a valid path.Match pattern, so Go ignores it`;
    case "undecided":
      return `${q} is too large to judge (over 256 characters or too many states)`;
    case "broad":
      if (v.everything) return `${q} matches every module path (such as ${v.witness})`;
      if (v.publicExample !== undefined) return `${q} matches public modules such as ${v.publicExample}`;
      return `${q} matches module paths ${outside} (${prefixList(prefixes)}), such as ${v.witness}`;
    default: {
      const never: never = v;
      throw new Error(`unhandled verdict ${JSON.stringify(never)}`);
    }
  }
}

/** Whether a GOPRIVATE-style pattern lies within the organisation's prefixes (Go's matching, exactly). */
export function coveredByPrefixes(pattern: string, prefixes: readonly string[]): boolean {
  return judgePattern(pattern, prefixes).kind === "narrow";
}

/** Why a private-module pattern is too broad (what it matches), or undefined when it stays within the organisation's prefixes. */
export function broadPatternReason(pattern: string, prefixes: readonly string[]): string | undefined {
  const v = judgePattern(pattern, prefixes);
  return v.kind === "narrow" ? undefined : reachText(pattern, v, prefixes, "outside the organisation's prefixes");
}

function finding(rule: RuleId, setting: string, value: string, message: string, fix: string): Finding {
  return { rule, setting, value, message, fix };
}

function checkVersion(setting: string, value: string, policy: GoEnvPolicy, catalog: GoCatalog): Finding[] {
  const parsed = parseGoVersion(value);
  const pin = checkPinnedVersion(value, catalog, { allowPrerelease: policy.allowPrereleases });
  const allowed = policy.allowedVersions.length > 0 ? policy.allowedVersions.join(", ") : catalog.newestPerMinor().join(", ");
  if (!pin.ok) {
    const wellFormed = parsed !== undefined && (versionShape(parsed) === "release" || (versionShape(parsed) === "prerelease" && policy.allowPrereleases));
    return [finding(wellFormed ? "T3" : "T1", setting, value, `${setting} ${pin.reason}`, `Set ${setting} to an exact release the environment allows: ${allowed}.`)];
  }
  if (policy.allowedVersions.length > 0 && !policy.allowedVersions.includes(value)) {
    return [finding("T2", setting, value, `${setting} is Go ${value}, which this environment does not allow (its lock allows ${allowed})`, `Use ${allowed}, or allow the new version with \`goguard lock allow\` and promote it.`)];
  }
  return [];
}

// --- GOTOOLCHAIN (toolchain.Select) ------------------------------------------------------------

function checkToolchain(value: string | undefined, policy: GoEnvPolicy, complete: boolean): Finding[] {
  const fix = "Set GOTOOLCHAIN=local so builds use only the verified toolchain in the image.";
  const t8 = (message: string): Finding[] => [finding("T8", "GOTOOLCHAIN", value ?? "", message, fix)];
  if (value === undefined) {
    return complete ? t8("GOTOOLCHAIN is unset, so Go uses its default `auto`: a go.mod toolchain line can make the build download a compiler the platform team never approved") : [];
  }
  // cfg.Getenv: an empty value falls back to $GOROOT/go.env, so setting it empty undoes the image's local.
  if (value === "") return t8(`GOTOOLCHAIN="" is empty, which Go treats as unset: it falls back to ${GO_DEFAULTS.GOTOOLCHAIN}, so a go.mod go or toolchain line can make the build download and run another toolchain`);
  const w = asWritten("GOTOOLCHAIN", value);
  const parsed = parseToolchain(value);
  if (!parsed.ok) return t8(`${w} is not a value Go accepts (${parsed.error}): every go command stops before building`);
  // toolchain.Select: "auto" is local+auto and "path" is local+path.
  const spelled = value === "auto" || value === "path" ? `${w} (${parsed.min}+${parsed.mode})` : w;
  switch (parsed.mode) {
    case "auto":
      return t8(`${spelled} lets a module's go or toolchain line make Go download and run another toolchain`);
    case "path":
      return t8(`${spelled} lets a module's go or toolchain line make Go run any goX.Y.Z executable found on $PATH, unverified`);
    case "":
      break;
    default: {
      const never: never = parsed.mode;
      throw new Error(`unhandled GOTOOLCHAIN mode ${String(never)}`);
    }
  }
  if (parsed.min === "local") return [];
  // A name other than the image's own toolchain makes Go look it up on $PATH and then download it.
  const v = parsed.version!;
  const gv = parseGoVersion(v);
  const shape = gv === undefined ? undefined : versionShape(gv);
  const locked = policy.allowedVersions.length > 0 ? policy.allowedVersions.join(", ") : undefined;
  const lockedText = locked ?? "a release the catalog holds";
  if (parsed.min !== toolchainName(v)) {
    return t8(`${w} names the toolchain ${parsed.min}, not a plain release name: Go looks for ${parsed.min} on $PATH and then tries to download it instead of using the verified toolchain (${lockedText})`);
  }
  if (shape === "minor" || shape === undefined) {
    return t8(`${w} names Go ${v}, a language version, not a release (not a patch such as ${locked ?? "1.X.Y"}): Go looks for ${parsed.min} on $PATH and then tries to download it`);
  }
  if (shape === "prerelease" && !(policy.allowPrereleases && policy.allowedVersions.includes(v))) {
    return t8(`${w} names the pre-release Go ${v}: Go runs it from $PATH or downloads it instead of the verified toolchain (${lockedText})`);
  }
  if (policy.allowedVersions.length > 0 && !policy.allowedVersions.includes(v)) {
    return t8(`${w} is not the locked toolchain (${lockedText}): Go runs ${parsed.min} from $PATH or downloads it instead of the verified toolchain in the image`);
  }
  return [];
}

// --- GOSUMDB (modfetch.dbDial) -----------------------------------------------------------------

function sumdbUrlReason(url: string, policy: GoEnvPolicy): string | undefined {
  const canon = canonicalProxyUrl(url);
  if (canon === `https://${DEFAULT_SUMDB}`) return undefined;
  if (policy.proxies.some((p) => canon === `${canonicalProxyUrl(p)}/sumdb/${DEFAULT_SUMDB}`)) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1].toLowerCase();
  const host = urlHost(url) ?? "";
  if (scheme === "http" && !isClusterInternalHost(host)) return `over plain http:// to ${host || url}, a host outside the cluster`;
  if (scheme !== "https" && scheme !== "http") return `from ${url}, which is not an http(s) URL`;
  if (policy.proxies.length === 0) return undefined;
  return `from ${url}, bypassing the environment's proxy (${policy.proxies.join(", ")})`;
}

function checkSumdb(value: string | undefined, policy: GoEnvPolicy): Finding[] {
  if (value === undefined || value === "") return [];
  const fix = `Set GOSUMDB=sum.golang.org (or "sum.golang.org <proxy>/sumdb/sum.golang.org" through the environment's proxy).`;
  const g1 = (message: string, f = fix): Finding[] => [finding("G1", "GOSUMDB", value, message, f)];
  const w = asWritten("GOSUMDB", value);
  const parsed = parseSumdb(value);
  switch (parsed.kind) {
    case "off":
      return g1("GOSUMDB=off turns off checksum verification of every module not already in go.sum");
    case "invalid":
      return g1(`${w} is not a value Go accepts (${parsed.error}): every module download not already in go.sum fails`);
    case "db":
      break;
    default: {
      const never: never = parsed;
      throw new Error(`unhandled GOSUMDB ${JSON.stringify(never)}`);
    }
  }
  if (parsed.name === DEFAULT_SUMDB) {
    if (!parsed.builtinKey) {
      return g1(`${w} gives sum.golang.org a key other than Go's built-in one, so Go would accept module checksums signed by whoever holds that key`);
    }
    if (parsed.url === undefined) return [];
    const why = sumdbUrlReason(parsed.url, policy);
    return why === undefined ? [] : g1(`${w} fetches sum.golang.org ${why}`);
  }
  const listed = policy.sumdbAllowlist.some((entry) => {
    const e = parseSumdb(entry);
    if (e.kind !== "db" || e.key !== parsed.key) return false;
    if (e.url !== undefined) return parsed.url !== undefined && canonicalProxyUrl(e.url) === canonicalProxyUrl(parsed.url);
    return parsed.url === undefined || policy.proxies.some((p) => canonicalProxyUrl(parsed.url!) === `${canonicalProxyUrl(p)}/sumdb/${parsed.name}`);
  });
  if (listed) return [];
  return g1(
    `${w} names the checksum database ${parsed.name}, which is not allow-listed: Go would accept module checksums signed by its key`,
    `${fix} To use another database, add it with its key to the environment's allow-list (sumdbAllowlist).`,
  );
}

// --- GOPRIVATE / GONOSUMDB / GONOPROXY (module.MatchPrefixPatterns) -----------------------------

type PatternSetting = "GONOSUMDB" | "GOPRIVATE" | "GONOPROXY";

function effectOf(setting: PatternSetting, settings: (k: string) => string | undefined, complete: boolean): string {
  switch (setting) {
    case "GONOSUMDB":
      return "Go skips the checksum database for every module it matches";
    case "GONOPROXY":
      return "Go fetches every module it matches straight from its version control host, bypassing the environment's proxy";
    case "GOPRIVATE": {
      // cfg: GONOPROXY and GONOSUMDB default to GOPRIVATE when unset or empty. In a fragment, a
      // variable it does not set may still come from the image, hence "unless set elsewhere".
      const inherit = (["GONOSUMDB", "GONOPROXY"] as const).filter((k) => (settings(k) ?? "") === "");
      const elsewhere = !complete && inherit.some((k) => settings(k) === undefined) ? " here (and unless the image sets them)" : "";
      if (inherit.length === 2) return `GONOSUMDB and GONOPROXY are unset${elsewhere}, so Go takes both from GOPRIVATE: every module it matches skips the checksum database and the environment's proxy`;
      if (inherit.length === 1 && inherit[0] === "GONOSUMDB") return `GONOSUMDB is unset${elsewhere.replace("them", "it")}, so Go takes it from GOPRIVATE: every module it matches skips the checksum database`;
      if (inherit.length === 1) return `GONOPROXY is unset${elsewhere.replace("them", "it")}, so Go takes it from GOPRIVATE: every module it matches bypasses the environment's proxy`;
      return "GONOSUMDB and GONOPROXY are set, so GOPRIVATE only marks the modules it matches as private for GOVCS, which lets any version control tool run for them";
    }
    default: {
      const never: never = setting;
      throw new Error(`unhandled setting ${String(never)}`);
    }
  }
}

function checkPrivatePatterns(setting: PatternSetting, settings: (k: string) => string | undefined, policy: GoEnvPolicy, complete: boolean): Finding[] {
  const value = settings(setting);
  if (value === undefined || value === "") return [];
  const prefixes = policy.privatePrefixes.length > 0 ? policy.privatePrefixes.join(",") : "<your organisation's module prefixes>";
  const fix = `Set ${setting}=${prefixes}.`;
  const out: Finding[] = [];
  for (const { pattern, verdict } of judgePatternList(value, policy.privatePrefixes)) {
    // MatchPrefixPatterns does not trim: " github.com/acme" matches nothing, so the modules it was
    // meant to name go to the public proxy and checksum database (their paths leak, fetches fail).
    if (pattern.trim() !== pattern && judgePattern(pattern.trim(), policy.privatePrefixes).kind === "narrow") {
      out.push(finding("G2", setting, value, `${setting} pattern ${JSON.stringify(pattern)} has surrounding spaces, which Go does not trim, so it matches no module path; the modules it was meant to name are not treated as private`, fix));
      continue;
    }
    if (verdict.kind === "narrow") continue;
    const reach = reachText(pattern, verdict, policy.privatePrefixes, "outside the organisation's prefixes");
    const effect = verdict.kind === "malformed" ? "the modules it was meant to name are not treated as private" : effectOf(setting, settings, complete);
    out.push(finding("G2", setting, value, `${setting} pattern ${reach}; ${effect}`, fix));
  }
  return out;
}

// --- GOINSECURE (modfetch.lookupDirect: web.Insecure for matching paths) ------------------------

function checkInsecure(value: string | undefined, policy: GoEnvPolicy): Finding[] {
  if (value === undefined || value === "") return [];
  const fix = "Unset GOINSECURE and serve the module over TLS (through the environment's proxy).";
  const effect = "Go fetches modules it matches directly over plain HTTP or without validating TLS certificates";
  if (!policy.allowInsecureInternal) {
    return [finding("G3", "GOINSECURE", value, `${asWritten("GOINSECURE", value)}: ${effect}`, fix)];
  }
  const out: Finding[] = [];
  for (const { pattern, verdict } of judgePatternList(value, policy.privatePrefixes)) {
    if (verdict.kind === "narrow") continue;
    // A literal cluster-internal host (no glob characters): internal only, allowed outside prod.
    const first = pattern.split("/")[0];
    if (verdict.kind === "broad" && !/[*?[\\]/.test(pattern) && isClusterInternalHost(first)) continue;
    const reach = reachText(pattern, verdict, policy.privatePrefixes, "that are neither cluster-internal nor under the organisation's prefixes");
    out.push(finding("G3", "GOINSECURE", value, `GOINSECURE pattern ${reach}; ${verdict.kind === "malformed" ? "it protects nothing and hides the intent" : effect}`, fix));
  }
  return out;
}

// --- GOFLAGS (base.InitGOFLAGS, SetFromGOFLAGS) and CGO_ENABLED ---------------------------------

const MOD_VALUES = ["readonly", "vendor", "mod"];

/** The -mod value Go will use from GOFLAGS, when GOFLAGS parses and sets a valid one. */
function effectiveMod(goflags: string | undefined): string | undefined {
  if (goflags === undefined) return undefined;
  const p = parseGoFlags(goflags);
  if (!p.ok) return undefined;
  const m = lastFlag(p.flags, "mod");
  return m?.value !== undefined && MOD_VALUES.includes(m.value) ? m.value : undefined;
}

function checkFlags(value: string | undefined, policy: GoEnvPolicy, cgo: string | undefined): Finding[] {
  const out: Finding[] = [];
  const w = value === undefined ? "" : asWritten("GOFLAGS", value);
  const parsed = value === undefined ? { ok: true as const, flags: [] as GoFlag[] } : parseGoFlags(value);
  const g5fix = 'Write GOFLAGS as space-separated -name=value flags, such as GOFLAGS="-mod=readonly -trimpath".';
  if (!parsed.ok) {
    out.push(finding("G5", "GOFLAGS", value!, `${w} is not something Go can parse (${parsed.error}): every go command stops with "parsing $GOFLAGS"`, g5fix));
  } else {
    const insecure = parsed.flags.filter((f) => f.name === "insecure");
    if (insecure.length > 0) {
      out.push(finding("G4", "GOFLAGS", value!, `${w} contains ${insecure.map((f) => f.raw).join(", ")}: Go no longer supports -insecure (go get stops with "use GOINSECURE instead"); it only ever served to skip TLS and checksum checks`, "Remove -insecure from GOFLAGS."));
    }
    const mods = parsed.flags.filter((f) => f.name === "mod");
    const mod = mods[mods.length - 1];
    const last = mods.length > 1 ? " (the last -mod wins)" : "";
    if (mod !== undefined && mod.value === undefined) {
      out.push(finding("G5", "GOFLAGS", value!, `${w} has ${mod.raw} without a value: go build stops with "flag needs an argument"`, g5fix));
    } else if (mod !== undefined && !MOD_VALUES.includes(mod.value!)) {
      out.push(finding("G5", "GOFLAGS", value!, `${w} sets ${JSON.stringify(mod.raw)}${last}: Go accepts only -mod=readonly, -mod=vendor or -mod=mod and refuses to build`, g5fix));
    } else if (mod !== undefined && mod.value === "mod") {
      out.push(finding("G5", "GOFLAGS", value!, `${w} sets ${mod.raw}${last}: go build and go test may then rewrite go.mod and go.sum on their own`, "Use -mod=readonly (the default) or -mod=vendor."));
    }
    const trims = parsed.flags.filter((f) => f.name === "trimpath");
    const trim = trims[trims.length - 1];
    if (trim?.value !== undefined && parseGoBool(trim.value) === undefined) {
      out.push(finding("G5", "GOFLAGS", value!, `${w} sets ${JSON.stringify(trim.raw)}: not a boolean Go accepts (true, false, 1, 0, t, f), so go build refuses to run`, g5fix));
    }
  }
  if (policy.release) {
    const fix = 'Set GOFLAGS="-mod=readonly -trimpath" and CGO_ENABLED=0 (or 1, explicitly) for release builds.';
    if (parsed.ok) {
      const trim = lastFlag(parsed.flags, "trimpath");
      const trimOn = trim !== undefined && (trim.value === undefined || parseGoBool(trim.value) === true);
      if (!trimOn) {
        const why = trim === undefined ? "" : ` (${trim.raw} leaves it off)`;
        out.push(finding("G8", "GOFLAGS", value ?? "", `release builds need -trimpath in GOFLAGS (reproducible binaries without host paths)${why}`, fix));
      }
      const mod = effectiveMod(value);
      if (mod !== "readonly" && mod !== "vendor") out.push(finding("G8", "GOFLAGS", value ?? "", "release builds need -mod=readonly (or -mod=vendor) in GOFLAGS", fix));
    }
    // go/build: only "0" and "1" count; anything else leaves Go's default (cgo on when a C compiler is found).
    if (cgo !== "0" && cgo !== "1") {
      out.push(finding("G8", "CGO_ENABLED", cgo ?? "", cgo === undefined ? "release builds must set CGO_ENABLED explicitly (0 for static binaries)" : `${asWritten("CGO_ENABLED", cgo)} is neither 0 nor 1, so Go ignores it and uses its default (cgo on when a C compiler is found)`, fix));
    }
  }
  return out;
}

// --- GOPROXY (modfetch.proxyList, TryProxies) -----------------------------------------------------

function checkProxy(value: string | undefined, policy: GoEnvPolicy, goflags: string | undefined, complete: boolean): Finding[] {
  const own = policy.proxies.length > 0 ? policy.proxies[0] : "https://<the environment's proxy>";
  const fix = `Set GOPROXY=${own}${policy.allowDirectFallback ? " (optionally followed by ,direct in dev)" : ""}.`;
  const g6 = (message: string): Finding => finding("G6", "GOPROXY", value ?? "", message, fix);
  if (value === undefined) {
    return complete ? [g6(`GOPROXY is unset, so Go uses ${GO_DEFAULTS.GOPROXY} and bypasses the environment's proxy`)] : [];
  }
  if (value === "") return [g6(`GOPROXY="" is empty, which Go treats as unset: it uses ${GO_DEFAULTS.GOPROXY} and bypasses the environment's proxy`)];
  const w = asWritten("GOPROXY", value);
  const parsed = parseProxyList(value);
  if (!parsed.ok) return [g6(`${w} is not a list Go accepts (${parsed.error}): every module download fails`)];
  const ownCanon = policy.proxies.map(canonicalProxyUrl);
  const isOwn = (url: string): boolean => ownCanon.includes(canonicalProxyUrl(url));
  const shown = (e: ProxyEntry): string => (e.kind === "proxy" && e.written !== e.url ? `${e.written} (which Go reads as ${e.url})` : e.written);
  const out: Finding[] = [];
  const first = parsed.entries[0];
  if (first.kind === "off") {
    return effectiveMod(goflags) === "vendor" ? [] : [g6(`${w} disallows every module download, and GOFLAGS has no -mod=vendor: a build that needs a module not already in the module cache fails`)];
  }
  if (first.kind === "direct") {
    return [g6(`${w} starts with direct: Go fetches every module straight from its version control host, bypassing the environment's proxy`)];
  }
  if (policy.proxies.length > 0 && !isOwn(first.url)) {
    out.push(g6(`${w} sends module downloads first to ${shown(first)}, not the environment's proxy (${policy.proxies.join(", ")})`));
  }
  for (let i = 0; i < parsed.entries.length; i++) {
    const e = parsed.entries[i];
    if (e.kind === "proxy" && e.scheme === "http" && !isClusterInternalHost(e.host)) {
      out.push(g6(`${w} has the entry ${shown(e)}: plain http:// to a host outside the cluster`));
    }
    if (i === 0) continue;
    const prev = parsed.entries[i - 1];
    const when = prev.fallBackOnError ? `after any error from ${prev.written} (the | before it)` : `when ${prev.written} answers 404 or 410`;
    if (e.kind === "direct" && !policy.allowDirectFallback) {
      out.push(g6(`${w} falls back to direct ${when}: Go then fetches modules straight from their version control hosts, bypassing the environment's proxy`));
    }
    if (e.kind === "proxy" && policy.proxies.length > 0 && !isOwn(e.url)) {
      out.push(g6(`${w} falls back to ${shown(e)} ${when}, bypassing the environment's proxy`));
    }
  }
  return out;
}

function compareFindings(a: Finding, b: Finding): number {
  const ka = `${a.rule}\u0000${a.setting}\u0000${a.message}`;
  const kb = `${b.rule}\u0000${b.setting}\u0000${b.message}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Judges Go settings against an environment's policy; findings sorted, independent of input order. */
export function checkGoSettings(settings: Readonly<Record<string, string | undefined>>, policy: GoEnvPolicy, catalog: GoCatalog, opts: CheckOptions = {}): Finding[] {
  const complete = opts.complete ?? false;
  const s = (k: string): string | undefined => (Object.prototype.hasOwnProperty.call(settings, k) ? settings[k] : undefined);
  const out: Finding[] = [];
  for (const k of VERSION_SETTINGS) {
    const v = s(k);
    if (v !== undefined) out.push(...checkVersion(k, v, policy, catalog));
  }
  out.push(...checkToolchain(s("GOTOOLCHAIN"), policy, complete));
  out.push(...checkSumdb(s("GOSUMDB"), policy));
  out.push(...checkPrivatePatterns("GONOSUMDB", s, policy, complete));
  out.push(...checkPrivatePatterns("GOPRIVATE", s, policy, complete));
  out.push(...checkPrivatePatterns("GONOPROXY", s, policy, complete));
  out.push(...checkInsecure(s("GOINSECURE"), policy));
  // G8 judges a whole build environment: a fragment (one variable in an init container) says
  // nothing about how the release binary is built.
  out.push(...checkFlags(s("GOFLAGS"), { ...policy, release: policy.release && complete }, s("CGO_ENABLED")));
  out.push(...checkProxy(s("GOPROXY"), policy, s("GOFLAGS"), complete));
  for (const k of LOOKALIKE_SETTINGS) {
    const v = s(k);
    if (v === undefined) continue;
    out.push(finding("G7", k, v, `${k} is not a Go setting, so Go ignores it; scripts set it when they mean to skip checksum verification (Go's own switches are GOSUMDB and GONOSUMDB)`, `Remove ${k} and keep checksum verification on.`));
  }
  return out.sort(compareFindings);
}

/** T3: the archive checksum used for a platform equals the catalog's. */
export function checkArchiveChecksum(version: string, platform: string, sha256: string, catalog: GoCatalog, setting = "sha256"): Finding[] {
  const a = catalog.archive(version, platform);
  if (!a) {
    return [finding("T3", setting, sha256, `Go ${version} has no ${platform} archive in the release catalog`, "Pick a version and platform from `goguard catalog show`.")];
  }
  if (a.sha256 !== sha256) {
    return [finding("T3", setting, sha256, `the checksum for ${a.filename} is ${sha256}, but the catalog's is ${a.sha256}`, `Use the catalog's sha256 for ${a.filename}; if it came from the toolchain lock, the lock is wrong: \`goguard lock verify\` names the entry (never edit checksums by hand).`)];
  }
  return [];
}

export function hasGoSettings(settings: Readonly<Record<string, unknown>>): boolean {
  return GO_SETTINGS.some((k) => Object.prototype.hasOwnProperty.call(settings, k));
}

export interface BaselineSpec {
  /** The environment's module proxy as consumers reach it (first in GOPROXY). */
  readonly proxyUrl: string;
  /** The organisation's private module prefixes. @default [] */
  readonly privatePrefixes?: readonly string[];
}

/**
 * The Go environment an environment publishes (builder image ENV, the go-env ConfigMap).
 * Keys sorted. Private modules still go through the proxy (GONOPROXY=none: the proxy holds the
 * credentials) but skip the public checksum database (GONOSUMDB), which cannot know them.
 */
export function resolveGoEnvBaseline(spec: BaselineSpec): Readonly<Record<string, string>> {
  const proxy = trimSlash(spec.proxyUrl);
  const prefixes = [...new Set(spec.privatePrefixes ?? [])].sort();
  const env: Record<string, string> = {
    CGO_ENABLED: "0",
    GOFLAGS: "-mod=readonly -trimpath",
    GOPROXY: proxy,
    GOSUMDB: `${DEFAULT_SUMDB} ${proxy}/sumdb/${DEFAULT_SUMDB}`,
    GOTOOLCHAIN: "local",
  };
  if (prefixes.length > 0) {
    env.GONOPROXY = "none";
    env.GONOSUMDB = prefixes.join(",");
    env.GOPRIVATE = prefixes.join(",");
  }
  return Object.fromEntries(Object.keys(env).sort().map((k) => [k, env[k]]));
}

/** Checks a proxy URL itself (https, or http to a cluster-internal service name). */
export function checkProxyUrl(url: string): string | undefined {
  if (/^https:\/\/[^/\s]+(\/\S*)?$/.test(url)) return undefined;
  if (/^http:\/\/[^/\s]+(\/\S*)?$/.test(url) && isClusterInternalHost(urlHost(url)!)) return undefined;
  return `"${url}" must be an https:// URL, or http:// to a cluster-internal service name (such as http://athens.goproxy.svc.cluster.local)`;
}
