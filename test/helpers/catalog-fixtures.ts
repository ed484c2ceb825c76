import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BUNDLED_CATALOG_PATH } from "../../components/toolchain/bundled";
import { IndexRelease } from "../../components/toolchain/catalog";

export function bundledIndex(): IndexRelease[] {
  return JSON.parse(fs.readFileSync(BUNDLED_CATALOG_PATH, "utf8"));
}

/** Directories tempDir made for the test file that loaded this helper: removed once its tests are done. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the run's temporary directory, removed after the calling test file. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `goguard-${prefix}-`));
  made.push(dir);
  return dir;
}

/** A real release of the bundled catalog, reduced to its Linux amd64/arm64 archives. */
export function realRelease(version: string): IndexRelease {
  const r = bundledIndex().find((x) => x.version === `go${version}`);
  if (!r) throw new Error(`no ${version} in the bundled catalog`);
  return { ...r, files: r.files.filter((f) => f.os === "linux" && (f.arch === "amd64" || f.arch === "arm64")) };
}

/** The bundled catalog without some releases: what a catalog looked like before they were published. */
export function indexWithout(...versions: string[]): IndexRelease[] {
  return bundledIndex().filter((r) => !versions.includes(r.version.slice(2)));
}
