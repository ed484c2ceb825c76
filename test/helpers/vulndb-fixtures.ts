// The bundled vulnerability reports turned back into vuln.go.dev's layout (OSV 1.x records,
// index/vulns.json, index/modules.json), to serve on 127.0.0.1 or write to a directory. The
// records carry the real ids, aliases, ranges and packages of the bundled data; `modified` is
// chosen by each test (the snapshot has none).
import * as fs from "fs";
import * as path from "path";
import { bundledVulns } from "../../components/toolchain/vulndb";
import { VulnReport } from "../../components/toolchain/vulns";

const OSV_NAME: Record<string, string> = { std: "stdlib", cmd: "toolchain" };

export function toOsv(r: VulnReport, modified: string): Record<string, unknown> {
  return {
    schema_version: "1.3.1",
    id: r.id,
    modified,
    published: `${r.published}T00:00:00Z`,
    ...(r.withdrawn ? { withdrawn: `${r.withdrawn}T00:00:00Z` } : {}),
    aliases: r.aliases,
    summary: r.summary,
    details: r.summary,
    affected: [
      ...r.affected.map((a) => ({
        package: { name: OSV_NAME[a.module], ecosystem: "Go" },
        ranges: [{ type: "SEMVER", events: a.ranges.flatMap((x) => [{ introduced: x.introduced }, ...(x.fixed !== undefined ? [{ fixed: x.fixed }] : [])]) }],
        ecosystem_specific: { imports: a.packages.map((p) => ({ path: p.package, ...(p.goos ? { goos: p.goos } : {}), ...(p.goarch ? { goarch: p.goarch } : {}) })) },
      })),
      ...r.other_modules.map((m) => ({ package: { name: m, ecosystem: "Go" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0" }] }] })),
    ],
    references: r.references.map((x) => ({ type: x.type.toUpperCase(), url: x.url })),
    database_specific: { url: r.url, review_status: "REVIEWED" },
  };
}

export interface VulnDbLayout {
  /** Relative path → file text. */
  readonly files: Map<string, string>;
}

/** The layout for a set of records: `records` maps id → OSV record (modified read from it). */
export function layoutOf(records: ReadonlyArray<Record<string, any>>, opts: { modules?: boolean; extraIndex?: Array<{ id: string; modified: string }> } = {}): VulnDbLayout {
  const files = new Map<string, string>();
  const index = [...records.map((o) => ({ id: o.id as string, modified: o.modified as string, aliases: o.aliases as string[] })), ...(opts.extraIndex ?? [])];
  files.set("index/vulns.json", JSON.stringify(index));
  files.set("index/db.json", JSON.stringify({ modified: index.map((e) => e.modified).sort().pop() }));
  if (opts.modules !== false) {
    const byModule = new Map<string, Array<{ id: string; modified: string }>>();
    for (const o of records) for (const a of o.affected as Array<{ package: { name: string } }>) byModule.set(a.package.name, [...(byModule.get(a.package.name) ?? []), { id: o.id, modified: o.modified }]);
    files.set("index/modules.json", JSON.stringify([...byModule.entries()].map(([p, vulns]) => ({ path: p, vulns }))));
  }
  for (const o of records) files.set(`ID/${o.id}.json`, JSON.stringify(o));
  return { files };
}

export function writeLayout(dir: string, layout: VulnDbLayout): void {
  for (const [rel, text] of layout.files) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

export function bundledAsOsv(modified: string): Array<Record<string, any>> {
  return bundledVulns().map((r) => toOsv(r, modified));
}
