import fc from "fast-check";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { checkPinnedVersion, checkPlatform } from "../../components/toolchain/pin";

const catalog = bundledCatalog();

describe("checkPinnedVersion", () => {
  test.each([
    ["1.26", '"1.26" is a minor series, not a release: pin a patch such as 1.26.7'],
    ["1.26.99", '"1.26.99" is not a Go release; the newest 1.26 release is 1.26.7'],
    ["go1.26.7", '"go1.26.7": write the version without the "go" prefix ("1.26.7")'],
    ["v1.26.7", '"v1.26.7": write the version without the "v" prefix ("1.26.7")'],
    ["latest", '"latest" is not a version: pin an exact patch release such as 1.27.0'],
    ["^1.26.0", '"^1.26.0" is a range, not a version: pin exactly one patch release such as 1.27.0'],
    [">=1.26", '">=1.26" is a range, not a version: pin exactly one patch release such as 1.27.0'],
    ["~1.26.0", '"~1.26.0" is a range, not a version: pin exactly one patch release such as 1.27.0'],
    ["1.26.x", '"1.26.x" is a range, not a version: pin exactly one patch release such as 1.27.0'],
    ["1.x", '"1.x" is a range, not a version: pin exactly one patch release such as 1.27.0'],
    ["1", '"1" is a major version, not a release: pin a patch such as 1.27.0'],
    [" 1.26.7", '" 1.26.7" has surrounding whitespace: write "1.26.7"'],
    ["1.26.7\n", '"1.26.7\\n" has surrounding whitespace: write "1.26.7"'],
    ["", "the version is empty: pin an exact patch release such as 1.27.0"],
    ["1.27rc1", '"1.27rc1" is a pre-release, allowed only where the environment allows pre-releases: pin a stable release such as 1.27.0'],
    ["1.19", '"1.19" is a minor series, not a release, and the catalog has no 1.19 release: pin a patch such as 1.27.0'],
    ["1.30.0", '"1.30.0" is not a Go release in the catalog (newest per minor: 1.27.0, 1.26.7, 1.25.14); run `goguard catalog update` if it was published after the catalog'],
    ["1.26.07", '"1.26.07" is not a Go version (expected X.Y.Z, such as 1.27.0)'],
    ["1.26.7-rc1", '"1.26.7-rc1" is not a Go version (expected X.Y.Z, such as 1.27.0)'],
  ])("refuses %j", (text, reason) => {
    expect(checkPinnedVersion(text, catalog)).toEqual({ ok: false, reason });
  });

  test.each(["1.26.7", "1.25.14", "1.21.0", "1.27.0"])("accepts %s", (v) => {
    expect(checkPinnedVersion(v, catalog)).toEqual({ ok: true, version: v });
  });

  test("pre-releases only where allowed", () => {
    expect(checkPinnedVersion("1.27rc1", catalog, { allowPrerelease: true })).toEqual({ ok: true, version: "1.27rc1" });
    expect(checkPinnedVersion("1.27rc9", catalog, { allowPrerelease: true })).toEqual({ ok: false, reason: '"1.27rc9" is not a Go release; the newest 1.27 release is 1.27.0' });
  });

  test("non-strings are refused", () => {
    expect(checkPinnedVersion(1.26, catalog)).toEqual({ ok: false, reason: '1.26 is not a string: pin an exact patch release such as "1.27.0"' });
  });

  const stable = new Set(catalog.releases().filter((r) => r.stable).map((r) => r.version));

  test("property: every string that is not an exact stable release of the catalog is refused", () => {
    const nearMisses = fc.oneof(
      fc.string(),
      fc.constantFrom(...stable).chain((v) =>
        fc.constantFrom(`go${v}`, `v${v}`, ` ${v}`, `${v} `, `^${v}`, `~${v}`, `>=${v}`, `${v}.0`, `${v}.x`, v.split(".").slice(0, 2).join("."), `${v}rc1`, `${v}-1`, `0${v}`),
      ),
      fc.tuple(fc.nat(3), fc.nat(40), fc.nat(40)).map(([a, b, c]) => `${a}.${b}.${c}`),
    );
    fc.assert(
      fc.property(nearMisses, (s) => {
        const r = checkPinnedVersion(s, catalog);
        expect(r.ok).toBe(stable.has(s));
        if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("checkPlatform", () => {
  test("known platform", () => {
    expect(checkPlatform("linux/arm64", "1.26.7", catalog)).toEqual({ ok: true, platform: "linux/arm64" });
  });
  test.each([
    ["linux/arm", '"linux/arm" has no Go 1.26.7 archive; platforms with one include: linux/386, linux/amd64, linux/arm64, linux/armv6l, linux/loong64, linux/mips, linux/mips64, linux/mips64le, linux/mipsle, linux/ppc64, linux/ppc64le, linux/riscv64, linux/s390x'],
    ["linux-amd64", '"linux-amd64" is not a platform: write os/arch as Go names them (for 1.26.7: linux/386, linux/amd64, linux/arm64, linux/armv6l, linux/loong64, linux/mips, linux/mips64, linux/mips64le, linux/mipsle, linux/ppc64, linux/ppc64le, linux/riscv64, linux/s390x)'],
  ])("refuses %s", (p, reason) => {
    expect(checkPlatform(p, "1.26.7", catalog)).toEqual({ ok: false, reason });
  });
});
