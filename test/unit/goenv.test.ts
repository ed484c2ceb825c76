import { createHash } from "crypto";
import fc from "fast-check";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { checkArchiveChecksum, checkGoSettings, checkProxyUrl, GoEnvPolicy, isClusterInternalHost, resolveGoEnvBaseline } from "../../components/toolchain/goenv";

const catalog = bundledCatalog();
const PROXY = "http://athens.goproxy.svc.cluster.local";

function policy(over: Partial<GoEnvPolicy> = {}): GoEnvPolicy {
  return {
    proxies: [PROXY],
    allowDirectFallback: false,
    privatePrefixes: ["git.corp.example", "github.com/acme"],
    sumdbAllowlist: [],
    allowInsecureInternal: false,
    allowedVersions: ["1.26.7"],
    allowPrereleases: false,
    release: false,
    ...over,
  };
}

// Verifier keys in note.NewVerifier's form for test databases: fixed public-key bytes, hash computed.
function verifierKey(name: string, fill: number): string {
  const key = Buffer.concat([Buffer.from([1]), Buffer.alloc(32, fill)]);
  const hash = createHash("sha256").update(Buffer.concat([Buffer.from(`${name}\n`), key])).digest().subarray(0, 4).toString("hex");
  return `${name}+${hash}+${key.toString("base64")}`;
}
const EVIL_KEY = verifierKey("sum.evil.example", 7);
const CORP_KEY = verifierKey("sum.corp.example", 9);

const baseline = resolveGoEnvBaseline({ proxyUrl: PROXY, privatePrefixes: ["git.corp.example", "github.com/acme"] });

describe("baseline", () => {
  test("exact published settings", () => {
    expect(baseline).toEqual({
      CGO_ENABLED: "0",
      GOFLAGS: "-mod=readonly -trimpath",
      GONOPROXY: "none",
      GONOSUMDB: "git.corp.example,github.com/acme",
      GOPRIVATE: "git.corp.example,github.com/acme",
      GOPROXY: PROXY,
      GOSUMDB: `sum.golang.org ${PROXY}/sumdb/sum.golang.org`,
      GOTOOLCHAIN: "local",
    });
    expect(Object.keys(baseline)).toEqual([...Object.keys(baseline)].sort());
  });

  test("the baseline passes every rule, in every environment's policy, as a complete environment", () => {
    for (const over of [{}, { allowDirectFallback: true, allowInsecureInternal: true }, { release: true }]) {
      expect(checkGoSettings(baseline, policy(over), catalog, { complete: true })).toEqual([]);
    }
  });

  const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
  const proxyUrl = fc.oneof(
    fc.tuple(host, host).map(([a, b]) => `http://${a}.${b}.svc.cluster.local`),
    fc.tuple(host, host).map(([a, b]) => `http://${a}.${b}.svc`),
    fc.tuple(host, host, fc.constantFrom("com", "example", "io")).map(([a, b, t]) => `https://${a}.${b}.${t}`),
    fc.tuple(host, host).map(([a, b]) => `https://${a}.example/${b}/`),
  );
  const prefix = fc.oneof(
    fc.tuple(host, fc.constantFrom("example", "corp", "io")).map(([a, t]) => `git.${a}.${t}`),
    host.map((a) => `github.com/${a}`),
  );

  test("property: every baseline the resolver can produce passes the rules", () => {
    fc.assert(
      fc.property(proxyUrl, fc.array(prefix, { maxLength: 4 }), fc.boolean(), (url, prefixes, release) => {
        const env = resolveGoEnvBaseline({ proxyUrl: url, privatePrefixes: prefixes });
        const p = policy({ proxies: [url.replace(/\/+$/, "")], privatePrefixes: prefixes, release });
        expect(checkGoSettings(env, p, catalog, { complete: true })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

type Row = [string, Record<string, string>, Partial<GoEnvPolicy>, Array<[string, string, string]>];

// [name, settings (merged over the baseline; "" deletes), policy override, expected (rule, setting, message)]
const rows: Row[] = [
  ["T1 minor-only version", { GO_VERSION: "1.26" }, {}, [["T1", "GO_VERSION", 'GO_VERSION "1.26" is a minor series, not a release: pin a patch such as 1.26.7']]],
  ["T1 go-prefixed version", { GOLANG_VERSION: "go1.26.7" }, {}, [["T1", "GOLANG_VERSION", 'GOLANG_VERSION "go1.26.7": write the version without the "go" prefix ("1.26.7")']]],
  ["T1 release candidate outside dev", { GO_VERSION: "1.27rc1" }, {}, [["T1", "GO_VERSION", 'GO_VERSION "1.27rc1" is a pre-release, allowed only where the environment allows pre-releases: pin a stable release such as 1.27.0']]],
  ["T3 unknown release", { GO_VERSION: "1.26.99" }, {}, [["T3", "GO_VERSION", 'GO_VERSION "1.26.99" is not a Go release; the newest 1.26 release is 1.26.7']]],
  ["T2 version not allowed", { GO_VERSION: "1.25.14" }, {}, [["T2", "GO_VERSION", "GO_VERSION is Go 1.25.14, which this environment does not allow (its lock allows 1.26.7)"]]],
  ["T8 auto", { GOTOOLCHAIN: "auto" }, {}, [["T8", "GOTOOLCHAIN", "GOTOOLCHAIN=auto (local+auto) lets a module's go or toolchain line make Go download and run another toolchain"]]],
  ["T8 name+auto", { GOTOOLCHAIN: "go1.26.7+auto" }, {}, [["T8", "GOTOOLCHAIN", "GOTOOLCHAIN=go1.26.7+auto lets a module's go or toolchain line make Go download and run another toolchain"]]],
  ["T8 path", { GOTOOLCHAIN: "local+path" }, {}, [["T8", "GOTOOLCHAIN", "GOTOOLCHAIN=local+path lets a module's go or toolchain line make Go run any goX.Y.Z executable found on $PATH, unverified"]]],
  ["T8 other version", { GOTOOLCHAIN: "go1.25.0" }, {}, [["T8", "GOTOOLCHAIN", "GOTOOLCHAIN=go1.25.0 is not the locked toolchain (1.26.7): Go runs go1.25.0 from $PATH or downloads it instead of the verified toolchain in the image"]]],
  ["T8 unset in a complete environment", { GOTOOLCHAIN: "" }, {}, [["T8", "GOTOOLCHAIN", "GOTOOLCHAIN is unset, so Go uses its default `auto`: a go.mod toolchain line can make the build download a compiler the platform team never approved"]]],
  ["G1 off", { GOSUMDB: "off" }, {}, [["G1", "GOSUMDB", "GOSUMDB=off turns off checksum verification of every module not already in go.sum"]]],
  ["G1 foreign database", { GOSUMDB: `${EVIL_KEY} https://sum.evil.example` }, {}, [["G1", "GOSUMDB", `GOSUMDB="${EVIL_KEY} https://sum.evil.example" names the checksum database sum.evil.example, which is not allow-listed: Go would accept module checksums signed by its key`]]],
  ["G1 malformed key", { GOSUMDB: "sum.evil.example+abc123 https://sum.evil.example" }, {}, [["G1", "GOSUMDB", 'GOSUMDB="sum.evil.example+abc123 https://sum.evil.example" is not a value Go accepts (invalid GOSUMDB: malformed verifier id): every module download not already in go.sum fails']]],
  ["G1 through another proxy", { GOSUMDB: "sum.golang.org https://other.example/sumdb/sum.golang.org" }, {}, [["G1", "GOSUMDB", `GOSUMDB="sum.golang.org https://other.example/sumdb/sum.golang.org" fetches sum.golang.org from https://other.example/sumdb/sum.golang.org, bypassing the environment's proxy (${PROXY})`]]],
  ["G2 wildcard GONOSUMDB", { GONOSUMDB: "*" }, {}, [["G2", "GONOSUMDB", 'GONOSUMDB pattern "*" matches every module path (such as github.com/stretchr/testify); Go skips the checksum database for every module it matches']]],
  ["G2 *.* GOPRIVATE", { GOPRIVATE: "*.*" }, {}, [["G2", "GOPRIVATE", 'GOPRIVATE pattern "*.*" matches every module path (such as github.com/stretchr/testify); GONOSUMDB and GONOPROXY are set, so GOPRIVATE only marks the modules it matches as private for GOVCS, which lets any version control tool run for them']]],
  ["G2 public host", { GONOSUMDB: "github.com/*" }, {}, [["G2", "GONOSUMDB", 'GONOSUMDB pattern "github.com/*" matches public modules such as github.com/stretchr/testify; Go skips the checksum database for every module it matches']]],
  ["G2 bare public host", { GONOPROXY: "golang.org" }, {}, [["G2", "GONOPROXY", 'GONOPROXY pattern "golang.org" matches public modules such as golang.org/x/crypto; Go fetches every module it matches straight from its version control host, bypassing the environment\'s proxy']]],
  ["G2 foreign prefix", { GOPRIVATE: "git.corp.example,github.com/someone" }, {}, [["G2", "GOPRIVATE", 'GOPRIVATE pattern "github.com/someone" matches module paths outside the organisation\'s prefixes (git.corp.example, github.com/acme), such as github.com/someone; GONOSUMDB and GONOPROXY are set, so GOPRIVATE only marks the modules it matches as private for GOVCS, which lets any version control tool run for them']]],
  ["G3 GOINSECURE in prod", { GOINSECURE: "git.corp.example" }, {}, [["G3", "GOINSECURE", "GOINSECURE=git.corp.example: Go fetches modules it matches directly over plain HTTP or without validating TLS certificates"]]],
  ["G3 public host outside prod", { GOINSECURE: "github.com/x" }, { allowInsecureInternal: true }, [["G3", "GOINSECURE", 'GOINSECURE pattern "github.com/x" matches module paths that are neither cluster-internal nor under the organisation\'s prefixes (git.corp.example, github.com/acme), such as github.com/x; Go fetches modules it matches directly over plain HTTP or without validating TLS certificates']]],
  ["G4 -insecure", { GOFLAGS: "-mod=readonly -insecure -trimpath" }, {}, [["G4", "GOFLAGS", 'GOFLAGS="-mod=readonly -insecure -trimpath" contains -insecure: Go no longer supports -insecure (go get stops with "use GOINSECURE instead"); it only ever served to skip TLS and checksum checks']]],
  ["G5 -mod=mod", { GOFLAGS: "-mod=mod -trimpath" }, {}, [["G5", "GOFLAGS", 'GOFLAGS="-mod=mod -trimpath" sets -mod=mod: go build and go test may then rewrite go.mod and go.sum on their own']]],
  ["G6 direct alone", { GOPROXY: "direct" }, {}, [["G6", "GOPROXY", "GOPROXY=direct starts with direct: Go fetches every module straight from its version control host, bypassing the environment's proxy"]]],
  ["G6 off without vendoring", { GOPROXY: "off" }, {}, [["G6", "GOPROXY", "GOPROXY=off disallows every module download, and GOFLAGS has no -mod=vendor: a build that needs a module not already in the module cache fails"]]],
  ["G6 public proxy first", { GOPROXY: `https://proxy.golang.org,${PROXY}` }, {}, [["G6", "GOPROXY", `GOPROXY=https://proxy.golang.org,${PROXY} sends module downloads first to https://proxy.golang.org, not the environment's proxy (${PROXY})`]]],
  ["G6 direct fallback outside dev", { GOPROXY: `${PROXY},direct` }, {}, [["G6", "GOPROXY", `GOPROXY=${PROXY},direct falls back to direct when ${PROXY} answers 404 or 410: Go then fetches modules straight from their version control hosts, bypassing the environment's proxy`]]],
  ["G6 plain http outside the cluster", { GOPROXY: `${PROXY}|http://mirror.example.com` }, {}, [
    ["G6", "GOPROXY", `GOPROXY=${PROXY}|http://mirror.example.com falls back to http://mirror.example.com after any error from ${PROXY} (the | before it), bypassing the environment's proxy`],
    ["G6", "GOPROXY", `GOPROXY=${PROXY}|http://mirror.example.com has the entry http://mirror.example.com: plain http:// to a host outside the cluster`],
  ]],
  ["G6 unset in a complete environment", { GOPROXY: "" }, {}, [["G6", "GOPROXY", "GOPROXY is unset, so Go uses https://proxy.golang.org,direct and bypasses the environment's proxy"]]],
  ["G7 GONOSUMCHECK", { GONOSUMCHECK: "1" }, {}, [["G7", "GONOSUMCHECK", "GONOSUMCHECK is not a Go setting, so Go ignores it; scripts set it when they mean to skip checksum verification (Go's own switches are GOSUMDB and GONOSUMDB)"]]],
  ["G8 release without -trimpath", { GOFLAGS: "-mod=readonly" }, { release: true }, [["G8", "GOFLAGS", "release builds need -trimpath in GOFLAGS (reproducible binaries without host paths)"]]],
  ["G8 release without CGO_ENABLED", { CGO_ENABLED: "" }, { release: true }, [["G8", "CGO_ENABLED", "release builds must set CGO_ENABLED explicitly (0 for static binaries)"]]],
  ["G8 release without -mod=readonly", { GOFLAGS: "-trimpath" }, { release: true }, [["G8", "GOFLAGS", "release builds need -mod=readonly (or -mod=vendor) in GOFLAGS"]]],
];

function apply(over: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...baseline };
  for (const [k, v] of Object.entries(over)) {
    if (v === "") delete out[k];
    else out[k] = v;
  }
  return out;
}

describe("each rule fires on its weakening, with the full finding list", () => {
  test.each(rows)("%s", (_name, over, pol, expected) => {
    const findings = checkGoSettings(apply(over), policy(pol), catalog, { complete: true });
    expect(findings.map((f) => [f.rule, f.setting, f.message])).toEqual(expected);
    for (const f of findings) expect(f.fix.length).toBeGreaterThan(10);
  });
});

describe("quiet on compliant or merely similar settings", () => {
  test.each<[string, Record<string, string>, Partial<GoEnvPolicy>]>([
    ["GOTOOLCHAIN equal to the pin", { GOTOOLCHAIN: "go1.26.7" }, {}],
    ["direct fallback in dev", { GOPROXY: `${PROXY},direct` }, { allowDirectFallback: true }],
    ["GOPROXY=off with vendoring", { GOPROXY: "off", GOFLAGS: "-mod=vendor -trimpath" }, {}],
    ["allowed pre-release in dev", { GO_VERSION: "1.27rc1" }, { allowPrereleases: true, allowedVersions: ["1.26.7", "1.27rc1"] }],
    ["internal GOINSECURE outside prod", { GOINSECURE: "git.corp.example/tools" }, { allowInsecureInternal: true }],
    ["GONOSUMDB none", { GONOSUMDB: "none" }, {}],
    ["sub-prefix of an organisation prefix", { GOPRIVATE: "github.com/acme/tools" }, {}],
    ["GOSUMDB default spelled out", { GOSUMDB: "sum.golang.org" }, {}],
    ["allow-listed database", { GOSUMDB: `${CORP_KEY} https://sum.corp.example` }, { sumdbAllowlist: [`${CORP_KEY} https://sum.corp.example`] }],
    ["unrelated variables", { GOPHER_NAME: "gordon", FEATURE_GOSSIP: "on", GO_SERVICE: "x" }, {}],
  ])("%s", (_name, over, pol) => {
    expect(checkGoSettings(apply(over), policy(pol), catalog, { complete: true })).toEqual([]);
  });

  test("a fragment (one container's env) is judged only on what it sets", () => {
    expect(checkGoSettings({ GOSUMDB: "sum.golang.org" }, policy(), catalog)).toEqual([]);
    expect(checkGoSettings({}, policy({ release: false }), catalog)).toEqual([]);
  });
});

describe("order independence", () => {
  const weak = apply({ GOSUMDB: "off", GONOSUMDB: "*", GOFLAGS: "-insecure -mod=mod", GOPROXY: "direct", GOTOOLCHAIN: "auto", GONOSUMCHECK: "1", GO_VERSION: "1.26" });
  test("property: findings do not depend on the order settings are given in", () => {
    const entries = Object.entries(weak);
    const expected = checkGoSettings(weak, policy({ release: true }), catalog, { complete: true });
    expect(expected.map((f) => f.rule)).toEqual(["G1", "G2", "G4", "G5", "G6", "G7", "G8", "G8", "T1", "T8"]);
    fc.assert(
      fc.property(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), (shuffled) => {
        expect(checkGoSettings(Object.fromEntries(shuffled), policy({ release: true }), catalog, { complete: true })).toEqual(expected);
      }),
    );
  });
});

describe("archive checksum (T3)", () => {
  const real = catalog.archive("1.26.7", "linux/amd64")!.sha256;
  test("equal to the catalog's: quiet", () => {
    expect(checkArchiveChecksum("1.26.7", "linux/amd64", real, catalog)).toEqual([]);
  });
  test("one character changed: fires naming the archive and both sums", () => {
    const bad = (real[0] === "0" ? "1" : "0") + real.slice(1);
    expect(checkArchiveChecksum("1.26.7", "linux/amd64", bad, catalog)).toEqual([
      { rule: "T3", setting: "sha256", value: bad, message: `the checksum for go1.26.7.linux-amd64.tar.gz is ${bad}, but the catalog's is ${real}`, fix: "Use the catalog's sha256 for go1.26.7.linux-amd64.tar.gz; if it came from the toolchain lock, the lock is wrong: `goguard lock verify` names the entry (never edit checksums by hand)." },
    ]);
  });
});

describe("helpers", () => {
  test.each([["athens", true], ["athens.goproxy.svc", true], ["athens.goproxy.svc.cluster.local", true], ["athens:3000", true], ["proxy.example.com", false], ["10.0.0.1", false]])("internal host %s → %s", (h, want) => {
    expect(isClusterInternalHost(h)).toBe(want);
  });
  test.each([
    ["https://goproxy.corp.example", undefined],
    ["http://athens.goproxy.svc.cluster.local", undefined],
    ["http://goproxy.corp.example", '"http://goproxy.corp.example" must be an https:// URL, or http:// to a cluster-internal service name (such as http://athens.goproxy.svc.cluster.local)'],
    ["goproxy.corp.example", '"goproxy.corp.example" must be an https:// URL, or http:// to a cluster-internal service name (such as http://athens.goproxy.svc.cluster.local)'],
  ])("proxy URL %s", (u, want) => {
    expect(checkProxyUrl(u)).toBe(want);
  });
});
