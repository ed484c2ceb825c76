// `goguard catalog update` against an index of the real go.dev shape (`?mode=json&include=all`),
// served on 127.0.0.1: old release names (go1, go1.2.2, go1.9.2rc2, go1.10beta1, go1.20), every
// file kind (archive, source, installer .msi/.pkg, pre-1.5 macOS names), entries this reader cannot
// vouch for (skipped, listed), and a changed checksum of a known file (refused, nothing written).
//
// The old releases' checksums are sha256 of this fixture's own bytes (computed below), not Go's:
// what is under test is the index shape and the merge, and no real checksum of those archives is
// available offline. The new-era releases are real (bundled catalog).
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { IndexFile, IndexRelease, serializeIndex } from "../../components/toolchain/catalog";
import { bundledIndex, indexWithout, tempDir } from "../helpers/catalog-fixtures";
import { runCli } from "../helpers/cli";
import { startServer, TestServer } from "../helpers/http";

const sum = (name: string): string => crypto.createHash("sha256").update(`fixture bytes of ${name}`).digest("hex");

function file(version: string, filename: string, os: string, arch: string, kind: IndexFile["kind"]): IndexFile {
  return { filename, os, arch, version, sha256: sum(filename), size: 1000 + filename.length, kind };
}

const OLD: IndexRelease[] = [
  {
    version: "go1.20",
    stable: true,
    files: [
      file("go1.20", "go1.20.src.tar.gz", "", "", "source"),
      file("go1.20", "go1.20.linux-amd64.tar.gz", "linux", "amd64", "archive"),
      file("go1.20", "go1.20.windows-amd64.zip", "windows", "amd64", "archive"),
      file("go1.20", "go1.20.windows-amd64.msi", "windows", "amd64", "installer"),
      file("go1.20", "go1.20.darwin-arm64.pkg", "darwin", "arm64", "installer"),
    ],
  },
  { version: "go1.20rc1", stable: false, files: [file("go1.20rc1", "go1.20rc1.linux-amd64.tar.gz", "linux", "amd64", "archive")] },
  { version: "go1.10beta1", stable: false, files: [file("go1.10beta1", "go1.10beta1.linux-amd64.tar.gz", "linux", "amd64", "archive")] },
  { version: "go1.9.2rc2", stable: false, files: [file("go1.9.2rc2", "go1.9.2rc2.linux-amd64.tar.gz", "linux", "amd64", "archive")] },
  {
    version: "go1.2.2",
    stable: true,
    files: [
      file("go1.2.2", "go1.2.2.darwin-amd64-osx10.8.tar.gz", "darwin", "amd64", "archive"),
      file("go1.2.2", "go1.2.2.darwin-amd64-osx10.8.pkg", "darwin", "amd64", "installer"),
      file("go1.2.2", "go1.2.2.linux-386.tar.gz", "linux", "386", "archive"),
    ],
  },
  { version: "go1", stable: true, files: [file("go1", "go1.src.tar.gz", "", "", "source")] },
];

// Entries a newer index might hold that this reader cannot vouch for: each skipped, none fatal.
const ODD: unknown[] = [
  { version: "go1.21", stable: true, files: [] },
  { version: "go1.19", stable: true, files: [{ ...file("go1.19", "go1.19.linux-amd64.tar.gz", "linux", "amd64", "archive"), sha256: "" }, { ...file("go1.19", "go1.19.linux-amd64.torrent", "linux", "amd64", "archive"), kind: "torrent" }] },
  { version: "go1.18", stable: "yes", files: [] },
];

describe("goguard catalog update from an index of the real go.dev shape", () => {
  let server: TestServer;
  let body = "";
  let dir: string;
  let catalogFile: string;
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    dir = tempDir("real-index");
    catalogFile = path.join(dir, "go-releases.json");
    fs.writeFileSync(catalogFile, serializeIndex(indexWithout("1.27.0")));
  });

  test("adds the old names, betas, installers and sources; skips and lists what it cannot vouch for", async () => {
    const newest = bundledIndex().find((r) => r.version === "go1.27.0")!;
    body = JSON.stringify([newest, ...ODD, ...bundledIndex().slice(1), ...OLD]);
    const r = await runCli("catalog", "update", "--source", `${server.url}/dl/?mode=json&include=all`, "--catalog", catalogFile);
    expect(r.stderr).toBe(
      `skipped 4 entries of ${server.url}/dl/?mode=json&include=all (not added):\n` +
        '  release "go1.21" is not a Go release name (expected "go1.N.P", "go1.NrcK", or before 1.21 "go1.N")\n' +
        '  go1.19: file "go1.19.linux-amd64.tar.gz" has sha256 "", expected 64 lowercase hex digits\n' +
        "  index.2.files.1.kind must be equal to one of the allowed values\n" +
        "  index.3.stable must be boolean\n",
    );
    expect(r.code).toBe(0);
    const added = OLD.reduce((n, x) => n + x.files.length, 0) + newest.files.length;
    expect(r.stdout).toBe(`added ${added} file(s) in 8 new release(s)\nnew releases: go1, go1.10beta1, go1.19, go1.2.2, go1.20, go1.20rc1, go1.27.0, go1.9.2rc2\n`);

    const list = await runCli("catalog", "list", "--json", "--catalog", catalogFile);
    const versions = (JSON.parse(list.stdout) as Array<{ version: string }>).map((x) => x.version);
    // Go's order (internal/gover), in the canonical spelling: go1.20 is 1.20.0, after its rc.
    expect(versions.slice(-8)).toEqual(["1.21rc2", "1.20.0", "1.20rc1", "1.19.0", "1.10beta1", "1.9.2rc2", "1.2.2", "1.0.0"]);
    expect(versions[0]).toBe("1.27.0");

    const show = await runCli("catalog", "show", "1.20.0", "--platform", "linux/amd64", "--json", "--catalog", catalogFile);
    expect(JSON.parse(show.stdout)).toEqual({
      version: "1.20.0",
      platform: "linux/amd64",
      filename: "go1.20.linux-amd64.tar.gz",
      url: "https://dl.google.com/go/go1.20.linux-amd64.tar.gz",
      sha256: sum("go1.20.linux-amd64.tar.gz"),
      size: 1000 + "go1.20.linux-amd64.tar.gz".length,
      stable: true,
    });
    // The bare minor is refused as a pin before 1.21 exactly as after: it names the patch to pin.
    const minor = await runCli("catalog", "show", "1.20", "--catalog", catalogFile);
    expect(minor.stderr).toBe('goguard: "1.20" is a minor series, not a release: pin a patch such as 1.20.0\n');
    expect(minor.code).toBe(1);
    const newer = await runCli("catalog", "show", "1.26", "--catalog", catalogFile);
    expect(newer.stderr).toBe('goguard: "1.26" is a minor series, not a release: pin a patch such as 1.26.7\n');

    // Installers and sources are kept in the file with their checksums (not offered as archives).
    const text = JSON.parse(fs.readFileSync(catalogFile, "utf8")) as IndexRelease[];
    const go120 = text.find((x) => x.version === "go1.20")!;
    expect(go120.files.map((f) => [f.filename, f.kind, f.sha256])).toEqual(OLD[0].files.map((f) => [f.filename, f.kind, f.sha256]));

    // A second update from the same index adds nothing and rewrites nothing.
    const before = fs.readFileSync(catalogFile);
    const again = await runCli("catalog", "update", "--source", server.url, "--catalog", catalogFile);
    expect(again.stdout).toMatch(/^catalog is up to date/);
    expect(fs.readFileSync(catalogFile).equals(before)).toBe(true);
  });

  test("a changed checksum of a known file is refused and the catalog stays byte-identical", async () => {
    const known = bundledIndex().find((r) => r.version === "go1.26.7")!;
    const victim = known.files.find((f) => f.filename === "go1.26.7.linux-amd64.tar.gz")!;
    const tamperedSum = crypto.createHash("sha256").update("not the published archive").digest("hex");
    const tampered = { ...known, files: known.files.map((f) => (f === victim ? { ...f, sha256: tamperedSum } : f)) };
    body = JSON.stringify([...OLD, tampered]);
    const before = fs.readFileSync(catalogFile);
    const r = await runCli("catalog", "update", "--source", server.url, "--catalog", catalogFile);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "goguard: refusing the update: the source changes the checksum of 1 archive(s) the catalog already knows. " +
        "A published archive never changes, so this is tampering or corruption; nothing was written.\n" +
        `  go1.26.7.linux-amd64.tar.gz: catalog has sha256 ${victim.sha256}, source says ${tamperedSum}\n`,
    );
    expect(fs.readFileSync(catalogFile).equals(before)).toBe(true);
  });

  test("an index that gives one file two checksums is refused, nothing written", async () => {
    const dup = { ...OLD[0], files: [...OLD[0].files, { ...OLD[0].files[1], sha256: sum("other") }] };
    body = JSON.stringify([dup]);
    const before = fs.readFileSync(catalogFile);
    const r = await runCli("catalog", "update", "--source", server.url, "--catalog", catalogFile);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`goguard: the source ${server.url} is not a valid Go download index; nothing was written.\nfile "go1.20.linux-amd64.tar.gz" is listed twice with different checksums (${sum("go1.20.linux-amd64.tar.gz")}, ${sum("other")})\n`);
    expect(fs.readFileSync(catalogFile).equals(before)).toBe(true);
  });
});
