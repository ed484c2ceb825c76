import fc from "fast-check";
import { compareGoVersions, compareVersionStrings, formatGoVersion, parseGoVersion, parseReleaseName, releaseName, toolchainName } from "../../components/toolchain/version";

describe("Go version order", () => {
  // internal/gover (src/internal/gover/gover.go): from 1.21 the bare minor is the language version,
  // before every release of that minor; before 1.21 the bare minor is the first release (= X.Y.0).
  test("Go's own order: language version < betas < release candidates < releases, as numbers", () => {
    const ordered = ["1.0.0", "1.0.1", "1.2.2", "1.9.0", "1.9.1", "1.9.2rc2", "1.9.2", "1.10beta1", "1.10rc1", "1.10rc2", "1.10.0", "1.10.9", "1.10.10", "1.20rc1", "1.20.0", "1.20.1", "1.21", "1.21beta1", "1.21rc1", "1.21rc2", "1.21.0", "1.21.1", "2.0.0"];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(compareVersionStrings)).toEqual(ordered);
  });

  test.each([
    ["1.21rc1", "1.21.0", -1],
    ["1.21.0", "1.21.1", -1],
    ["1.9.9", "1.10.0", -1],
    ["1.26.10", "1.26.9", 1],
    ["1.26.7", "1.26.7", 0],
    ["1.20", "1.20.0", 0],
    ["1.20", "1.20rc1", 1],
    ["1.21", "1.21rc1", -1],
    ["1.21", "1.21.0", -1],
    ["1.9.2rc2", "1.9.2", -1],
    ["1.9.2rc2", "1.9.1", 1],
    ["1.9.2beta1", "1.9.2rc1", -1],
  ])("compare(%s, %s) = %d", (a, b, want) => {
    expect(compareVersionStrings(a, b)).toBe(want);
  });

  test("non-canonical input to the comparator is a programming error", () => {
    expect(() => compareVersionStrings("go1.2", "1.2.0")).toThrow('cannot compare Go versions "go1.2" and "1.2.0": not canonical');
  });
});

describe("parse and format", () => {
  test.each([
    ["1.26.7", { major: 1, minor: 26, patch: 7 }],
    ["1.27rc1", { major: 1, minor: 27, prerelease: { kind: "rc", number: 1 } }],
    ["1.22beta2", { major: 1, minor: 22, prerelease: { kind: "beta", number: 2 } }],
    ["1.26", { major: 1, minor: 26 }],
  ])("parses %s", (text, want) => {
    expect(parseGoVersion(text)).toEqual(want);
  });

  test.each(["01.26.7", "1.026.7", "1.26.07", "1.26.7.1", "1.27rc0", "1.27rc01", "go1.26.7", " 1.26.7", "1.26.7 ", "1.26.x", ""])("refuses non-canonical %j", (text) => {
    expect(parseGoVersion(text)).toBeUndefined();
  });

  const version = fc.oneof(
    fc.record({ major: fc.nat(99), minor: fc.nat(999), patch: fc.nat(999) }),
    fc.record({ major: fc.nat(99), minor: fc.nat(999), prerelease: fc.record({ kind: fc.constantFrom("rc" as const, "beta" as const), number: fc.integer({ min: 1, max: 99 }) }) }),
    fc.record({ major: fc.nat(99), minor: fc.nat(999) }),
  );

  test("property: parse(format(v)) == v", () => {
    fc.assert(fc.property(version, (v) => expect(parseGoVersion(formatGoVersion(v))).toEqual(v)));
  });

  test("property: format(parse(s)) == s for canonical strings", () => {
    fc.assert(fc.property(version, (v) => {
      const s = formatGoVersion(v);
      expect(formatGoVersion(parseGoVersion(s)!)).toBe(s);
    }));
  });

  test("property: the order is a total order consistent with numeric patch comparison", () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50), (m1, p1, m2, p2) => {
        const a = { major: 1, minor: m1, patch: p1 };
        const b = { major: 1, minor: m2, patch: p2 };
        const want = m1 !== m2 ? Math.sign(m1 - m2) : Math.sign(p1 - p2);
        expect(compareGoVersions(a, b)).toBe(want);
        expect(compareGoVersions(b, a)).toBe(want === 0 ? 0 : -want);
      }),
    );
  });

  test("toolchain name", () => {
    expect(toolchainName("1.26.7")).toBe("go1.26.7");
  });
});

describe("Go's release names (the go.dev index) ↔ the canonical spelling", () => {
  test.each([
    ["go1", "1.0.0"],
    ["go1.0.1", "1.0.1"],
    ["go1.2.2", "1.2.2"],
    ["go1.9.2rc2", "1.9.2rc2"],
    ["go1.10beta1", "1.10beta1"],
    ["go1.20", "1.20.0"],
    ["go1.20rc1", "1.20rc1"],
    ["go1.20.14", "1.20.14"],
    ["go1.21rc2", "1.21rc2"],
    ["go1.21.0", "1.21.0"],
    ["go1.26.7", "1.26.7"],
  ])("%s is %s, and back", (name, canonical) => {
    const v = parseReleaseName(name)!;
    expect(formatGoVersion(v)).toBe(canonical);
    expect(releaseName(v)).toBe(name);
    expect(toolchainName(canonical)).toBe(name);
  });

  test.each([
    ["go1.21", "a language version from 1.21 on names no release"],
    ["go1.20.0", "Go never named a release 1.20.0 (it is go1.20)"],
    ["go1.0", "Go 1.0.0 is go1"],
    ["go1rc1", "no bare-major pre-release"],
    ["1.26.7", "no go prefix"],
    ["go1.26.07", "leading zero"],
    ["go1.26.7 ", "whitespace"],
    ["go1.27rc0", "rc numbers start at 1"],
    ["go1.27alpha1", "no alpha was ever published"],
    ["go", "no number"],
  ])("%s is not a release name (%s)", (name) => {
    expect(parseReleaseName(name)).toBeUndefined();
  });

  const release = fc.oneof(
    fc.record({ major: fc.integer({ min: 1, max: 9 }), minor: fc.nat(40), patch: fc.nat(30) }),
    fc.record({ major: fc.integer({ min: 1, max: 9 }), minor: fc.nat(40), prerelease: fc.record({ kind: fc.constantFrom("rc" as const, "beta" as const), number: fc.integer({ min: 1, max: 9 }) }) }),
    fc.record({ major: fc.integer({ min: 1, max: 9 }), minor: fc.nat(40), patch: fc.integer({ min: 1, max: 30 }), prerelease: fc.record({ kind: fc.constantFrom("rc" as const, "beta" as const), number: fc.integer({ min: 1, max: 9 }) }) }),
  );

  test("property: every release has exactly one Go name, which parses back to it", () => {
    fc.assert(fc.property(release, (v) => expect(parseReleaseName(releaseName(v))).toEqual(v)));
  });

  test("property: the order is antisymmetric and transitive over releases, pre-releases and language versions", () => {
    const any = fc.oneof(release, fc.record({ major: fc.integer({ min: 1, max: 2 }), minor: fc.nat(40) }));
    fc.assert(
      fc.property(any, any, any, (a, b, c) => {
        expect(Math.sign(compareGoVersions(a, b))).toBe(-Math.sign(compareGoVersions(b, a)) || 0);
        if (compareGoVersions(a, b) <= 0 && compareGoVersions(b, c) <= 0) expect(compareGoVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  test("a language version has no release name", () => {
    expect(() => releaseName({ major: 1, minor: 26 })).toThrow("1.26 is a language version, not a release");
  });
});
