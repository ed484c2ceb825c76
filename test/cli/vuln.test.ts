// `goguard vuln` over the shipped lock and a temporary one, and `goguard vulndb update` against
// vuln.go.dev's layout served on 127.0.0.1 (and from a directory): new records, re-dated records,
// tampered records, truncated files, size limits. Every refusal leaves the database byte-identical.
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { BUNDLED_VULNDB_PATH, bundledVulns, parseVulnDb } from "../../components/toolchain/vulndb";
import { tempDir } from "../helpers/catalog-fixtures";
import { runCli } from "../helpers/cli";
import { startServer, TestServer } from "../helpers/http";
import { bundledAsOsv, layoutOf, VulnDbLayout, writeLayout } from "../helpers/vulndb-fixtures";

const SHIPPED_LOCK = path.join(__dirname, "../../stacks/toolchain.lock.json");

/** The shipped lock with every environment running only `version` (archives from the bundled catalog). */
function lockRunning(version: string, dir: string): string {
  const lock = JSON.parse(fs.readFileSync(SHIPPED_LOCK, "utf8"));
  for (const env of Object.keys(lock.environments)) {
    const e = lock.environments[env];
    const archives = Object.fromEntries(e.platforms.map((p: string) => [p, { filename: bundledCatalog().archive(version, p)!.filename, sha256: bundledCatalog().archive(version, p)!.sha256 }]));
    e.versions = { [version]: archives };
    e.default = version;
  }
  const file = path.join(dir, "toolchain.lock.json");
  fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
  return file;
}

describe("goguard vuln", () => {
  test("the shipped lock (1.26.7, 1.27.0): none known in this snapshot, exit 0", async () => {
    const r = await runCli("vuln");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        "✓ dev 1.26.7 (default) on linux: no known reports",
        "✓ dev 1.27.0 on linux: no known reports",
        "✓ staging 1.26.7 (default) on linux: no known reports",
        "✓ prod 1.26.7 (default) on linux: no known reports",
        "no locked Go version is affected by the 120 reports of the database. No report means none known to the database, not safe: refresh it with `goguard vulndb update`.",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  describe("a lock holding 1.26.0", () => {
    let lockFile: string;
    beforeAll(() => {
      lockFile = lockRunning("1.26.0", tempDir("vuln-lock"));
    });

    test("JSON: 41 reports per environment, GO-2026-4984 among them, move to 1.26.7; exit 1", async () => {
      const r = await runCli("vuln", "--lock", lockFile, "--format", "json");
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.ok).toBe(false);
      expect(doc.environments.map((e: any) => [e.environment, e.goos, e.versions.map((v: any) => [v.version, v.findings.length, v.moveTo])])).toEqual([
        ["dev", ["linux"], [["1.26.0", 41, "1.26.7"]]],
        ["staging", ["linux"], [["1.26.0", 41, "1.26.7"]]],
        ["prod", ["linux"], [["1.26.0", 41, "1.26.7"]]],
      ]);
      expect(doc.environments[2].versions[0].findings.find((f: any) => f.id === "GO-2026-4984")).toEqual({
        id: "GO-2026-4984",
        aliases: ["CVE-2026-42501"],
        summary: "Malicious module proxy can bypass checksum database in cmd/go",
        url: "https://pkg.go.dev/vuln/GO-2026-4984",
        packages: ["cmd/go"],
        fixedIn: ["1.25.10", "1.26.3"],
        fixedBy: "1.26.3",
      });
    });

    test("text names each report with its aliases, packages, summary and fixes", async () => {
      const r = await runCli("vuln", "--lock", lockFile, "--env", "prod");
      expect(r.code).toBe(1);
      const lines = r.stdout.split("\n");
      expect(lines[0]).toBe("✗ prod 1.26.0 (default) on linux: 41 report(s); move to 1.26.7");
      expect(lines).toContain("    GO-2026-4984 (CVE-2026-42501) cmd/go: Malicious module proxy can bypass checksum database in cmd/go (fixed in 1.25.10, 1.26.3)");
      expect(lines.filter((l) => l.startsWith("    GO-"))).toHaveLength(41);
      expect(lines[lines.length - 2]).toBe("locked Go versions are affected by known vulnerabilities");
    });

    test("SARIF: one error result per report, rules named by report id", async () => {
      const r = await runCli("vuln", "--lock", lockFile, "--env", "prod", "--format", "sarif");
      const doc = JSON.parse(r.stdout);
      expect(doc.version).toBe("2.1.0");
      expect(doc.runs[0].results).toHaveLength(41);
      expect(doc.runs[0].tool.driver.rules).toHaveLength(41);
      const res = doc.runs[0].results.find((x: any) => x.ruleId === "GO-2026-4984");
      expect(doc.runs[0].tool.driver.rules[res.ruleIndex].id).toBe("GO-2026-4984");
      expect(res.level).toBe("error");
      expect(res.message.text).toBe("prod locks Go 1.26.0, affected by GO-2026-4984 (CVE-2026-42501): Malicious module proxy can bypass checksum database in cmd/go (fixed in 1.25.10, 1.26.3); move to 1.26.7");
    });

    test("markdown: summary table and one row per report", async () => {
      const r = await runCli("vuln", "--lock", lockFile, "--env", "prod", "--format", "markdown");
      const lines = r.stdout.split("\n");
      expect(lines.slice(0, 5)).toEqual(["## GoGuard: Go vulnerabilities ❌ locked versions affected", "", "| environment | version | reports | move to |", "|---|---|---:|---|", "| prod | 1.26.0 (default) | 41 | 1.26.7 |"]);
      expect(lines).toContain("| [GO-2026-4984](https://pkg.go.dev/vuln/GO-2026-4984) | CVE-2026-42501 | cmd/go | Malicious module proxy can bypass checksum database in cmd/go | 1.25.10, 1.26.3 |");
    });
  });

  test("GOOS-only reports follow the locked platforms: on a linux lock, 1.24.0 has the linux-only GO-2026-4864, not the windows-only GO-2025-3750", async () => {
    // The lock holds Linux platforms only, so the windows report is the one that must stay out.
    const dir = tempDir("vuln-goos");
    const db = path.join(dir, "db.json");
    fs.writeFileSync(db, JSON.stringify(bundledVulns().filter((r) => r.id === "GO-2025-3750" || r.id === "GO-2026-4864"), null, 1) + "\n");
    const r = await runCli("vuln", "--lock", lockRunning("1.24.0", dir), "--db", db, "--env", "prod", "--format", "json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).environments[0].versions[0].findings.map((f: any) => f.id)).toEqual(["GO-2026-4864"]);
  });

  test.each([
    [["vuln", "--env", "qa"], 2, 'goguard: --env: unknown environment "qa"; use one of dev, staging, prod or all\n'],
    [["vuln", "--format", "html"], 2, 'goguard: --format: unknown format "html"; use one of text, json, markdown, sarif\n'],
  ])("%j is a usage error", async (argv, code, stderr) => {
    const r = await runCli(...argv);
    expect([r.code, r.stderr]).toEqual([code, stderr]);
  });
});

describe("goguard vulndb update", () => {
  const MODIFIED = "2026-08-20T12:00:00Z";
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = tempDir("vulndb");
    db = path.join(dir, "go-vulns.json");
    fs.copyFileSync(BUNDLED_VULNDB_PATH, db);
  });

  // A record published after the snapshot: GO-2026-4984's shape under a new id.
  function newRecord(): Record<string, any> {
    const o = bundledAsOsv(MODIFIED).find((x) => x.id === "GO-2026-4984")!;
    return { ...o, id: "GO-2026-9001", aliases: ["CVE-2026-99001"], modified: "2026-09-02T08:00:00Z", published: "2026-09-02T08:00:00Z" };
  }

  // A record of another module, listed in the index: never fetched when modules.json names the toolchain's.
  const OTHER = { id: "GO-2026-9002", modified: "2026-09-01T00:00:00Z" };

  describe("from an HTTP server on 127.0.0.1", () => {
    let server: TestServer;
    let layout: VulnDbLayout;
    let mangle: (rel: string, text: string, res: http.ServerResponse) => boolean = () => false;
    beforeAll(async () => {
      server = await startServer((req, res) => {
        const rel = (req.url ?? "").replace(/^\//, "");
        const text = layout.files.get(rel);
        if (text === undefined) {
          res.writeHead(404);
          res.end();
          return;
        }
        if (mangle(rel, text, res)) return;
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.end(text);
      });
    });
    afterAll(() => server.close());
    beforeEach(() => {
      mangle = () => false;
    });

    test("adds a new record, reads only the toolchain's records, and a second run changes nothing", async () => {
      layout = layoutOf([...bundledAsOsv(MODIFIED), newRecord()], { extraIndex: [OTHER] });
      const r = await runCli("vulndb", "update", "--source", server.url, "--db", db);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("wrote 121 reports (122 records listed, 121 read; 1 new, 0 updated)\nnew: GO-2026-9001\n");
      expect(r.code).toBe(0);
      expect(server.requests.some((q) => q.url === "/ID/GO-2026-9002.json")).toBe(false);
      const after = parseVulnDb(JSON.parse(fs.readFileSync(db, "utf8")));
      expect(after.find((x) => x.id === "GO-2026-9001")).toMatchObject({ modules: ["cmd"], packages: ["cmd/go"], modified: "2026-09-02T08:00:00Z", aliases: ["CVE-2026-99001"] });
      // The snapshot's own records were unchanged (not re-dated): kept byte for byte.
      expect(after.filter((x) => x.id !== "GO-2026-9001")).toEqual(bundledVulns());
      const lock = lockRunning("1.26.0", dir);
      const v = await runCli("vuln", "--lock", lock, "--db", db, "--env", "prod", "--format", "json");
      expect(JSON.parse(v.stdout).environments[0].versions[0].findings).toHaveLength(42);

      const before = fs.readFileSync(db);
      server.requests.length = 0;
      const again = await runCli("vulndb", "update", "--source", server.url, "--db", db);
      expect(again.stdout).toBe("vulnerability database is up to date (121 reports; 122 records listed, 120 read; 0 new, 0 updated)\n");
      expect(fs.readFileSync(db).equals(before)).toBe(true);
      expect(server.requests.some((q) => q.url === "/ID/GO-2026-9001.json")).toBe(false);
    });

    test("a re-dated record replaces the known one", async () => {
      const recs = bundledAsOsv(MODIFIED);
      const i = recs.findIndex((x) => x.id === "GO-2026-4984");
      recs[i] = { ...recs[i], modified: "2026-09-03T00:00:00Z", affected: [{ ...recs[i].affected[0], ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.25.10" }, { introduced: "1.26.0-0" }, { fixed: "1.26.4" }] }] }] };
      layout = layoutOf(recs);
      const r = await runCli("vulndb", "update", "--source", server.url, "--db", db);
      expect(r.stdout).toBe("wrote 120 reports (120 records listed, 120 read; 0 new, 1 updated)\nupdated: GO-2026-4984\n");
      const after = parseVulnDb(JSON.parse(fs.readFileSync(db, "utf8")));
      expect(after.find((x) => x.id === "GO-2026-4984")!.ranges).toEqual([{ introduced: "0", fixed: "1.25.10" }, { introduced: "1.26.0-0", fixed: "1.26.4" }]);
    });

    test("a record whose affected versions changed without a newer modified is refused; the file stays byte-identical", async () => {
      const recs = bundledAsOsv(MODIFIED);
      const i = recs.findIndex((x) => x.id === "GO-2026-4984");
      // Tampered: the fix moved back so that 1.26.0 looks clean, not re-dated.
      recs[i] = { ...recs[i], affected: [{ ...recs[i].affected[0], ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.25.10" }] }] }] };
      layout = layoutOf(recs);
      const before = fs.readFileSync(db);
      const r = await runCli("vulndb", "update", "--source", server.url, "--db", db);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        "goguard: refusing the update: the source changes which versions 1 known report(s) affect without a newer `modified`. " +
          "A record is re-dated whenever it changes, so this is tampering or a broken mirror; nothing was written.\n" +
          "  GO-2026-4984: known record modified 2026-08-21T00:00:00Z, source's 2026-08-20T12:00:00Z\n",
      );
      expect(fs.readFileSync(db).equals(before)).toBe(true);
    });

    test.each([
      [
        "a record cut short (body shorter than its content-length)",
        (rel: string, text: string, res: http.ServerResponse) => {
          if (rel !== "ID/GO-2026-9001.json") return false;
          res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
          res.end(text.slice(0, 100));
          res.socket?.destroy();
          return true;
        },
        (url: string) => new RegExp(`^goguard: could not read ${url.replace(/[.]/g, "\\.")}/ID/GO-2026-9001\\.json: .* \\(truncated\\?\\); nothing was written\\n$`),
      ],
      [
        "a record served as truncated JSON",
        (rel: string, text: string, res: http.ServerResponse) => {
          if (rel !== "ID/GO-2026-9001.json") return false;
          res.writeHead(200, { "content-type": "application/json" });
          res.end(text.slice(0, 100));
          return true;
        },
        (url: string) => new RegExp(`^goguard: ${url.replace(/[.]/g, "\\.")}/ID/GO-2026-9001\\.json is not JSON \\(.*; truncated\\?\\); nothing was written\\n$`),
      ],
      [
        "an index whose record is missing",
        (rel: string, _text: string, res: http.ServerResponse) => {
          if (rel !== "ID/GO-2026-9001.json") return false;
          res.writeHead(404);
          res.end();
          return true;
        },
        (url: string) => new RegExp(`^goguard: ${url.replace(/[.]/g, "\\.")}/ID/GO-2026-9001\\.json does not exist: the source is not a Go vulnerability database`),
      ],
    ])("%s is refused naming the URL; nothing written", async (_n, m, want) => {
      layout = layoutOf([...bundledAsOsv(MODIFIED), newRecord()]);
      mangle = m;
      const before = fs.readFileSync(db);
      const r = await runCli("vulndb", "update", "--source", server.url, "--db", db);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(want(server.url));
      expect(fs.readFileSync(db).equals(before)).toBe(true);
    });

    test("a record whose modified disagrees with the index is refused", async () => {
      const rec = newRecord();
      layout = layoutOf([...bundledAsOsv(MODIFIED), rec]);
      layout.files.set("ID/GO-2026-9001.json", JSON.stringify({ ...rec, modified: "2026-09-05T00:00:00Z" }));
      const before = fs.readFileSync(db);
      const r = await runCli("vulndb", "update", "--source", server.url, "--db", db);
      expect(r.stderr).toBe(
        `goguard: the source ${server.url} is not a valid Go vulnerability database; nothing was written.\n${server.url}/ID/GO-2026-9001.json: modified 2026-09-05T00:00:00Z differs from index/vulns.json's 2026-09-02T08:00:00Z (an inconsistent or partly updated mirror)\n`,
      );
      expect(fs.readFileSync(db).equals(before)).toBe(true);
    });

    test("a file over --max-bytes is refused naming the URL and the limit", async () => {
      layout = layoutOf([...bundledAsOsv(MODIFIED), newRecord()]);
      const size = Buffer.byteLength(layout.files.get("index/vulns.json")!);
      const r = await runCli("vulndb", "update", "--source", server.url, "--db", db, "--max-bytes", "1000");
      expect(r.stderr).toBe(`goguard: ${server.url}/index/vulns.json is ${size} bytes, over the limit of 1000 (--max-bytes); nothing was written\n`);
      expect(r.code).toBe(1);
    });

    test("a server that never answers is cut off by --timeout, naming the URL", async () => {
      layout = layoutOf([newRecord()]);
      mangle = () => true; // never answers
      const started = Date.now();
      const r = await runCli("vulndb", "update", "--source", server.url, "--db", db, "--timeout", "300");
      expect(Date.now() - started).toBeLessThan(5000);
      expect(r.stderr).toBe(`goguard: could not read ${server.url}/index/vulns.json: timed out (--timeout); nothing was written\n`);
      expect(r.code).toBe(1);
    });
  });

  test("from a directory of the same layout, without index/modules.json (every record read, non-toolchain ones dropped)", async () => {
    const src = tempDir("vulndb-src");
    const other = { ...newRecord(), id: "GO-2026-9002", affected: [{ package: { name: "golang.org/x/net", ecosystem: "Go" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "0.50.0" }] }] }] };
    writeLayout(src, layoutOf([newRecord(), other], { modules: false }));
    const r = await runCli("vulndb", "update", "--source", src, "--db", db);
    expect(r.stdout).toBe("wrote 121 reports (2 records listed, 2 read; 1 new, 0 updated)\nnew: GO-2026-9001\n");
    expect(r.code).toBe(0);
  });

  test.each<[string, (dir: string) => string, (src: string) => string]>([
    ["a missing path", (d) => path.join(d, "nope"), (src) => `goguard: --source ${src} does not exist; give a directory holding a copy of the Go vulnerability database (index/vulns.json, ID/<id>.json) or an https:// URL\n`],
    ["a file", (d) => { const f = path.join(d, "vulns.json"); fs.writeFileSync(f, "{}"); return f; }, (src) => `goguard: --source ${src} is a file; give a directory holding a copy of the Go vulnerability database (index/vulns.json, ID/<id>.json) or an https:// URL\n`],
  ])("--source as %s is a usage error naming the path, before any read", async (_what, make, stderr) => {
    const src = make(tempDir("vulndb-src"));
    const before = fs.readFileSync(db);
    expect(await runCli("vulndb", "update", "--source", src, "--db", db)).toEqual({ code: 2, stdout: "", stderr: stderr(src) });
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });

  test("an unreachable source names the network's cause (not undici's bare \"fetch failed\") and the offline fix", async () => {
    // A port just released on 127.0.0.1: nothing listens, so the connection is refused at once (no outside network).
    const probe = await startServer((_req, res) => res.end());
    const url = probe.url.replace(/\/+$/, "");
    await probe.close();
    const port = new URL(url).port;
    const r = await runCli("vulndb", "update", "--source", url, "--db", db);
    expect(r).toEqual({ code: 1, stdout: "", stderr: `goguard: could not reach ${url}/index/vulns.json: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:${port}; check the URL and the network, or update from a copy of the database with --source DIR; nothing was written\n` });
  });

  test("a directory that is not a database is refused", async () => {
    const src = tempDir("vulndb-empty");
    const r = await runCli("vulndb", "update", "--source", src, "--db", db);
    expect(r.stderr).toBe(`goguard: ${path.join(src, "index/vulns.json")} does not exist: the source is not a Go vulnerability database (vuln.go.dev layout: index/vulns.json, ID/<id>.json); nothing was written\n`);
    expect(r.code).toBe(1);
  });
});
