import fc from "fast-check";
import { bundledVulns, materialKey, mergeVulnDb, osvToReport, parseVulnDb, serializeVulnDb, VulnDbError } from "../../components/toolchain/vulndb";
import { compareSemver, exceptionActive, findingFor, findingsFor, goSemver, goVersionFromSemver, parseVulnExceptions, upgradeTarget, VulnReport } from "../../components/toolchain/vulns";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { BUNDLED_VULNDB_PATH } from "../../components/toolchain/vulndb";
import * as fs from "fs";
import { toOsv } from "../helpers/vulndb-fixtures";

const reports = bundledVulns();
const byId = (id: string): VulnReport => reports.find((r) => r.id === id)!;
const stable = bundledCatalog().releases().filter((r) => r.stable).map((r) => r.version);

describe("versions in vulndb's semver spelling", () => {
  test.each([
    ["1.21.3", "1.21.3"],
    ["1.21rc2", "1.21.0-rc.2"],
    ["1.10beta1", "1.10.0-beta.1"],
    ["1.20.0", "1.20.0"],
    ["1.9.2rc2", "1.9.2-rc.2"],
  ])("%s → %s and back", (go, semver) => {
    expect(goSemver(go)).toBe(semver);
    expect(goVersionFromSemver(semver)).toBe(go);
  });

  test("vulndb's X.Y.0-0 (before every X.Y pre-release) reads as the language version X.Y, which Go orders the same way", () => {
    expect(goVersionFromSemver("1.21.0-0")).toBe("1.21");
    expect(findingFor(byId("GO-2024-2962"), "1.20.0")).toMatchObject({ fixedIn: ["1.21"], fixedBy: "1.21" });
    expect(findingFor(byId("GO-2024-2962"), "1.21rc2")).toBeUndefined();
    expect(goVersionFromSemver("1.21.0-alpha.1")).toBeUndefined();
  });

  test("a language version has no semver spelling", () => {
    expect(() => goSemver("1.26")).toThrow('"1.26" is not a Go release or pre-release');
  });

  test.each([
    ["0", "1.0.0", -1],
    ["1.26.0-0", "1.26.0-rc.1", -1],
    ["1.26.0-rc.1", "1.26.0", -1],
    ["1.26.0-rc.2", "1.26.0-rc.10", -1],
    ["1.26.0-beta.1", "1.26.0-rc.1", -1],
    ["1.25.13", "1.26.0-0", -1],
    ["1.26.10", "1.26.9", 1],
    ["1.26.3", "1.26.3", 0],
  ])("compareSemver(%s, %s) = %d", (a, b, want) => {
    expect(compareSemver(a, b)).toBe(want);
    expect(compareSemver(b, a)).toBe(-want || 0);
  });

  test("property: semver order agrees with Go's order for releases and pre-releases", () => {
    const { compareVersionStrings } = jest.requireActual("../../components/toolchain/version");
    const v = fc.oneof(
      fc.tuple(fc.nat(30), fc.nat(20)).map(([m, p]) => `1.${m}.${p}`),
      fc.tuple(fc.integer({ min: 21, max: 30 }), fc.constantFrom("rc", "beta"), fc.integer({ min: 1, max: 12 })).map(([m, k, n]) => `1.${m}${k}${n}`),
    );
    fc.assert(fc.property(v, v, (a, b) => expect(Math.sign(compareSemver(goSemver(a), goSemver(b)))).toBe(Math.sign(compareVersionStrings(a, b)))));
  });
});

describe("which reports affect a Go version (bundled snapshot, hand-checked in its README)", () => {
  test.each([
    ["1.24.13", 37],
    ["1.26.0", 41],
    ["1.25.14", 0],
    ["1.26.7", 0],
    ["1.27.0", 0],
  ])("go%s is affected by %d reports", (version, n) => {
    expect(findingsFor(reports, version)).toHaveLength(n);
  });

  test("go1.26.0 and GO-2026-4984: the module proxy report, fixed in 1.26.3", () => {
    expect(findingFor(byId("GO-2026-4984"), "1.26.0", ["linux"])).toEqual({
      id: "GO-2026-4984",
      aliases: ["CVE-2026-42501"],
      summary: "Malicious module proxy can bypass checksum database in cmd/go",
      url: "https://pkg.go.dev/vuln/GO-2026-4984",
      packages: ["cmd/go"],
      fixedIn: ["1.25.10", "1.26.3"],
      fixedBy: "1.26.3",
    });
    expect(findingFor(byId("GO-2026-4984"), "1.26.3")).toBeUndefined();
    expect(findingFor(byId("GO-2026-4984"), "1.26rc1")?.fixedBy).toBe("1.26.3");
  });

  test.each([
    ["GO-2023-1568", "1.20.0", "windows"],
    ["GO-2024-2825", "1.22.2", "darwin"],
    ["GO-2026-4864", byIdFirstAffected("GO-2026-4864"), "linux"],
  ])("%s applies on %s only on its GOOS (%s)", (id, version, goos) => {
    const r = byId(id);
    expect(findingFor(r, version, [goos])?.id).toBe(id);
    expect(findingFor(r, version, ["plan9"])).toBeUndefined();
    expect(findingFor(r, version, [])?.id).toBe(id);
  });

  test("a withdrawn report affects nothing", () => {
    expect(findingFor({ ...byId("GO-2026-4984"), withdrawn: "2026-09-01" }, "1.26.0")).toBeUndefined();
  });

  test("the patch to move to: the oldest release of the minor that no fixed report affects", () => {
    expect(upgradeTarget(reports, "1.26.0", stable)).toBe("1.26.7");
    expect(upgradeTarget(reports, "1.24.13", stable)).toBe("1.25.14");
    expect(upgradeTarget(reports, "1.26.7", stable)).toBe(undefined);
    expect(findingsFor(reports, "1.26.6")).toEqual([]);
  });
});

function byIdFirstAffected(id: string): string {
  // The first stable catalog release the report affects (its ranges start after 1.20).
  return stable
    .slice()
    .reverse()
    .find((v) => findingFor(reports.find((r) => r.id === id)!, v) !== undefined)!;
}

describe("exceptions", () => {
  test("valid entries are read", () => {
    expect(parseVulnExceptions([{ id: "GO-2026-4984", reason: "cmd/go is not run against untrusted proxies here", expires: "2026-12-31" }])).toEqual({
      exceptions: [{ id: "GO-2026-4984", reason: "cmd/go is not run against untrusted proxies here", expires: "2026-12-31" }],
      problems: [],
    });
    expect(parseVulnExceptions(undefined)).toEqual({ exceptions: [], problems: [] });
  });

  test.each([
    [{ id: "CVE-2026-42501", reason: "a long enough reason", expires: "2026-12-31" }, 'vulnExceptions[0].id must be a Go vulnerability id such as "GO-2026-4984"; got "CVE-2026-42501"'],
    [{ id: "GO-2026-4984", reason: "ok", expires: "2026-12-31" }, 'vulnExceptions[0].reason must say why the report does not apply or cannot be fixed yet (at least 10 characters); got "ok"'],
    [{ id: "GO-2026-4984", reason: "a long enough reason", expires: "2026-02-30" }, 'vulnExceptions[0].expires must be a date YYYY-MM-DD (the last day the exception holds); got "2026-02-30"'],
    [{ id: "GO-2026-4984", reason: "a long enough reason", expires: "2026-12-31", until: "x" }, 'vulnExceptions[0]: unknown key "until"; an exception has id, reason and expires'],
    ["GO-2026-4984", 'vulnExceptions[0] must be an object {id, reason, expires}; got "GO-2026-4984"'],
  ])("%j is refused", (entry, problem) => {
    expect(parseVulnExceptions([entry])).toEqual({ exceptions: [], problems: [problem] });
  });

  test("an exception holds through its expiry day", () => {
    const e = { id: "GO-2026-4984", reason: "r", expires: "2026-12-31" };
    expect([exceptionActive(e, "2026-12-30"), exceptionActive(e, "2026-12-31"), exceptionActive(e, "2027-01-01")]).toEqual([true, true, false]);
  });
});

describe("the database file and OSV records", () => {
  test("the bundled file is a byte copy in canonical form", () => {
    const text = fs.readFileSync(BUNDLED_VULNDB_PATH, "utf8");
    expect(serializeVulnDb(parseVulnDb(JSON.parse(text)))).toBe(text);
    expect(text).toBe(fs.readFileSync("/work/shared/data/go-vulns.json", "utf8"));
  });

  test("every bundled report survives the trip through vuln.go.dev's OSV form with the same affected versions", () => {
    for (const r of reports) {
      const back = osvToReport(toOsv(r, "2026-08-20T00:00:00Z"), r.id, `ID/${r.id}.json`)!;
      expect({ id: back.id, key: materialKey(back), aliases: back.aliases, summary: back.summary, other: back.other_modules }).toEqual({ id: r.id, key: materialKey(r), aliases: r.aliases, summary: r.summary, other: r.other_modules });
    }
  });

  const base = (): Record<string, any> => toOsv(byId("GO-2026-4984"), "2026-08-20T00:00:00Z");
  test.each([
    ["schema 2.x", (o: any) => ({ ...o, schema_version: "2.0.0" }), 'ID/GO-2026-4984.json: schema_version "2.0.0" is not OSV 1.x'],
    ["another id", (o: any) => ({ ...o, id: "GO-2026-4985" }), 'ID/GO-2026-4984.json: id "GO-2026-4985" differs from the index entry GO-2026-4984'],
    ["no modified", (o: any) => ({ ...o, modified: "yesterday" }), 'ID/GO-2026-4984.json: modified "yesterday" is not an RFC 3339 time'],
    ["ECOSYSTEM range", (o: any) => ({ ...o, affected: [{ ...o.affected[0], ranges: [{ type: "ECOSYSTEM", events: [] }] }] }), 'ID/GO-2026-4984.json: affected[0].ranges[0] must be {type: "SEMVER", events}; got type "ECOSYSTEM"', 'ID/GO-2026-4984.json: affected[0] (toolchain) has no SEMVER range'],
    ["bad semver", (o: any) => ({ ...o, affected: [{ ...o.affected[0], ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "v1.26.3" }] }] }] }), 'ID/GO-2026-4984.json affected[0]: fixed "v1.26.3" is not semver'],
  ])("%s is refused with its reason", (_n, mutate, ...problems) => {
    try {
      osvToReport(mutate(base()), "GO-2026-4984", "ID/GO-2026-4984.json");
      throw new Error("expected a VulnDbError");
    } catch (err) {
      expect(err).toBeInstanceOf(VulnDbError);
      expect((err as VulnDbError).problems).toEqual(problems);
    }
  });

  test("a record of a module outside the toolchain is not kept", () => {
    const o = { ...base(), affected: [{ package: { name: "golang.org/x/net", ecosystem: "Go" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "0.1.0" }] }] }] };
    expect(osvToReport(o, "GO-2026-4984", "x")).toBeNull();
  });
});

describe("validators never fail other than with their own error", () => {
  const base = toOsv(reports[0], "2026-08-20T00:00:00Z");
  const mutation = fc.oneof(
    fc.record({ key: fc.constantFrom("schema_version", "id", "modified", "published", "withdrawn", "aliases", "affected", "summary", "references", "database_specific"), value: fc.anything() }),
    fc.record({ key: fc.constant("affected"), value: fc.array(fc.record({ package: fc.anything(), ranges: fc.anything(), ecosystem_specific: fc.anything() }, { requiredKeys: [] }), { maxLength: 3 }) }),
    fc.record({
      key: fc.constant("affected"),
      value: fc.array(
        fc.record({
          package: fc.record({ name: fc.constantFrom("stdlib", "toolchain", "golang.org/x/net"), ecosystem: fc.constantFrom("Go", "npm") }),
          ranges: fc.array(fc.record({ type: fc.constantFrom("SEMVER", "GIT"), events: fc.array(fc.oneof(fc.record({ introduced: fc.constantFrom("0", "1.26.0-0", "x") }), fc.record({ fixed: fc.constantFrom("1.26.3", "0", "1.2") }), fc.constantFrom(null, 5, "x", []), fc.anything()), { maxLength: 4 }) }), { maxLength: 2 }),
          ecosystem_specific: fc.record({ imports: fc.oneof(fc.anything(), fc.array(fc.oneof(fc.constant(null), fc.record({ path: fc.anything(), goos: fc.anything() }, { requiredKeys: [] })), { maxLength: 2 })) }, { requiredKeys: [] }),
        }, { requiredKeys: [] }),
        { maxLength: 3 },
      ),
    }),
  );
  test("property: osvToReport on a mutated record returns a report, null, or throws VulnDbError", () => {
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 3 }), (ms) => {
        const doc: Record<string, unknown> = { ...base };
        for (const m of ms) doc[m.key] = m.value;
        try {
          osvToReport(doc, reports[0].id, "x");
        } catch (err) {
          expect(err).toBeInstanceOf(VulnDbError);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("property: parseVulnDb on arbitrary documents returns reports or throws VulnDbError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.array(fc.anything(), { maxLength: 3 })), (doc) => {
        try {
          parseVulnDb(doc);
        } catch (err) {
          expect(err).toBeInstanceOf(VulnDbError);
        }
      }),
    );
  });

  test("property: parseVulnExceptions never throws and keeps only well-formed entries", () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const { exceptions } = parseVulnExceptions(v);
        for (const e of exceptions) expect(Object.keys(e).sort()).toEqual(["expires", "id", "reason"]);
      }),
    );
  });
});

describe("mergeVulnDb", () => {
  const r = byId("GO-2026-4984");
  const changed: VulnReport = { ...r, affected: [{ ...r.affected[0], ranges: [{ introduced: "0", fixed: "1.25.10" }] }], ranges: [{ introduced: "0", fixed: "1.25.10" }] };

  test.each([
    ["new report added", [], [{ ...r, modified: "2026-09-01T00:00:00Z" }], { added: ["GO-2026-4984"], updated: [], conflicts: [] }],
    ["newer modified replaces", [r], [{ ...changed, modified: "2026-09-01T00:00:00Z" }], { added: [], updated: ["GO-2026-4984"], conflicts: [] }],
    ["editorial change, not re-dated: the known record stays", [r], [{ ...r, summary: "reworded", modified: "2026-08-01T00:00:00Z" }], { added: [], updated: [], conflicts: [] }],
    [
      "affected versions changed, not re-dated: conflict",
      [r],
      [{ ...changed, modified: "2026-08-01T00:00:00Z" }],
      { added: [], updated: [], conflicts: [{ id: "GO-2026-4984", knownModified: "2026-08-21T00:00:00Z", incomingModified: "2026-08-01T00:00:00Z" }] },
    ],
  ])("%s", (_n, current, incoming, want) => {
    const m = mergeVulnDb(current as VulnReport[], incoming as VulnReport[]);
    expect({ added: m.added, updated: m.updated, conflicts: m.conflicts }).toEqual(want);
  });

  test("merging the database into itself changes nothing", () => {
    const m = mergeVulnDb(reports, reports);
    expect(serializeVulnDb(m.reports)).toBe(serializeVulnDb(reports));
    expect([m.added, m.updated, m.conflicts]).toEqual([[], [], []]);
  });
});
