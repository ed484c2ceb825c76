import * as fs from "fs";
import * as path from "path";
import { loadCatalogFile } from "../../cli/commands/catalog";
import { BUNDLED_CATALOG_PATH, bundledCatalog } from "../../components/toolchain/bundled";
import fc from "fast-check";
import { CatalogError, GoCatalog, IndexRelease, mergeIndex, parseIndex, readIndex, serializeIndex } from "../../components/toolchain/catalog";
import { bundledIndex, indexWithout, realRelease, tempDir } from "../helpers/catalog-fixtures";

const catalog = bundledCatalog();

describe("bundled catalog", () => {
  test("holds the 97 releases of the shared data, newest first", () => {
    const releases = catalog.releases();
    expect(releases).toHaveLength(97);
    expect(releases[0]).toMatchObject({ version: "1.27.0", stable: true });
    expect(releases[releases.length - 1]).toMatchObject({ version: "1.21rc2", stable: false });
  });

  test("looks up an archive by (version, platform) with its real checksum and URL", () => {
    expect(catalog.archive("1.25.14", "linux/arm64")).toEqual({
      version: "1.25.14",
      platform: "linux/arm64",
      filename: "go1.25.14.linux-arm64.tar.gz",
      url: "https://dl.google.com/go/go1.25.14.linux-arm64.tar.gz",
      sha256: "9bf234ea70ffec9347fdf6b22ce4add51717d3386a38a441e8c8743fceb5eaee",
      stable: true,
    });
    expect(catalog.archive("1.25.14", "plan9/sparc")).toBeUndefined();
    expect(catalog.archive("1.99.0", "linux/amd64")).toBeUndefined();
  });

  test("Linux 32-bit ARM is armv6l; Windows prefers the zip archive only when no tarball exists", () => {
    expect(catalog.archive("1.26.7", "linux/armv6l")?.filename).toBe("go1.26.7.linux-armv6l.tar.gz");
    expect(catalog.archive("1.26.7", "windows/amd64")?.filename).toBe("go1.26.7.windows-amd64.zip");
  });

  test("newest patch of a minor, newest stable, platforms", () => {
    expect(catalog.newestOfMinor("1.26")).toBe("1.26.7");
    expect(catalog.newestOfMinor("1.21")).toBe("1.21.13");
    expect(catalog.newestOfMinor("1.19")).toBeUndefined();
    expect(catalog.newestStable()).toBe("1.27.0");
    expect(catalog.platforms("1.26.7")).toContain("linux/amd64");
    expect(catalog.platforms("1.26.7")).toEqual([...catalog.platforms("1.26.7")].sort());
    expect(catalog.isStable("1.27rc1")).toBe(false);
  });

  test("the bundled file is in canonical form (an update that adds nothing rewrites the same bytes)", () => {
    const text = fs.readFileSync(BUNDLED_CATALOG_PATH, "utf8");
    expect(serializeIndex(parseIndex(JSON.parse(text)))).toBe(text);
  });
});

describe("index validation", () => {
  const good = realRelease("1.27.0");

  test.each([
    ["bad checksum", { ...good, files: [{ ...good.files[0], sha256: "ABC" }] }, 'go1.27.0: file "go1.27.0.linux-amd64.tar.gz" has sha256 "ABC", expected 64 lowercase hex digits'],
    ["uppercase checksum", { ...good, files: [{ ...good.files[0], sha256: "A".repeat(64) }] }, `go1.27.0: file "go1.27.0.linux-amd64.tar.gz" has sha256 "${"A".repeat(64)}", expected 64 lowercase hex digits`],
    ["filename for another arch", { ...good, files: [{ ...good.files[0], arch: "arm64" }] }, 'go1.27.0: file "go1.27.0.linux-amd64.tar.gz" does not match its version, os and arch (expected "go1.27.0.linux-arm64.tar.gz" or "go1.27.0.linux-arm64.zip")'],
    ["file of another version", { ...good, files: [{ ...good.files[0], version: "go1.27.1" }] }, 'go1.27.0: file "go1.27.0.linux-amd64.tar.gz" has version "go1.27.1", expected "go1.27.0"'],
    ["release name", { ...good, version: "1.27.0" }, 'release "1.27.0" is not a Go release name (expected "go1.N.P", "go1.NrcK", or before 1.21 "go1.N")'],
    ["pre-release marked stable", { ...realRelease("1.27rc1"), stable: true }, 'release "go1.27rc1" is a pre-release but marked stable'],
  ])("%s is refused with its reason", (_name, release, problem) => {
    try {
      parseIndex([release]);
      throw new Error("expected a CatalogError");
    } catch (err) {
      expect(err).toBeInstanceOf(CatalogError);
      expect((err as CatalogError).problems).toEqual([problem]);
    }
  });

  test("shape errors name the path", () => {
    expect(() => parseIndex([{ version: "go1.27.0", files: [] }])).toThrow("index.0 must have required property 'stable'");
    expect(() => parseIndex({})).toThrow("index must be array (the go.dev index is a JSON array of releases); got object");
  });

  test("the same file listed twice with two checksums", () => {
    const a = realRelease("1.27.0");
    const dup = { ...a, files: [...a.files, { ...a.files[0], sha256: "b".repeat(64) }] };
    expect(() => parseIndex([dup])).toThrow(`file "go1.27.0.linux-amd64.tar.gz" is listed twice with different checksums (${a.files[0].sha256}, ${"b".repeat(64)})`);
  });
});

describe("mergeIndex", () => {
  const current = bundledIndex();

  test("adds unknown releases in version order and reports them", () => {
    const older = indexWithout("1.27.0", "1.26.7");
    const merged = mergeIndex(older, [realRelease("1.27.0"), realRelease("1.26.7"), older[0]]);
    expect(merged.conflicts).toEqual([]);
    expect(merged.addedReleases).toEqual(["go1.26.7", "go1.27.0"]);
    expect(merged.addedFiles).toEqual(["go1.26.7.linux-amd64.tar.gz", "go1.26.7.linux-arm64.tar.gz", "go1.27.0.linux-amd64.tar.gz", "go1.27.0.linux-arm64.tar.gz"]);
    expect(merged.releases.map((r) => r.version).slice(0, 6)).toEqual(["go1.27.0", "go1.27rc3", "go1.27rc2", "go1.27rc1", "go1.26.7", "go1.26.6"]);
    expect(GoCatalog.fromIndex(merged.releases).archive("1.27.0", "linux/amd64")?.sha256).toBe(bundledCatalog().archive("1.27.0", "linux/amd64")!.sha256);
  });

  test("a changed checksum of a known archive is a conflict naming the archive and both sums", () => {
    const tampered = { ...current[4], files: current[4].files.map((f, i) => (i === 1 ? { ...f, sha256: "0".repeat(64) } : f)) };
    const merged = mergeIndex(current, [tampered]);
    expect(merged.conflicts).toEqual([{ filename: current[4].files[1].filename, known: current[4].files[1].sha256, incoming: "0".repeat(64) }]);
  });

  test("merging the catalog into itself changes nothing", () => {
    const merged = mergeIndex(current, current);
    expect(merged.addedFiles).toEqual([]);
    expect(serializeIndex(merged.releases)).toBe(serializeIndex(current));
  });
});

describe("readIndex (lenient, for update sources)", () => {
  test("property: any array of entries is read without throwing; whatever is kept parses strictly", () => {
    const entry = fc.oneof(
      fc.anything(),
      fc.record({ version: fc.constantFrom("go1", "go1.20", "go1.21", "go1.26.7", "go1.9.2rc2", "1.2", "go1.0"), stable: fc.boolean(), files: fc.array(fc.anything(), { maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), (doc) => {
        const { releases } = readIndex(doc);
        expect(parseIndex(releases)).toEqual(releases);
      }),
    );
  });

  test("the real snapshot reads with nothing skipped", () => {
    expect(readIndex(bundledIndex()).skipped).toEqual([]);
  });
});

describe("loadCatalogFile: catalogs kept by the file's exact text", () => {
  const write = (dir: string, name: string, doc: IndexRelease[]): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, serializeIndex(doc as IndexRelease[]));
    return file;
  };

  test("the same text gives the same catalog, from any path; a changed file is read afresh; a bad one still fails", () => {
    const dir = tempDir("catalog-memo");
    const full = bundledIndex();
    const a = write(dir, "a.json", full);
    const b = write(dir, "b.json", full);
    const first = loadCatalogFile(a);
    expect(loadCatalogFile(a)).toBe(first);
    expect(loadCatalogFile(b)).toBe(first);
    expect(first.has("1.26.7")).toBe(true);
    write(dir, "a.json", indexWithout("1.26.7"));
    const changed = loadCatalogFile(a);
    expect(changed).not.toBe(first);
    expect([changed.has("1.26.7"), changed.has("1.26.6")]).toEqual([false, true]);
    fs.writeFileSync(a, fs.readFileSync(a, "utf8").replace('"sha256": "', '"sha256": "X'));
    expect(() => loadCatalogFile(a)).toThrow(CatalogError);
  });

  test("it keeps the last four texts: a fifth pushes the oldest out", () => {
    const dir = tempDir("catalog-memo-bound");
    const names = ["1.26.7", "1.26.6", "1.26.5", "1.26.4", "1.26.3"];
    const files = names.map((n, i) => write(dir, `${i}.json`, indexWithout(n)));
    const built = files.map((f) => loadCatalogFile(f));
    expect(files.slice(1).map((f, i) => loadCatalogFile(f) === built[i + 1])).toEqual([true, true, true, true]);
    expect(loadCatalogFile(files[0])).not.toBe(built[0]);
  });
});
