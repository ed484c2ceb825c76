// Go's own semantics for every Go setting, row by row. Each table row cites the Go source (or the
// Go documentation) it comes from; the expected findings are written from that source, not from
// the implementation. Properties compare the parsers with independent reference implementations.
import { createHash } from "crypto";
import fc from "fast-check";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { checkGoSettings, Finding, GoEnvPolicy, resolveGoEnvBaseline, SETTING_RULE, unresolvedFinding } from "../../components/toolchain/goenv";
import { judgePattern, PatternVerdict } from "../../components/toolchain/go-patterns";
import { joinQuoted, matchPrefixPatterns, parseGoFlags, parseProxyList, parseSumdb, parseToolchain, pathMatch, splitQuoted } from "../../components/toolchain/go-syntax";

const catalog = bundledCatalog();
const PROXY = "http://athens.goproxy.svc.cluster.local";
const PREFIXES = ["git.corp.example", "github.com/acme"];
const BUILTIN_KEY = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

function policy(over: Partial<GoEnvPolicy> = {}): GoEnvPolicy {
  return {
    proxies: [PROXY],
    allowDirectFallback: false,
    privatePrefixes: PREFIXES,
    sumdbAllowlist: [],
    allowInsecureInternal: false,
    allowedVersions: ["1.26.7"],
    allowPrereleases: false,
    release: false,
    ...over,
  };
}

// A verifier key in note.NewVerifier's form: fixed public-key bytes, the hash computed as Go does.
function verifierKey(name: string, fill: number): string {
  const key = Buffer.concat([Buffer.from([1]), Buffer.alloc(32, fill)]);
  const hash = createHash("sha256").update(Buffer.concat([Buffer.from(`${name}\n`), key])).digest().subarray(0, 4).toString("hex");
  return `${name}+${hash}+${key.toString("base64")}`;
}
const ROGUE_GOLANG_KEY = verifierKey("sum.golang.org", 3);
const CORP_KEY = verifierKey("sum.corp.example", 9);

/** Findings of a fragment (only what is set is judged), as [rule, setting, message, fix]. */
function judge(settings: Record<string, string>, over: Partial<GoEnvPolicy> = {}, complete = false): Array<[string, string, string, string]> {
  return checkGoSettings(settings, policy(over), catalog, { complete }).map((f) => [f.rule, f.setting, f.message, f.fix]);
}

const FIX = {
  G1: `Set GOSUMDB=sum.golang.org (or "sum.golang.org <proxy>/sumdb/sum.golang.org" through the environment's proxy).`,
  G2: (s: string) => `Set ${s}=git.corp.example,github.com/acme.`,
  G3: "Unset GOINSECURE and serve the module over TLS (through the environment's proxy).",
  G4: "Remove -insecure from GOFLAGS.",
  G5mod: "Use -mod=readonly (the default) or -mod=vendor.",
  G5syntax: 'Write GOFLAGS as space-separated -name=value flags, such as GOFLAGS="-mod=readonly -trimpath".',
  G6: `Set GOPROXY=${PROXY}.`,
  G8: 'Set GOFLAGS="-mod=readonly -trimpath" and CGO_ENABLED=0 (or 1, explicitly) for release builds.',
  T8: "Set GOTOOLCHAIN=local so builds use only the verified toolchain in the image.",
};

describe("quoted.Split (cmd/internal/quoted/quoted.go)", () => {
  test.each<[string, string, string[] | string]>([
    ["spaces, tabs and newlines separate", "a  b\tc\nd\re", ["a", "b", "c", "d", "e"]],
    ["a field starting with a quote runs to the same quote", `'-mod=mod' "-x y"`, ["-mod=mod", "-x y"]],
    ["no escapes inside quotes", `'a\\' b`, ["a\\", "b"]],
    ["quotes inside a field are ordinary", `-ldflags='-s -w'`, ["-ldflags='-s", "-w'"]],
    ["the field ends at the closing quote", `'-mod'=mod`, ["-mod", "=mod"]],
    ["the other quote kind is ordinary inside", `"it's"`, ["it's"]],
    ["an empty quoted field is a field", `'' x`, ["", "x"]],
    ["unterminated single quote", `'-mod=mod`, "unterminated ' string"],
    ["unterminated double quote", `-trimpath "x`, 'unterminated " string'],
    ["non-breaking space is not a separator", "a\u00a0b", ["a\u00a0b"]],
  ])("%s", (_name, input, want) => {
    expect(splitQuoted(input)).toEqual(typeof want === "string" ? { ok: false, error: want } : { ok: true, fields: want });
  });

  const field = fc.stringMatching(/^[-a-z=' "\t]{0,8}$/).filter((f) => !(f.includes("'") && f.includes('"')));
  test("property: Join then Split round-trips every list Join can quote (quoted.Join's contract)", () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 6 }), (fields) => {
        const joined = joinQuoted(fields);
        expect(joined).toBeDefined();
        expect(splitQuoted(joined!)).toEqual({ ok: true, fields });
      }),
      { numRuns: 500 },
    );
  });

  test("property: GOFLAGS written with Join parses back to the same flags", () => {
    const flag = fc.tuple(fc.constantFrom("-", "--"), fc.stringMatching(/^[a-z]{1,6}$/), fc.option(fc.stringMatching(/^[-a-z= ']{0,6}$/), { nil: undefined }));
    fc.assert(
      fc.property(fc.array(flag, { maxLength: 5 }), (flags) => {
        const raws = flags.map(([dash, name, value]) => (value === undefined ? `${dash}${name}` : `${dash}${name}=${value}`));
        const parsed = parseGoFlags(joinQuoted(raws)!);
        expect(parsed).toEqual({ ok: true, flags: flags.map(([, name, value], i) => (value === undefined ? { raw: raws[i], name } : { raw: raws[i], name, value })) });
      }),
      { numRuns: 300 },
    );
  });
});

describe("GOFLAGS (cmd/go/internal/base/goflags.go InitGOFLAGS, SetFromGOFLAGS)", () => {
  test.each<[string, string, ReturnType<typeof parseGoFlags>]>([
    ["-x, --x, -x=value, --x=value", "-trimpath --mod=mod -tags=a,b --count=1", { ok: true, flags: [{ raw: "-trimpath", name: "trimpath" }, { raw: "--mod=mod", name: "mod", value: "mod" }, { raw: "-tags=a,b", name: "tags", value: "a,b" }, { raw: "--count=1", name: "count", value: "1" }] }],
    ["value split at the first =", "-ldflags=-X=a=b", { ok: true, flags: [{ raw: "-ldflags=-X=a=b", name: "ldflags", value: "-X=a=b" }] }],
    ["a word without a dash is a non-flag", "-trimpath mod=mod", { ok: false, error: 'non-flag "mod=mod"' }],
    ["a lone dash", "-", { ok: false, error: 'non-flag "-"' }],
    ["a lone double dash", "--", { ok: false, error: 'non-flag "--"' }],
    ["three dashes", "---mod=mod", { ok: false, error: 'non-flag "---mod=mod"' }],
    ["-= and --=", "--=x", { ok: false, error: 'non-flag "--=x"' }],
    ["a name no go flag can have", "-mod=readonly -trimpath'", { ok: false, error: "unknown flag -trimpath'" }],
    ["a quoted field after a closing quote", `'-mod'=mod`, { ok: false, error: 'non-flag "=mod"' }],
    ["unterminated quote", `-mod=readonly '-trimpath`, { ok: false, error: "unterminated ' string" }],
  ])("%s", (_name, input, want) => {
    expect(parseGoFlags(input)).toEqual(want);
  });

  test.each<[string, string, Partial<GoEnvPolicy>, Array<[string, string, string, string]>]>([
    // goflags.go: a field may start with -- (InitGOFLAGS strips one dash).
    ["--mod=mod is -mod=mod", "--mod=mod", {}, [["G5", "GOFLAGS", "GOFLAGS=--mod=mod sets --mod=mod: go build and go test may then rewrite go.mod and go.sum on their own", FIX.G5mod]]],
    // quoted.Split: the quotes group, the field is -mod=mod.
    ["'-mod=mod' quoted", "'-mod=mod'", {}, [["G5", "GOFLAGS", `GOFLAGS="'-mod=mod'" sets -mod=mod: go build and go test may then rewrite go.mod and go.sum on their own`, FIX.G5mod]]],
    // One quoted field is ONE flag: -mod with value "mod -trimpath", which modload refuses.
    ["one quoted field is one flag", '"-mod=mod -trimpath"', {}, [["G5", "GOFLAGS", 'GOFLAGS="\\"-mod=mod -trimpath\\"" sets "-mod=mod -trimpath": Go accepts only -mod=readonly, -mod=vendor or -mod=mod and refuses to build', FIX.G5syntax]]],
    // flag package: flags apply in order, the last -mod wins.
    ["last -mod wins: readonly", "-mod=mod -mod=readonly", {}, []],
    ["last -mod wins: mod", "-mod=readonly -mod=mod", {}, [["G5", "GOFLAGS", 'GOFLAGS="-mod=readonly -mod=mod" sets -mod=mod (the last -mod wins): go build and go test may then rewrite go.mod and go.sum on their own', FIX.G5mod]]],
    // SetFromGOFLAGS: a non-bool flag without a value.
    ["-mod without a value", "-mod", {}, [["G5", "GOFLAGS", 'GOFLAGS=-mod has -mod without a value: go build stops with "flag needs an argument"', FIX.G5syntax]]],
    ["unterminated quote", "'-mod=mod", {}, [["G5", "GOFLAGS", `GOFLAGS="'-mod=mod" is not something Go can parse (unterminated ' string): every go command stops with "parsing $GOFLAGS"`, FIX.G5syntax]]],
    // strconv.ParseBool for boolean flags.
    ["-trimpath=yes is not a boolean", "-trimpath=yes", {}, [["G5", "GOFLAGS", 'GOFLAGS=-trimpath=yes sets "-trimpath=yes": not a boolean Go accepts (true, false, 1, 0, t, f), so go build refuses to run', FIX.G5syntax]]],
    // modget: go get stops on -insecure, however written.
    ["--insecure", "--insecure", {}, [["G4", "GOFLAGS", 'GOFLAGS=--insecure contains --insecure: Go no longer supports -insecure (go get stops with "use GOINSECURE instead"); it only ever served to skip TLS and checksum checks', FIX.G4]]],
    ["'-insecure=true' quoted", "'-insecure=true' -trimpath", {}, [["G4", "GOFLAGS", `GOFLAGS="'-insecure=true' -trimpath" contains -insecure=true: Go no longer supports -insecure (go get stops with "use GOINSECURE instead"); it only ever served to skip TLS and checksum checks`, FIX.G4]]],
    // quoted.Split: quotes inside a field do not group, so the second field is -w' (no such flag).
    ["-ldflags with inner quotes is two fields, the second a flag Go does not have", "-ldflags='-s -w'", {}, [["G5", "GOFLAGS", `GOFLAGS="-ldflags='-s -w'" is not something Go can parse (unknown flag -w'): every go command stops with "parsing $GOFLAGS"`, FIX.G5syntax]]],
    ["-ldflags quoted whole is one flag", `'-ldflags=-s -w' -mod=readonly`, {}, []],
  ])("%s", (_name, goflags, over, want) => {
    expect(judge({ GOFLAGS: goflags }, over)).toEqual(want);
  });

  test.each<[string, string, Array<[string, string, string, string]>]>([
    ["-trimpath=false leaves it off (last wins)", "-mod=readonly -trimpath -trimpath=false", [["G8", "GOFLAGS", "release builds need -trimpath in GOFLAGS (reproducible binaries without host paths) (-trimpath=false leaves it off)", FIX.G8]]],
    ["-trimpath=true and -trimpath=1 are on", "-mod=readonly -trimpath=1", []],
    ["--mod=vendor counts", "--mod=vendor --trimpath=true", []],
  ])("G8 in a release environment: %s", (_name, goflags, want) => {
    expect(judge({ ...resolveGoEnvBaseline({ proxyUrl: PROXY, privatePrefixes: PREFIXES }), GOFLAGS: goflags }, { release: true }, true)).toEqual(want);
  });
});

describe("GOPROXY (cmd/go/internal/modfetch/proxy.go proxyList, TryProxies)", () => {
  test.each<[string, string, ReturnType<typeof parseProxyList>]>([
    [", falls through on 404/410, | on any error", "https://a.example,https://b.example|direct", { ok: true, ignored: [], entries: [
      { kind: "proxy", written: "https://a.example", url: "https://a.example", scheme: "https", host: "a.example", fallBackOnError: false },
      { kind: "proxy", written: "https://b.example", url: "https://b.example", scheme: "https", host: "b.example", fallBackOnError: true },
      { kind: "direct", written: "direct", fallBackOnError: false },
    ] }],
    ["off ends the list; later entries are ignored", " off , https://a.example", { ok: true, ignored: ["https://a.example"], entries: [{ kind: "off", written: "off", fallBackOnError: false }] }],
    ["no scheme but a dot: https:// is implied", "proxy.corp.example/go", { ok: true, ignored: [], entries: [{ kind: "proxy", written: "proxy.corp.example/go", url: "https://proxy.corp.example/go", scheme: "https", host: "proxy.corp.example", fallBackOnError: false }] }],
    ["host:port: https:// is implied", "athens:3000", { ok: true, ignored: [], entries: [{ kind: "proxy", written: "athens:3000", url: "https://athens:3000", scheme: "https", host: "athens:3000", fallBackOnError: false }] }],
    ["file:/// with a path only", "file:///srv/goproxy", { ok: true, ignored: [], entries: [{ kind: "proxy", written: "file:///srv/goproxy", url: "file:///srv/goproxy", scheme: "file", host: "", fallBackOnError: false }] }],
    ["scheme is case-insensitive", "HTTPS://Proxy.Example", { ok: true, ignored: [], entries: [{ kind: "proxy", written: "HTTPS://Proxy.Example", url: "HTTPS://Proxy.Example", scheme: "https", host: "proxy.example", fallBackOnError: false }] }],
    ["a single word is not a keyword: DIRECT", "DIRECT", { ok: false, error: "invalid proxy URL missing scheme: DIRECT", written: "DIRECT" }],
    ["an absolute path gets no scheme", "/srv/goproxy", { ok: false, error: "invalid proxy URL missing scheme: /srv/goproxy", written: "/srv/goproxy" }],
    ["file:// with a host", "file://host/srv", { ok: false, error: "invalid file:// proxy URL with non-path elements: file://host/srv", written: "file://host/srv" }],
    ["another scheme", "ftp://mirror.example", { ok: false, error: "invalid proxy URL scheme (must be https, http, file): ftp://mirror.example", written: "ftp://mirror.example" }],
    ["only separators and spaces", " , | ", { ok: false, error: "GOPROXY list is not the empty string, but contains no entries", written: " , | " }],
  ])("%s", (_name, input, want) => {
    expect(parseProxyList(input)).toEqual(want);
  });

  test.each<[string, string, Partial<GoEnvPolicy>, Array<[string, string, string, string]>]>([
    ["own proxy alone", PROXY, {}, []],
    ["own proxy, spelled with upper-case scheme and a trailing slash", "HTTP://ATHENS.goproxy.svc.cluster.local/", {}, []],
    ["own proxy then off", `${PROXY},off`, {}, []],
    ["off after the own proxy makes later entries unreachable", `${PROXY},off,direct`, {}, []],
    // cfg.Getenv: "" falls back to $GOROOT/go.env.
    ["empty is the default list", "", {}, [["G6", "GOPROXY", `GOPROXY="" is empty, which Go treats as unset: it uses https://proxy.golang.org,direct and bypasses the environment's proxy`, FIX.G6]]],
    ["public proxy after a 404", `${PROXY},https://proxy.golang.org`, {}, [["G6", "GOPROXY", `GOPROXY=${PROXY},https://proxy.golang.org falls back to https://proxy.golang.org when ${PROXY} answers 404 or 410, bypassing the environment's proxy`, FIX.G6]]],
    ["direct after any error (|)", `${PROXY}|direct`, { allowDirectFallback: false }, [["G6", "GOPROXY", `GOPROXY=${PROXY}|direct falls back to direct after any error from ${PROXY} (the | before it): Go then fetches modules straight from their version control hosts, bypassing the environment's proxy`, FIX.G6]]],
    ["direct first, the own proxy after it is never tried", `direct,${PROXY}`, {}, [["G6", "GOPROXY", `GOPROXY=direct,${PROXY} starts with direct: Go fetches every module straight from its version control host, bypassing the environment's proxy`, FIX.G6]]],
    ["the proxy without a scheme is read as https, not the own http proxy", "athens.goproxy.svc.cluster.local", {}, [["G6", "GOPROXY", `GOPROXY=athens.goproxy.svc.cluster.local sends module downloads first to athens.goproxy.svc.cluster.local (which Go reads as https://athens.goproxy.svc.cluster.local), not the environment's proxy (${PROXY})`, FIX.G6]]],
    ["DIRECT is refused by Go", "DIRECT", {}, [["G6", "GOPROXY", "GOPROXY=DIRECT is not a list Go accepts (invalid proxy URL missing scheme: DIRECT): every module download fails", FIX.G6]]],
    ["a space only is not empty: Go refuses it", " ", {}, [["G6", "GOPROXY", 'GOPROXY=" " is not a list Go accepts (GOPROXY list is not the empty string, but contains no entries): every module download fails', FIX.G6]]],
    ["a local file proxy first", `file:///srv/mods,${PROXY}`, {}, [["G6", "GOPROXY", `GOPROXY=file:///srv/mods,${PROXY} sends module downloads first to file:///srv/mods, not the environment's proxy (${PROXY})`, FIX.G6]]],
    ["direct fallback allowed in dev", `${PROXY},direct`, { allowDirectFallback: true }, []],
  ])("%s", (_name, goproxy, over, want) => {
    const fix = over.allowDirectFallback ? `Set GOPROXY=${PROXY} (optionally followed by ,direct in dev).` : FIX.G6;
    expect(judge({ GOPROXY: goproxy }, over)).toEqual(want.map(([r, s, m]) => [r, s, m, fix]));
  });
});

describe("GOSUMDB (cmd/go/internal/modfetch/sumdb.go dbDial, key.go knownGOSUMDB)", () => {
  test.each<[string, string, ReturnType<typeof parseSumdb>]>([
    ["the name alone uses the built-in key", "sum.golang.org", { kind: "db", name: "sum.golang.org", key: BUILTIN_KEY, builtinKey: true, url: undefined }],
    ["the built-in key spelled out is the same database", BUILTIN_KEY, { kind: "db", name: "sum.golang.org", key: BUILTIN_KEY, builtinKey: true, url: undefined }],
    ["the China alias is sum.golang.org from that host", "sum.golang.google.cn", { kind: "db", name: "sum.golang.org", key: BUILTIN_KEY, builtinKey: true, url: "https://sum.golang.google.cn" }],
    ["name url", `sum.golang.org ${PROXY}/sumdb/sum.golang.org`, { kind: "db", name: "sum.golang.org", key: BUILTIN_KEY, builtinKey: true, url: `${PROXY}/sumdb/sum.golang.org` }],
    ["another key for sum.golang.org", ROGUE_GOLANG_KEY, { kind: "db", name: "sum.golang.org", key: ROGUE_GOLANG_KEY, builtinKey: false, url: undefined }],
    ["off, exactly", "off", { kind: "off" }],
    ["' off' is not off: it is parsed as a key", " off", { kind: "invalid", error: "invalid GOSUMDB: malformed verifier id" }],
    ["an unknown name without a key", "sum.corp.example", { kind: "invalid", error: "invalid GOSUMDB: malformed verifier id" }],
    ["a key whose hash does not match", BUILTIN_KEY.replace("033de0ae", "033de0af"), { kind: "invalid", error: "invalid GOSUMDB: invalid verifier hash" }],
    ["three fields", "sum.golang.org https://a https://b", { kind: "invalid", error: "invalid GOSUMDB: too many fields" }],
  ])("%s", (_name, input, want) => {
    expect(parseSumdb(input)).toEqual(want);
  });

  test.each<[string, string, Partial<GoEnvPolicy>, Array<[string, string, string, string]>]>([
    // The outside check's false positive: this IS sum.golang.org with cmd/go's built-in key.
    ["the built-in key spelled out", BUILTIN_KEY, {}, []],
    ["empty is the default", "", {}, []],
    ["through the environment's proxy", `sum.golang.org ${PROXY}/sumdb/sum.golang.org`, {}, []],
    ["the built-in key through the environment's proxy", `${BUILTIN_KEY} ${PROXY}/sumdb/sum.golang.org`, {}, []],
    ["straight to sum.golang.org", "sum.golang.org https://sum.golang.org", {}, []],
    ["another key for sum.golang.org", ROGUE_GOLANG_KEY, {}, [["G1", "GOSUMDB", `GOSUMDB=${ROGUE_GOLANG_KEY} gives sum.golang.org a key other than Go's built-in one, so Go would accept module checksums signed by whoever holds that key`, FIX.G1]]],
    ["the China alias bypasses the environment's proxy", "sum.golang.google.cn", {}, [["G1", "GOSUMDB", `GOSUMDB=sum.golang.google.cn fetches sum.golang.org from https://sum.golang.google.cn, bypassing the environment's proxy (${PROXY})`, FIX.G1]]],
    ["the China alias is fine where any https upstream is (no own proxy)", "sum.golang.google.cn", { proxies: [] }, []],
    ["plain http outside the cluster", "sum.golang.org http://sum.mirror.example", { proxies: [] }, [["G1", "GOSUMDB", 'GOSUMDB="sum.golang.org http://sum.mirror.example" fetches sum.golang.org over plain http:// to sum.mirror.example, a host outside the cluster', FIX.G1]]],
    ["' off' breaks every lookup (Go refuses it)", " off", {}, [["G1", "GOSUMDB", 'GOSUMDB=" off" is not a value Go accepts (invalid GOSUMDB: malformed verifier id): every module download not already in go.sum fails', FIX.G1]]],
    ["an allow-listed database with its key and URL", `${CORP_KEY} https://sum.corp.example`, { sumdbAllowlist: [`${CORP_KEY} https://sum.corp.example`] }, []],
    ["an allow-listed database at another URL", `${CORP_KEY} https://sum.elsewhere.example`, { sumdbAllowlist: [`${CORP_KEY} https://sum.corp.example`] }, [["G1", "GOSUMDB", `GOSUMDB="${CORP_KEY} https://sum.elsewhere.example" names the checksum database sum.corp.example, which is not allow-listed: Go would accept module checksums signed by its key`, `${FIX.G1} To use another database, add it with its key to the environment's allow-list (sumdbAllowlist).`]]],
  ])("%s", (_name, gosumdb, over, want) => {
    expect(judge({ GOSUMDB: gosumdb }, over)).toEqual(want);
  });
});

// A reference path.Match written from the grammar in path/match.go's doc comment, as a regular
// expression (independent of the automaton and the DP matcher under test).
function referenceMatch(pattern: string, name: string): { matched: boolean; bad: boolean } {
  const p = [...pattern];
  let i = 0;
  let re = "";
  const hex = (c: string): string => `\\u{${c.codePointAt(0)!.toString(16)}}`;
  const rangeChar = (): string | undefined => {
    if (i >= p.length || p[i] === "-" || p[i] === "]") return undefined;
    if (p[i] === "\\") i++;
    return i < p.length ? p[i++] : undefined;
  };
  while (i < p.length) {
    const c = p[i++];
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "\\") {
      if (i >= p.length) return { matched: false, bad: true };
      re += hex(p[i++]);
    } else if (c === "[") {
      const negated = p[i] === "^";
      if (negated) i++;
      const alts: string[] = [];
      let n = 0;
      for (;;) {
        if (i >= p.length) return { matched: false, bad: true };
        if (p[i] === "]" && n > 0) {
          i++;
          break;
        }
        const lo = rangeChar();
        if (lo === undefined) return { matched: false, bad: true };
        let hi = lo;
        if (p[i] === "-") {
          i++;
          const h = rangeChar();
          if (h === undefined) return { matched: false, bad: true };
          hi = h;
        }
        if (i >= p.length) return { matched: false, bad: true };
        if (lo.codePointAt(0)! <= hi.codePointAt(0)!) alts.push(`[${hex(lo)}-${hex(hi)}]`);
        n++;
      }
      const any = alts.length > 0 ? `(?:${alts.join("|")})` : "(?!)";
      re += negated ? `(?!${any})[\\s\\S]` : any;
    } else re += hex(c);
  }
  return { matched: new RegExp(`^${re}$`, "u").test(name), bad: false };
}

describe("path.Match (src/path/match.go) and module.MatchPrefixPatterns (golang.org/x/mod/module)", () => {
  // Rows from path/match_test.go's matchTests.
  test.each<[string, string, boolean, boolean]>([
    ["abc", "abc", true, false],
    ["*", "abc", true, false],
    ["*c", "abc", true, false],
    ["a*", "a", true, false],
    ["a*", "abc", true, false],
    ["a*", "ab/c", false, false],
    ["a*/b", "abc/b", true, false],
    ["a*/b", "a/c/b", false, false],
    ["a*b*c*d*e*/f", "axbxcxdxe/f", true, false],
    ["a*b*c*d*e*/f", "axbxcxdxexxx/fff", false, false],
    ["a*b?c*x", "abxbbxdbxebxczzx", true, false],
    ["a*b?c*x", "abxbbxdbxebxczzy", false, false],
    ["ab[c]", "abc", true, false],
    ["ab[b-d]", "abc", true, false],
    ["ab[e-g]", "abc", false, false],
    ["ab[^c]", "abc", false, false],
    ["ab[^b-d]", "abc", false, false],
    ["ab[^e-g]", "abc", true, false],
    ["a\\*b", "a*b", true, false],
    ["a\\*b", "ab", false, false],
    ["a?b", "a☺b", true, false],
    ["a[^a]b", "a☺b", true, false],
    ["a???b", "a☺b", false, false],
    ["[a-ζ]*", "α", true, false],
    ["*[a-ζ]", "A", false, false],
    ["a?b", "a/b", false, false],
    ["a*b", "a/b", false, false],
    ["[\\]a]", "]", true, false],
    ["[\\-]", "-", true, false],
    ["[x\\-]", "-", true, false],
    ["[\\-x]", "a", false, false],
    ["[]a]", "]", false, true],
    ["[-]", "-", false, true],
    ["[x-]", "x", false, true],
    ["[-x]", "x", false, true],
    ["\\", "a", false, true],
    ["[a-b-c]", "a", false, true],
    ["[", "a", false, true],
    ["[^", "a", false, true],
    ["[^bc", "a", false, true],
    ["a[", "a", false, true],
    ["a[", "ab", false, true],
    ["a/b[", "x", false, true],
    ["*x", "xxx", true, false],
    ["[^a]", "/", true, false],
  ])("Match(%j, %j) = %s (bad pattern: %s)", (pattern, name, matched, bad) => {
    expect(pathMatch(pattern, name)).toEqual({ matched, bad });
    expect(referenceMatch(pattern, name)).toEqual({ matched, bad });
  });

  const patternChar = fc.constantFrom("a", "b", ".", "/", "*", "?", "[", "]", "^", "-", "\\");
  const nameChar = fc.constantFrom("a", "b", ".", "/", "-", "]", "*");
  test("property: pathMatch agrees with the reference from the grammar (malformed patterns too)", () => {
    fc.assert(
      fc.property(fc.array(patternChar, { maxLength: 8 }), fc.array(nameChar, { maxLength: 8 }), (pc, nc) => {
        const pattern = pc.join("");
        const name = nc.join("");
        expect(pathMatch(pattern, name)).toEqual(referenceMatch(pattern, name));
      }),
      { numRuns: 2000 },
    );
  });

  // MatchPrefixPatterns: a pattern with N slashes matches the first N+1 elements; commas separate
  // patterns with no trimming; one trailing slash is dropped; malformed patterns are ignored.
  test.each<[string, string, boolean]>([
    ["*/quote", "rsc.io/quote", true],
    ["*/quote", "rsc.io/quote/v3", true],
    ["*/quote", "rsc.io", false],
    ["rsc.io", "rsc.io/quote", true],
    ["rsc.io/", "rsc.io/quote", true],
    ["rsc.io/quote/", "rsc.io/quote", true],
    ["rsc.io/q*", "rsc.io/quote/v3", true],
    ["*.io", "rsc.io/quote", true],
    ["rsc.io,example.com", "example.com/x", true],
    ["rsc.io, example.com", "example.com/x", false],
    [",,rsc.io,,", "rsc.io/x", true],
    ["[,rsc.io", "rsc.io/x", true],
    ["[", "[", false],
    ["github.com", "github.company.example/x", false],
  ])("MatchPrefixPatterns(%j, %j) = %s", (globs, target, want) => {
    expect(matchPrefixPatterns(globs, target)).toBe(want);
  });
});

describe("what a private-module pattern matches (judged exactly)", () => {
  test.each<[string, readonly string[], PatternVerdict]>([
    ["*", PREFIXES, { kind: "broad", witness: "github.com/stretchr/testify", everything: true, publicExample: "github.com/stretchr/testify" }],
    ["*.*", PREFIXES, { kind: "broad", witness: "github.com/stretchr/testify", everything: true, publicExample: "github.com/stretchr/testify" }],
    ["*.com", PREFIXES, { kind: "broad", witness: "github.com/stretchr/testify", everything: false, publicExample: "github.com/stretchr/testify" }],
    ["gith?b.com", PREFIXES, { kind: "broad", witness: "github.com/stretchr/testify", everything: false, publicExample: "github.com/stretchr/testify" }],
    ["[g]ithub.com/*", PREFIXES, { kind: "broad", witness: "github.com/stretchr/testify", everything: false, publicExample: "github.com/stretchr/testify" }],
    ["github.com", PREFIXES, { kind: "broad", witness: "github.com/stretchr/testify", everything: false, publicExample: "github.com/stretchr/testify" }],
    ["golang.org/x", PREFIXES, { kind: "broad", witness: "golang.org/x/crypto", everything: false, publicExample: "golang.org/x/crypto" }],
    // Not public, but wider than the organisation: a shortest counter-example is named.
    ["*.corp.example", PREFIXES, { kind: "broad", witness: "a.corp.example", everything: false }],
    ["git.corp.exampl?", PREFIXES, { kind: "broad", witness: "git.corp.exampla", everything: false }],
    ["github.com/acm?", PREFIXES, { kind: "broad", witness: "github.com/acma", everything: false }],
    ["git.corp.example", [], { kind: "broad", witness: "git.corp.example", everything: false }],
    ["git.corp.example", PREFIXES, { kind: "narrow" }],
    ["git.corp.example/*", PREFIXES, { kind: "narrow" }],
    ["git.corp.example/", PREFIXES, { kind: "narrow" }],
    ["git.corp.example/[a-z]*/x", PREFIXES, { kind: "narrow" }],
    ["github.com/acme/tools", PREFIXES, { kind: "narrow" }],
    ["git.corp.exampl[e]", PREFIXES, { kind: "narrow" }],
    // Matches no path Go could fetch: the first element of a module path contains a dot.
    ["none", PREFIXES, { kind: "narrow" }],
    // Go does not trim: this pattern starts with a space, which no module path does.
    [" *", PREFIXES, { kind: "narrow" }],
    ["[", PREFIXES, { kind: "malformed" }],
    ["git.corp.example\\", PREFIXES, { kind: "malformed" }],
  ])("%j against %j", (pattern, prefixes, want) => {
    expect(judgePattern(pattern, prefixes)).toEqual(want);
  });

  // Soundness against Go's own matching: "narrow" means no module path it matches escapes the
  // prefixes; "broad" names a path it matches and that escapes them.
  const globChar = fc.constantFrom("g", "i", "t", ".", "c", "o", "/", "*", "?", "[", "]", "^", "-", "e");
  const element = fc.stringMatching(/^[gitcoe.-]{1,5}$/);
  const modulePath = fc.tuple(fc.stringMatching(/^[gitcoe]{1,3}\.[gitcoe]{1,3}$/), fc.array(element, { maxLength: 3 })).map(([h, rest]) => [h, ...rest].join("/"));
  const covered = (path: string, prefixes: readonly string[]): boolean => prefixes.some((o) => path === o || path.startsWith(`${o}/`));
  test("property: verdicts agree with MatchPrefixPatterns on generated module paths", () => {
    const prefixes = ["git.co", "ci.ci/go"];
    fc.assert(
      fc.property(fc.array(globChar, { minLength: 1, maxLength: 7 }), fc.array(modulePath, { minLength: 1, maxLength: 20 }), (gc, paths) => {
        const pattern = gc.join("");
        const v = judgePattern(pattern, prefixes);
        if (v.kind === "narrow") {
          for (const p of paths) if (matchPrefixPatterns(pattern, p)) expect(covered(p, prefixes) || covered(p.split("/").slice(0, pattern.split("/").length).join("/"), prefixes)).toBe(true);
        } else if (v.kind === "broad" && v.publicExample === undefined) {
          expect(matchPrefixPatterns(pattern, v.witness)).toBe(true);
          expect(covered(v.witness, prefixes)).toBe(false);
        } else if (v.kind === "malformed") {
          for (const p of paths) expect(matchPrefixPatterns(pattern, p)).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test.each<[string, Record<string, string>, Array<[string, string, string, string]>]>([
    // cfg.go: GONOSUMDB and GONOPROXY default to GOPRIVATE when unset or empty.
    ["GOPRIVATE=* in a fragment that sets neither GONOSUMDB nor GONOPROXY", { GOPRIVATE: "*" }, [["G2", "GOPRIVATE", 'GOPRIVATE pattern "*" matches every module path (such as github.com/stretchr/testify); GONOSUMDB and GONOPROXY are unset here (and unless the image sets them), so Go takes both from GOPRIVATE: every module it matches skips the checksum database and the environment\'s proxy', FIX.G2("GOPRIVATE")]]],
    ["GOPRIVATE=github.com with GONOSUMDB empty and GONOPROXY=none", { GOPRIVATE: "github.com", GONOSUMDB: "", GONOPROXY: "none" }, [["G2", "GOPRIVATE", 'GOPRIVATE pattern "github.com" matches public modules such as github.com/stretchr/testify; GONOSUMDB is unset, so Go takes it from GOPRIVATE: every module it matches skips the checksum database', FIX.G2("GOPRIVATE")]]],
    ["one bad pattern among good ones", { GONOSUMDB: "git.corp.example,*.com,github.com/acme" }, [["G2", "GONOSUMDB", 'GONOSUMDB pattern "*.com" matches public modules such as github.com/stretchr/testify; Go skips the checksum database for every module it matches', FIX.G2("GONOSUMDB")]]],
    ["a malformed pattern is ignored by Go", { GONOPROXY: "git.corp.example/[" }, [["G2", "GONOPROXY", 'GONOPROXY pattern "git.corp.example/[" is not a valid path.Match pattern, so Go ignores it; the modules it was meant to name are not treated as private', FIX.G2("GONOPROXY")]]],
    ["org prefixes with a trailing slash and a glob below them", { GOPRIVATE: "git.corp.example/,github.com/acme/*" }, []],
    // MatchPrefixPatterns splits at commas without trimming.
    ["a space after the comma", { GONOSUMDB: "git.corp.example, github.com/acme" }, [["G2", "GONOSUMDB", 'GONOSUMDB pattern " github.com/acme" has surrounding spaces, which Go does not trim, so it matches no module path; the modules it was meant to name are not treated as private', FIX.G2("GONOSUMDB")]]],
    ["a space before a broad pattern is still no match", { GONOSUMDB: "git.corp.example, *" }, []],
  ])("%s", (_name, settings, want) => {
    expect(judge(settings)).toEqual(want);
  });

  test("GOPRIVATE=* in a complete environment without GONOSUMDB and GONOPROXY", () => {
    const env = { ...resolveGoEnvBaseline({ proxyUrl: PROXY }), GOPRIVATE: "*" };
    expect(judge(env, {}, true)).toEqual([["G2", "GOPRIVATE", 'GOPRIVATE pattern "*" matches every module path (such as github.com/stretchr/testify); GONOSUMDB and GONOPROXY are unset, so Go takes both from GOPRIVATE: every module it matches skips the checksum database and the environment\'s proxy', FIX.G2("GOPRIVATE")]]);
  });

  // The literal fast path and the automata must agree: "[x]" is the same one-character language as
  // "x", so wrapping one character of a literal in a class forces the general walk.
  const literal = fc.tuple(fc.stringMatching(/^[a-z]{1,4}\.[a-z]{1,4}$/), fc.array(fc.stringMatching(/^[a-z.-]{1,4}$/), { maxLength: 2 })).map(([h, r]) => [h, ...r].join("/"));
  test("property: literal patterns judged the same with and without the fast path", () => {
    fc.assert(
      fc.property(literal, fc.constantFrom<readonly string[]>(["ab.cd"], ["ab.cd/x", "github.com/acme"], [], PREFIXES), (lit, prefixes) => {
        expect(judgePattern(`[${lit[0]}]${lit.slice(1)}`, prefixes)).toEqual(judgePattern(lit, prefixes));
      }),
      { numRuns: 400 },
    );
  });
});

describe("GOTOOLCHAIN (cmd/go/internal/toolchain/select.go Select, gover.FromToolchain)", () => {
  test.each<[string, ReturnType<typeof parseToolchain>]>([
    ["local", { ok: true, min: "local", version: undefined, mode: "" }],
    ["auto", { ok: true, min: "local", mode: "auto" }],
    ["path", { ok: true, min: "local", mode: "path" }],
    ["local+auto", { ok: true, min: "local", version: undefined, mode: "auto" }],
    ["go1.26.7+path", { ok: true, min: "go1.26.7", version: "1.26.7", mode: "path" }],
    ["go1.26.7-bigcorp", { ok: true, min: "go1.26.7-bigcorp", version: "1.26.7", mode: "" }],
    ["default", { ok: false, error: "invalid GOTOOLCHAIN" }],
    ["local+", { ok: false, error: "invalid GOTOOLCHAIN: only version suffixes are +auto and +path" }],
    ["go1.26.7+local", { ok: false, error: "invalid GOTOOLCHAIN: only version suffixes are +auto and +path" }],
    ["1.26.7+auto", { ok: false, error: 'invalid GOTOOLCHAIN: invalid minimum toolchain "1.26.7"' }],
    [" local", { ok: false, error: "invalid GOTOOLCHAIN" }],
    ["gccgo-go1.26.7", { ok: false, error: "invalid GOTOOLCHAIN" }],
  ])("parse %j", (input, want) => {
    expect(parseToolchain(input)).toEqual(want);
  });

  test.each<[string, Partial<GoEnvPolicy>, string[]]>([
    ["local", {}, []],
    ["go1.26.7", {}, []],
    ["go1.27rc1", { allowPrereleases: true, allowedVersions: ["1.26.7", "1.27rc1"] }, []],
    ["", {}, ['GOTOOLCHAIN="" is empty, which Go treats as unset: it falls back to auto, so a go.mod go or toolchain line can make the build download and run another toolchain']],
    ["auto", {}, ["GOTOOLCHAIN=auto (local+auto) lets a module's go or toolchain line make Go download and run another toolchain"]],
    ["path", {}, ["GOTOOLCHAIN=path (local+path) lets a module's go or toolchain line make Go run any goX.Y.Z executable found on $PATH, unverified"]],
    ["go1.26.7+path", {}, ["GOTOOLCHAIN=go1.26.7+path lets a module's go or toolchain line make Go run any goX.Y.Z executable found on $PATH, unverified"]],
    ["default", {}, ["GOTOOLCHAIN=default is not a value Go accepts (invalid GOTOOLCHAIN): every go command stops before building"]],
    // T1's distinction carried over: a language version vs a pre-release.
    ["go1.26", {}, ["GOTOOLCHAIN=go1.26 names Go 1.26, a language version, not a release (not a patch such as 1.26.7): Go looks for go1.26 on $PATH and then tries to download it"]],
    ["go1.27rc1", {}, ["GOTOOLCHAIN=go1.27rc1 names the pre-release Go 1.27rc1: Go runs it from $PATH or downloads it instead of the verified toolchain (1.26.7)"]],
    ["go1.25.14", {}, ["GOTOOLCHAIN=go1.25.14 is not the locked toolchain (1.26.7): Go runs go1.25.14 from $PATH or downloads it instead of the verified toolchain in the image"]],
    ["go1.26.7-bigcorp", {}, ["GOTOOLCHAIN=go1.26.7-bigcorp names the toolchain go1.26.7-bigcorp, not a plain release name: Go looks for go1.26.7-bigcorp on $PATH and then tries to download it instead of using the verified toolchain (1.26.7)"]],
  ])("GOTOOLCHAIN=%j", (value, over, messages) => {
    expect(judge({ GOTOOLCHAIN: value }, over)).toEqual(messages.map((m) => ["T8", "GOTOOLCHAIN", m, FIX.T8]));
  });
});

describe("GOINSECURE (cmd/go/internal/modfetch lookupDirect: web.Insecure for matching paths)", () => {
  test.each<[string, string, Partial<GoEnvPolicy>, string[]]>([
    ["anything in prod", "git.corp.example", {}, ["GOINSECURE=git.corp.example: Go fetches modules it matches directly over plain HTTP or without validating TLS certificates"]],
    ["empty is unset", "", {}, []],
    ["org prefix outside prod", "git.corp.example/tools", { allowInsecureInternal: true }, []],
    ["cluster-internal host outside prod", "gitea.tools.svc.cluster.local", { allowInsecureInternal: true }, []],
    ["a glob outside the org, outside prod", "*.corp.example", { allowInsecureInternal: true }, ['GOINSECURE pattern "*.corp.example" matches module paths that are neither cluster-internal nor under the organisation\'s prefixes (git.corp.example, github.com/acme), such as a.corp.example; Go fetches modules it matches directly over plain HTTP or without validating TLS certificates']],
    ["a public host outside prod", "gith?b.com", { allowInsecureInternal: true }, ['GOINSECURE pattern "gith?b.com" matches public modules such as github.com/stretchr/testify; Go fetches modules it matches directly over plain HTTP or without validating TLS certificates']],
  ])("%s", (_name, value, over, messages) => {
    expect(judge({ GOINSECURE: value }, over)).toEqual(messages.map((m) => ["G3", "GOINSECURE", m, FIX.G3]));
  });
});

describe("look-alikes, other GO* variables, and values that cannot be read", () => {
  test.each(["GONOSUMCHECK", "GONOSUMCHECKS", "GOSUMCHECK", "GOSUMDB_OFF"])("%s is advisory G7", (name) => {
    expect(judge({ [name]: "1" })).toEqual([["G7", name, `${name} is not a Go setting, so Go ignores it; scripts set it when they mean to skip checksum verification (Go's own switches are GOSUMDB and GONOSUMDB)`, `Remove ${name} and keep checksum verification on.`]]);
  });

  test("variables that merely start with GO are not settings", () => {
    expect(judge({ GOPHER_NAME: "gordon", GOPROXY_URL: "direct", GOSUMDB_URL: "off", GOFLAGS_EXTRA: "-mod=mod" })).toEqual([]);
  });

  test("SETTING_RULE maps every Go setting to its rule", () => {
    expect(SETTING_RULE).toEqual({
      CGO_ENABLED: "G8", GOFLAGS: "G5", GOINSECURE: "G3", GONOPROXY: "G2", GONOSUMDB: "G2", GOPRIVATE: "G2", GOPROXY: "G6", GOSUMDB: "G1",
      GOTOOLCHAIN: "T8", GOVCS: "G6", GOLANG_VERSION: "T1", GO_VERSION: "T1", GONOSUMCHECK: "G7", GONOSUMCHECKS: "G7", GOSUMCHECK: "G7", GOSUMDB_OFF: "G7",
    });
  });

  test("unresolvedFinding: the setting's rule, what cannot be verified, and what to do", () => {
    const f: Finding = unresolvedFinding("GOPROXY", "ConfigMap ci/go-env key GOPROXY", "the ConfigMap is not in this stack");
    expect(f).toEqual({
      rule: "G6",
      setting: "GOPROXY",
      value: "",
      message: "GOPROXY comes from ConfigMap ci/go-env key GOPROXY, which cannot be read offline (the ConfigMap is not in this stack), so what Go will do with it cannot be verified",
      fix: "Declare the ConfigMap or Secret that holds GOPROXY in this stack, or set GOPROXY literally in the container's env.",
    });
    expect(unresolvedFinding("GOSUMDB", "Secret build-secrets key GOSUMDB", "unknown during preview").rule).toBe("G1");
    expect(() => unresolvedFinding("GOPHER_NAME", "x", "y")).toThrow('unresolvedFinding: "GOPHER_NAME" is not a Go setting');
  });

  test("no fix repeats the bad value it refuses", () => {
    const weak: Record<string, string> = {
      GOFLAGS: "--mod=mod --insecure", GOPROXY: "https://evil.example|direct", GOSUMDB: ROGUE_GOLANG_KEY, GONOSUMDB: "gith?b.com",
      GOTOOLCHAIN: "go1.25.14+auto", GOINSECURE: "*.evil.example", GO_VERSION: "1.25.14", GONOSUMCHECK: "1",
    };
    const findings = checkGoSettings(weak, policy(), catalog, { complete: true });
    expect(findings.length).toBeGreaterThanOrEqual(8);
    for (const f of findings) if (f.value !== "" && f.value.length > 2) expect(f.fix).not.toContain(f.value);
  });

  test("property: any order of the same settings gives the same findings", () => {
    const weak: Record<string, string> = {
      GOFLAGS: "'-mod=mod'", GOPROXY: `${PROXY},https://proxy.golang.org|direct`, GOSUMDB: "sum.golang.google.cn", GOPRIVATE: "*.com",
      GOTOOLCHAIN: "path", GOINSECURE: "x.example", GOSUMCHECK: "off", CGO_ENABLED: "yes",
    };
    const entries = Object.entries(weak);
    const expected = checkGoSettings(weak, policy({ release: true }), catalog, { complete: true });
    expect(expected.map((f) => f.rule)).toEqual(["G1", "G2", "G3", "G5", "G6", "G6", "G7", "G8", "G8", "G8", "T8"]);
    fc.assert(
      fc.property(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), (shuffled) => {
        expect(checkGoSettings(Object.fromEntries(shuffled), policy({ release: true }), catalog, { complete: true })).toEqual(expected);
      }),
    );
  });
});
