import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { serializeIndex } from "../../components/toolchain/catalog";
import { bundledCatalog } from "../../components/toolchain/bundled";
import { indexWithout, realRelease, tempDir } from "../helpers/catalog-fixtures";
import { runCli } from "../helpers/cli";
import { startServer, TestServer } from "../helpers/http";

const SHIPPED_LOCK = path.join(__dirname, "../../stacks/toolchain.lock.json");
const catalog = bundledCatalog();

describe("goguard catalog show", () => {
  test("prints the real sha256 of an archive as JSON", async () => {
    const r = await runCli("catalog", "show", "1.25.14", "--platform", "linux/arm64", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      version: "1.25.14",
      platform: "linux/arm64",
      filename: "go1.25.14.linux-arm64.tar.gz",
      url: "https://dl.google.com/go/go1.25.14.linux-arm64.tar.gz",
      sha256: "9bf234ea70ffec9347fdf6b22ce4add51717d3386a38a441e8c8743fceb5eaee",
      stable: true,
    });
  });

  test.each([
    ["1.26", 'goguard: "1.26" is a minor series, not a release: pin a patch such as 1.26.7\n'],
    ["1.26.99", 'goguard: "1.26.99" is not a Go release; the newest 1.26 release is 1.26.7\n'],
    ["go1.26.7", 'goguard: "go1.26.7": write the version without the "go" prefix ("1.26.7")\n'],
    ["latest", 'goguard: "latest" is not a version: pin an exact patch release such as 1.27.0\n'],
    [">=1.26", 'goguard: ">=1.26" is a range, not a version: pin exactly one patch release such as 1.27.0\n'],
    ["1", 'goguard: "1" is a major version, not a release: pin a patch such as 1.27.0\n'],
  ])("%s exits 1 with its reason", async (v, err) => {
    expect(await runCli("catalog", "show", v)).toEqual({ code: 1, stdout: "", stderr: err });
  });

  test("unknown platform exits 1 and lists the platforms that exist", async () => {
    const r = await runCli("catalog", "show", "1.26.7", "--platform", "linux/sparc");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('goguard: "linux/sparc" has no Go 1.26.7 archive; platforms with one include: linux/386, linux/amd64, linux/arm64, linux/armv6l, linux/loong64, linux/mips, linux/mips64, linux/mips64le, linux/mipsle, linux/ppc64, linux/ppc64le, linux/riscv64, linux/s390x\n');
  });

  test("a missing argument is a usage error (exit 2)", async () => {
    expect((await runCli("catalog", "show")).code).toBe(2);
  });
});

describe("goguard catalog update", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir("catalog");
    file = path.join(dir, "catalog.json");
    fs.writeFileSync(file, serializeIndex(indexWithout("1.27.0", "1.26.7")));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("from a file: adds the releases it did not know and reports them", async () => {
    const source = path.join(dir, "index.json");
    fs.writeFileSync(source, JSON.stringify([realRelease("1.27.0"), realRelease("1.26.7"), realRelease("1.26.6")]));
    const r = await runCli("catalog", "update", "--source", source, "--catalog", file);
    expect(r).toEqual({ code: 0, stdout: "added 4 file(s) in 2 new release(s)\nnew releases: go1.26.7, go1.27.0\n", stderr: "" });
    const shown = await runCli("catalog", "show", "1.27.0", "--platform", "linux/amd64", "--json", "--catalog", file);
    expect(JSON.parse(shown.stdout).sha256).toBe(catalog.archive("1.27.0", "linux/amd64")!.sha256);
    expect(fs.readdirSync(dir).sort()).toEqual(["catalog.json", "index.json"]);
  });

  test("a --source file that is not JSON: one line, saying what to give (no git restore hint: it is the user's file)", async () => {
    const source = path.join(dir, "index.json");
    fs.writeFileSync(source, "not\njson");
    const before = fs.readFileSync(file);
    expect(await runCli("catalog", "update", "--source", source, "--catalog", file)).toEqual({
      code: 2,
      stdout: "",
      stderr: `goguard: --source ${source} is not JSON (Unexpected token 'o', "not json" is not valid JSON); give a saved copy of the Go download index (https://go.dev/dl/?mode=json&include=all)\n`,
    });
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  test("a source that alters one known checksum exits 1 and leaves the catalog byte-for-byte unchanged", async () => {
    const before = fs.readFileSync(file);
    const r66 = realRelease("1.26.6");
    const known = r66.files[0].sha256;
    const altered = (known[0] === "f" ? "e" : "f") + known.slice(1);
    const source = path.join(dir, "index.json");
    fs.writeFileSync(source, JSON.stringify([realRelease("1.27.0"), { ...r66, files: [{ ...r66.files[0], sha256: altered }, r66.files[1]] }]));
    const r = await runCli("catalog", "update", "--source", source, "--catalog", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "goguard: refusing the update: the source changes the checksum of 1 archive(s) the catalog already knows. A published archive never changes, so this is tampering or corruption; nothing was written.\n" +
        `  ${r66.files[0].filename}: catalog has sha256 ${known}, source says ${altered}\n`,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(["catalog.json", "index.json"]);
  });

  // An entry the reader cannot vouch for is skipped and named (issue 12: only an integrity problem
  // fails the whole update); here it was the only entry, so nothing is written.
  test("an inconsistent entry is skipped with its reason and nothing is written", async () => {
    const before = fs.readFileSync(file);
    const source = path.join(dir, "index.json");
    const bad = realRelease("1.27.0");
    fs.writeFileSync(source, JSON.stringify([{ ...bad, files: [{ ...bad.files[0], filename: "go1.27.0.linux-arm64.tar.gz" }] }]));
    const r = await runCli("catalog", "update", "--source", source, "--catalog", file);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`skipped 1 entry of ${source} (not added):\n  go1.27.0: file "go1.27.0.linux-arm64.tar.gz" does not match its version, os and arch (expected "go1.27.0.linux-amd64.tar.gz" or "go1.27.0.linux-amd64.zip")\n`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  describe("from an HTTP server on 127.0.0.1", () => {
    let server: TestServer;
    let body = "";
    let status = 200;
    beforeAll(async () => {
      server = await startServer((_req, res) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(body);
      });
    });
    afterAll(() => server.close());

    test("reads the index over HTTP and adds what is new", async () => {
      body = JSON.stringify([realRelease("1.27.0")]);
      status = 200;
      const r = await runCli("catalog", "update", "--source", `${server.url}/dl/?mode=json&include=all`, "--catalog", file);
      expect(r).toEqual({ code: 0, stdout: "added 2 file(s) in 1 new release(s)\nnew releases: go1.27.0\n", stderr: "" });
      expect(server.requests.at(-1)?.url).toBe("/dl/?mode=json&include=all");
      const again = await runCli("catalog", "update", "--source", `${server.url}/dl/`, "--catalog", file);
      expect(again.stdout).toBe("catalog is up to date (96 releases; the source had nothing new)\n");
    });

    test("an HTTP error is reported and nothing is written", async () => {
      const before = fs.readFileSync(file);
      status = 503;
      body = "down";
      const r = await runCli("catalog", "update", "--source", `${server.url}/dl/`, "--catalog", file);
      expect(r).toEqual({ code: 1, stdout: "", stderr: `goguard: ${server.url}/dl/ answered 503 Service Unavailable; check the URL (the default is https://go.dev/dl/?mode=json&include=all)\n` });
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    });
  });
});

describe("goguard lock", () => {
  let dir: string;
  let lockFile: string;
  beforeEach(() => {
    dir = tempDir("lock");
    lockFile = path.join(dir, "toolchain.lock.json");
    fs.copyFileSync(SHIPPED_LOCK, lockFile);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("allow --platform with a platform that has no archive says so first (not the same-platforms rule), leaving the lock unchanged", async () => {
    const before = fs.readFileSync(lockFile);
    expect(await runCli("lock", "allow", "dev", "1.26.7", "--platform", "linux/sparc", "--lock", lockFile)).toEqual({
      code: 1,
      stdout: "",
      stderr: 'goguard: platform "linux/sparc" has no Go 1.26.7 archive; platforms with one include: linux/386, linux/amd64, linux/arm64, linux/armv6l, linux/loong64, linux/mips, linux/mips64, linux/mips64le, linux/mipsle, linux/ppc64, linux/ppc64le, linux/riscv64, linux/s390x\n',
    });
    expect(fs.readFileSync(lockFile).equals(before)).toBe(true);
  });

  test("platforms re-locks every allowed version of an environment (the command the allow error points to)", async () => {
    const refused = await runCli("lock", "allow", "dev", "1.26.6", "--platform", "linux/amd64", "--lock", lockFile);
    expect(refused.stderr).toContain("change them for all versions at once with `goguard lock platforms dev …`");
    expect(await runCli("lock", "platforms", "dev", "linux/amd64", "--lock", lockFile)).toEqual({ code: 0, stdout: "dev now locks 1.26.7, 1.27.0 for linux/amd64\n", stderr: "" });
    const dev = JSON.parse(fs.readFileSync(lockFile, "utf8")).environments.dev;
    expect([dev.default, dev.platforms, Object.entries(dev.versions).map(([v, a]) => [v, Object.keys(a as object)])]).toEqual(["1.26.7", ["linux/amd64"], [["1.26.7", ["linux/amd64"]], ["1.27.0", ["linux/amd64"]]]]);
    expect((await runCli("lock", "verify", "--lock", lockFile)).code).toBe(0);
    expect((await runCli("lock", "platforms", "prod", "linux/amd64", "--lock", lockFile)).stderr).toBe(
      "goguard: prod takes its toolchain only by promotion: change staging's platforms with `goguard lock platforms staging …`, then `goguard lock promote staging prod`\n",
    );
  });

  test("verify passes on the shipped lock", async () => {
    const r = await runCli("lock", "verify");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("lock verified: 8 archive checksum(s) equal the catalog's\nimages without a digest (resolve with `goguard lock resolve-images`): docker.io/gomods/athens:v0.18.1\n");
  });

  test("verify fails, naming the entry, when one character of a locked sha256 changes", async () => {
    const text = fs.readFileSync(lockFile, "utf8");
    const real = catalog.archive("1.26.7", "linux/arm64")!.sha256;
    const changed = real.slice(0, 10) + (real[10] === "0" ? "1" : "0") + real.slice(11);
    fs.writeFileSync(lockFile, text.split(real).join(changed));
    const r = await runCli("lock", "verify", "--lock", lockFile);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "goguard: the lock disagrees with the catalog in 3 place(s):\n" +
        ["dev", "staging", "prod"].map((e) => `  ${e} 1.26.7 linux/arm64: go1.26.7.linux-arm64.tar.gz: locked sha256 ${changed} differs from the catalog's ${real}`).join("\n") +
        "\n",
    );
  });

  test("allow, promote to staging, promote to prod", async () => {
    expect((await runCli("lock", "allow", "dev", "1.27.0", "--lock", lockFile)).stdout).toContain("dev now allows 1.26.7, 1.27.0 (default 1.26.7)");
    expect(await runCli("lock", "promote", "staging", "prod", "--version", "1.27.0", "--lock", lockFile)).toEqual({
      code: 1,
      stdout: "",
      stderr: "goguard: staging does not allow 1.27.0 (it allows 1.26.7); allow it there first\n",
    });
    expect(await runCli("lock", "promote", "dev", "staging", "--version", "1.27.0", "--lock", lockFile)).toEqual({
      code: 2,
      stdout: "",
      stderr: 'goguard: lock promote changes staging: give the reason with --reason "<why>" (recorded in the lock history with your name and the time)\n',
    });
    expect((await runCli("lock", "promote", "dev", "staging", "--version", "1.27.0", "--reason", "candidate for the next release", "--lock", lockFile)).stdout).toBe("staging now runs 1.27.0 (allows 1.26.7, 1.27.0)\n");
    expect((await runCli("lock", "promote", "staging", "prod", "--reason", "release 1.27.0 after a week in staging", "--lock", lockFile)).stdout).toBe("prod now runs 1.27.0 (allows 1.27.0)\n");
    // dev already allowed 1.27.0: an allow that changes nothing writes no history line.
    const history = fs.readFileSync(path.join(dir, "toolchain.history.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(history.map((e) => [e.environment, e.command, e.before.default, e.after.default, e.reason])).toEqual([
      ["staging", "lock promote dev staging --version 1.27.0", "1.26.7", "1.27.0", "candidate for the next release"],
      ["prod", "lock promote staging prod --version 1.27.0", "1.26.7", "1.27.0", "release 1.27.0 after a week in staging"],
    ]);
    expect((await runCli("lock", "verify", "--lock", lockFile)).code).toBe(0);
  });

  test("an unknown environment is a usage error", async () => {
    expect(await runCli("lock", "allow", "qa", "1.26.7", "--lock", lockFile)).toEqual({ code: 2, stdout: "", stderr: 'goguard: environment: unknown environment "qa"; use one of dev, staging, prod\n' });
  });

  describe("resolve-images against a registry on 127.0.0.1 that uses the bearer-token flow", () => {
    let server: TestServer;
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [] }));
    const digest = `sha256:${crypto.createHash("sha256").update(manifest).digest("hex")}`;
    beforeAll(async () => {
      server = await startServer((req, res, base) => {
        const u = new URL(req.url ?? "/", base);
        if (u.pathname === "/token") {
          const ok = u.searchParams.get("scope") === "repository:library/debian:pull" && u.searchParams.get("service") === "test-registry";
          res.writeHead(ok ? 200 : 400, { "content-type": "application/json" });
          res.end(JSON.stringify(ok ? { token: "t0k" } : { error: "bad scope" }));
          return;
        }
        if (req.headers.authorization !== "Bearer t0k") {
          res.writeHead(401, { "www-authenticate": `Bearer realm="${base}/token",service="test-registry",scope="repository:library/debian:pull"` });
          res.end();
          return;
        }
        if (u.pathname === "/v2/library/debian/manifests/bookworm-slim") {
          res.writeHead(200, { "content-type": "application/vnd.oci.image.index.v1+json", "docker-content-digest": digest });
          res.end(manifest);
          return;
        }
        res.writeHead(404);
        res.end();
      });
    });
    afterAll(() => server.close());

    test("records the digest the registry serves, checked against the manifest bytes", async () => {
      const host = server.url.replace("http://", "");
      const ref = `${host}/library/debian:bookworm-slim`;
      // Tests run in a random order and share the server: look only at this test's requests.
      const before = server.requests.length;
      const r = await runCli("lock", "resolve-images", "--image", ref, "--plain-http", host, "--lock", lockFile);
      expect(r).toEqual({ code: 0, stdout: `${ref} → ${digest}\n`, stderr: "" });
      const lock = JSON.parse(fs.readFileSync(lockFile, "utf8"));
      expect(lock.images[ref]).toEqual({ state: "resolved", digest, source: expect.stringMatching(new RegExp(`^registry ${host.replace(/\./g, "\\.")}, resolved by goguard lock resolve-images on \\d{4}-\\d{2}-\\d{2}$`)) });
      const mine = server.requests.slice(before);
      expect(mine.map((q) => q.url.split("?")[0])).toEqual(["/v2/library/debian/manifests/bookworm-slim", "/token", "/v2/library/debian/manifests/bookworm-slim"]);
      expect(mine[0].headers.accept).toContain("application/vnd.oci.image.index.v1+json");
    });

    test("an unknown tag fails with the registry's answer, naming the image", async () => {
      const host = server.url.replace("http://", "");
      const ref = `${host}/library/debian:nope`;
      const r = await runCli("lock", "resolve-images", "--image", ref, "--plain-http", host, "--lock", lockFile);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`goguard: could not resolve 1 image(s); nothing was recorded:\n  ${ref}: http://${host}/v2/library/debian/manifests/nope answered 404: no such image or tag\n`);
    });

    test("one image resolved and one not: the failure says the other was recorded", async () => {
      const host = server.url.replace("http://", "");
      const good = `${host}/library/debian:bookworm-slim`;
      const bad = `${host}/library/debian:nope`;
      const r = await runCli("lock", "resolve-images", "--image", good, bad, "--plain-http", host, "--lock", lockFile);
      expect(r).toEqual({
        code: 1,
        stdout: `${good} → ${digest}\n`,
        stderr: `goguard: could not resolve 1 image(s) (the other 1 was recorded):\n  ${bad}: http://${host}/v2/library/debian/manifests/nope answered 404: no such image or tag\n`,
      });
      expect(JSON.parse(fs.readFileSync(lockFile, "utf8")).images[good].digest).toBe(digest);
    });
  });
});
