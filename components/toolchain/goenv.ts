// The Go settings rules (pure), the single implementation shared by components (which refuse bad
// input) and the policy pack (which reports it). Rows T1–T3, T8 and G1–G8 of the policy catalog.
//
// Input: Go settings from any source (container env, ConfigMap data, build args, Dockerfile ENV,
// Athens' ATHENS_GO_BINARY_ENV_VARS) as a name → value map, and the environment's policy.
// Output: findings sorted by (rule, setting, message), so the order settings arrive in never matters.

import { GoCatalog } from "./catalog";
import { checkPinnedVersion } from "./pin";
import { parseGoVersion, versionShape } from "./version";

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

/** Settings that carry a Go version (build args, Dockerfile ARG/ENV). */
export const VERSION_SETTINGS = ["GO_VERSION", "GOLANG_VERSION"] as const;

/** Every setting these rules read; a source holding none of them is not Go-configured. */
export const GO_SETTINGS = [
  "CGO_ENABLED",
  "GOFLAGS",
  "GOINSECURE",
  "GONOPROXY",
  "GONOSUMCHECK",
  "GONOSUMDB",
  "GOPRIVATE",
  "GOPROXY",
  "GOSUMDB",
  "GOTOOLCHAIN",
  "GOVCS",
  ...VERSION_SETTINGS,
] as const;

const DEFAULT_SUMDB = "sum.golang.org";
const PUBLIC_HOSTS = ["github.com", "gitlab.com", "bitbucket.org", "golang.org", "google.golang.org", "gopkg.in", "go.googlesource.com", "k8s.io", "sigs.k8s.io", "cloud.google.com", "go.uber.org", "go.opentelemetry.io"];

/** A Kubernetes Service name as pods resolve it: no dots, or under `.svc` / `.cluster.local`. */
export function isClusterInternalHost(host: string): boolean {
  const h = host.replace(/:\d+$/, "").toLowerCase();
  return /^[a-z0-9-]+$/.test(h) || /\.svc$/.test(h) || /\.svc\.cluster\.local$/.test(h) || /\.cluster\.local$/.test(h);
}

function urlHost(u: string): string | undefined {
  const m = /^[a-z]+:\/\/([^/?#]+)/i.exec(u);
  return m ? m[1] : undefined;
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, "");
}

function list(value: string, sep: RegExp): string[] {
  return value.split(sep).map((s) => s.trim()).filter((s) => s !== "");
}

function elements(pattern: string): string[] {
  return pattern.split("/").filter((e) => e !== "");
}

function globElement(glob: string, text: string): boolean {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
  return re.test(text);
}

/** Whether a GOPRIVATE-style pattern lies within one of the organisation's prefixes. */
export function coveredByPrefixes(pattern: string, prefixes: readonly string[]): boolean {
  const p = elements(pattern);
  return prefixes.some((prefix) => {
    const o = elements(prefix);
    return o.length > 0 && p.length >= o.length && o.every((oe, i) => oe === p[i] || (!p[i].includes("*") && globElement(oe, p[i])));
  });
}

/** Why a private-module pattern is too broad, or undefined when it is one of the organisation's prefixes. */
export function broadPatternReason(pattern: string, prefixes: readonly string[]): string | undefined {
  const els = elements(pattern);
  if (els.length === 0 || /^[*.?]+$/.test(els[0]) || els[0].startsWith("*")) {
    return `"${pattern}" matches (nearly) every module path`;
  }
  const host = els[0].toLowerCase();
  if (PUBLIC_HOSTS.includes(host) && (els.length === 1 || (els.length === 2 && els[1].includes("*")))) {
    return `"${pattern}" covers every public module on ${host}`;
  }
  if (!coveredByPrefixes(pattern, prefixes)) {
    return prefixes.length === 0
      ? `"${pattern}" is not one of the organisation's private prefixes (none are configured)`
      : `"${pattern}" is not one of the organisation's private prefixes (${prefixes.join(", ")})`;
  }
  return undefined;
}

function flagTokens(goflags: string): string[] {
  return goflags.split(/\s+/).filter((t) => t !== "");
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
    return [finding("T2", setting, value, `${setting} is Go ${value}, which this environment does not allow (its lock allows ${allowed})`, `Use ${allowed}, or allow ${value} with \`goguard lock allow\` and promote it.`)];
  }
  return [];
}

function checkToolchain(value: string | undefined, policy: GoEnvPolicy, complete: boolean): Finding[] {
  const fix = `Set GOTOOLCHAIN=local so builds use only the verified toolchain in the image.`;
  if (value === undefined) {
    return complete ? [finding("T8", "GOTOOLCHAIN", "", "GOTOOLCHAIN is unset, so Go uses its default `auto`: a go.mod toolchain line can make the build download a compiler the platform team never approved", fix)] : [];
  }
  if (value === "local") return [];
  const m = /^go(\S+)$/.exec(value);
  if (m && parseGoVersion(m[1]) && versionShape(parseGoVersion(m[1])!) === "release") {
    if (policy.allowedVersions.length === 0 || policy.allowedVersions.includes(m[1])) return [];
    return [finding("T8", "GOTOOLCHAIN", value, `GOTOOLCHAIN=${value} names a toolchain other than the pinned ${policy.allowedVersions.join(", ")}`, fix)];
  }
  if (/(^|\+)auto$/.test(value)) {
    return [finding("T8", "GOTOOLCHAIN", value, `GOTOOLCHAIN=${value} lets a module's go/toolchain line download and run another Go toolchain`, fix)];
  }
  if (/(^|\+)path$/.test(value)) {
    return [finding("T8", "GOTOOLCHAIN", value, `GOTOOLCHAIN=${value} runs any go1.X.Y executable found on $PATH, with no verification`, fix)];
  }
  return [finding("T8", "GOTOOLCHAIN", value, `GOTOOLCHAIN=${value} is not a toolchain setting Go accepts`, fix)];
}

function checkSumdb(value: string | undefined, policy: GoEnvPolicy): Finding[] {
  if (value === undefined || value === "") return [];
  const fix = `Set GOSUMDB=sum.golang.org (or "sum.golang.org <proxy>/sumdb/sum.golang.org" through the environment's proxy).`;
  if (value.trim() === "off") {
    return [finding("G1", "GOSUMDB", value, "GOSUMDB=off turns off checksum verification of every module not already in go.sum", fix)];
  }
  if (policy.sumdbAllowlist.includes(value)) return [];
  const [name, url, ...rest] = list(value, /\s+/);
  if (rest.length > 0) return [finding("G1", "GOSUMDB", value, `GOSUMDB="${value}" is not of the form "name[+key] [url]"`, fix)];
  if (name === DEFAULT_SUMDB) {
    if (url === undefined || trimSlash(url) === "https://sum.golang.org") return [];
    if (policy.proxies.some((p) => trimSlash(url) === `${trimSlash(p)}/sumdb/${DEFAULT_SUMDB}`)) return [];
    if (policy.proxies.length === 0 && (url.startsWith("https://") || (url.startsWith("http://") && isClusterInternalHost(urlHost(url) ?? "")))) return [];
    return [finding("G1", "GOSUMDB", value, `GOSUMDB fetches sum.golang.org through ${url}, which is not the environment's proxy`, fix)];
  }
  return [finding("G1", "GOSUMDB", value, `GOSUMDB names the checksum database "${name}", which is not allow-listed`, `${fix} To use another database, add "${value}" (with its key) to the environment's allow-list.`)];
}

function checkPrivatePatterns(setting: "GONOSUMDB" | "GOPRIVATE" | "GONOPROXY", value: string | undefined, policy: GoEnvPolicy): Finding[] {
  if (value === undefined) return [];
  if ((setting === "GONOSUMDB" || setting === "GONOPROXY") && value.trim() === "none") return [];
  const out: Finding[] = [];
  for (const pattern of list(value, /,/)) {
    const reason = broadPatternReason(pattern, policy.privatePrefixes);
    if (reason) {
      const prefixes = policy.privatePrefixes.length > 0 ? policy.privatePrefixes.join(",") : "<your organisation's module prefixes>";
      out.push(finding("G2", setting, value, `${setting}: ${reason}; modules it matches skip the checksum database or the proxy`, `Set ${setting}=${prefixes}.`));
    }
  }
  return out;
}

function checkInsecure(value: string | undefined, policy: GoEnvPolicy): Finding[] {
  if (value === undefined || value.trim() === "") return [];
  const fix = "Unset GOINSECURE and serve the module over TLS (through the environment's proxy).";
  if (!policy.allowInsecureInternal) {
    return [finding("G3", "GOINSECURE", value, `GOINSECURE=${value} lets modules be fetched over plain HTTP or unvalidated TLS`, fix)];
  }
  const bad = list(value, /,/).filter((p) => !isClusterInternalHost(elements(p)[0] ?? p) && !coveredByPrefixes(p, policy.privatePrefixes));
  return bad.map((p) => finding("G3", "GOINSECURE", value, `GOINSECURE names "${p}", which is neither a cluster-internal host nor one of the organisation's prefixes`, fix));
}

function checkFlags(value: string | undefined, policy: GoEnvPolicy, cgo: string | undefined): Finding[] {
  const out: Finding[] = [];
  const tokens = value === undefined ? [] : flagTokens(value);
  for (const t of tokens) {
    if (/^--?insecure(=.*)?$/.test(t)) {
      out.push(finding("G4", "GOFLAGS", value!, `GOFLAGS contains ${t}: the flag was removed in Go 1.17 and only ever served to skip TLS and checksum checks`, "Remove -insecure from GOFLAGS."));
    }
    if (/^--?mod=mod$/.test(t)) {
      out.push(finding("G5", "GOFLAGS", value!, `GOFLAGS contains ${t}, which lets builds rewrite go.mod and go.sum`, "Use -mod=readonly (the default) or -mod=vendor."));
    }
  }
  if (policy.release) {
    const fix = 'Set GOFLAGS="-mod=readonly -trimpath" and CGO_ENABLED=0 (or 1, explicitly) for release builds.';
    if (!tokens.some((t) => /^--?trimpath(=true)?$/.test(t))) out.push(finding("G8", "GOFLAGS", value ?? "", "release builds need -trimpath in GOFLAGS (reproducible binaries without host paths)", fix));
    if (!tokens.some((t) => /^--?mod=(readonly|vendor)$/.test(t))) out.push(finding("G8", "GOFLAGS", value ?? "", "release builds need -mod=readonly (or -mod=vendor) in GOFLAGS", fix));
    if (cgo !== "0" && cgo !== "1") out.push(finding("G8", "CGO_ENABLED", cgo ?? "", cgo === undefined ? "release builds must set CGO_ENABLED explicitly (0 for static binaries)" : `CGO_ENABLED=${cgo} is neither 0 nor 1`, fix));
  }
  return out;
}

function checkProxy(value: string | undefined, policy: GoEnvPolicy, goflags: string | undefined, complete: boolean): Finding[] {
  const own = policy.proxies.length > 0 ? policy.proxies[0] : "https://<the environment's proxy>";
  const fix = `Set GOPROXY=${own}${policy.allowDirectFallback ? " (optionally followed by ,direct in dev)" : ""}.`;
  if (value === undefined || value.trim() === "") {
    return complete ? [finding("G6", "GOPROXY", value ?? "", "GOPROXY is unset, so Go uses https://proxy.golang.org,direct and bypasses the environment's proxy", fix)] : [];
  }
  const entries = list(value, /[,|]/);
  const out: Finding[] = [];
  if (entries.length === 1 && entries[0] === "off") {
    const vendoring = goflags !== undefined && flagTokens(goflags).some((t) => /^--?mod=vendor$/.test(t));
    return vendoring ? [] : [finding("G6", "GOPROXY", value, "GOPROXY=off without -mod=vendor: builds that need a module fail or fall back to ad-hoc fetching", fix)];
  }
  if (entries.length === 1 && entries[0] === "direct") {
    return [finding("G6", "GOPROXY", value, "GOPROXY=direct alone fetches every module straight from its VCS, bypassing the proxy", fix)];
  }
  const first = entries[0];
  if (policy.proxies.length > 0 && !policy.proxies.some((p) => trimSlash(p) === trimSlash(first))) {
    out.push(finding("G6", "GOPROXY", value, `GOPROXY's first entry is ${first}, not the environment's proxy (${policy.proxies.join(", ")})`, fix));
  }
  if (entries.includes("direct") && !policy.allowDirectFallback) {
    out.push(finding("G6", "GOPROXY", value, "GOPROXY falls back to direct, which this environment does not allow", fix));
  }
  for (const e of entries) {
    if (e === "direct" || e === "off") continue;
    if (e.startsWith("https://")) continue;
    if (e.startsWith("http://")) {
      if (!isClusterInternalHost(urlHost(e) ?? "")) out.push(finding("G6", "GOPROXY", value, `GOPROXY entry ${e} is plain http:// to a host outside the cluster`, fix));
      continue;
    }
    out.push(finding("G6", "GOPROXY", value, `GOPROXY entry "${e}" is neither a proxy URL nor direct/off`, fix));
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
  out.push(...checkPrivatePatterns("GONOSUMDB", s("GONOSUMDB"), policy));
  out.push(...checkPrivatePatterns("GOPRIVATE", s("GOPRIVATE"), policy));
  out.push(...checkPrivatePatterns("GONOPROXY", s("GONOPROXY"), policy));
  out.push(...checkInsecure(s("GOINSECURE"), policy));
  // G8 judges a whole build environment: a fragment (one variable in an init container) says
  // nothing about how the release binary is built.
  out.push(...checkFlags(s("GOFLAGS"), { ...policy, release: policy.release && complete }, s("CGO_ENABLED")));
  out.push(...checkProxy(s("GOPROXY"), policy, s("GOFLAGS"), complete));
  const nosumcheck = s("GONOSUMCHECK");
  if (nosumcheck !== undefined) {
    out.push(finding("G7", "GONOSUMCHECK", nosumcheck, "GONOSUMCHECK is not a Go setting; scripts set it next to GONOSUMDB=* to skip checksum verification", "Remove GONOSUMCHECK and keep checksum verification on."));
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
    return [finding("T3", setting, sha256, `the checksum for ${a.filename} is ${sha256}, but the catalog's is ${a.sha256}`, "Take the checksum from the toolchain lock (`goguard lock verify`), never by hand.")];
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
