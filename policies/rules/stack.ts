// T7 and prod's single version (T2): one Go version across the stack.
import { goVersionsOf } from "../lib/versions";
import { stackRule } from "./common";

export const oneGoVersion = stackRule(
  {
    name: "one-go-version",
    rows: ["T7", "T2"],
    severity: "high",
    description: "Where the environment runs one Go version (prod), every Go version the stack names agrees: builder images' pinned Go, GOLANG_VERSION-style build args and env, and golang image tags.",
    remediation: "Use the lock's one version everywhere; promote a new one through staging.",
  },
  (args, config) => {
    if (config.singleVersion === false) return [];
    const seen = new Map<string, Array<{ urn: string; name: string; where: string }>>();
    for (const r of args.resources) for (const v of goVersionsOf(r.type, r.props)) seen.set(v.version, [...(seen.get(v.version) ?? []), { urn: r.urn, name: r.name, where: v.where }]);
    if (seen.size <= 1) return [];
    const list = [...seen.entries()].map(([v, uses]) => `${v} (${uses.map((u) => `${u.name} ${u.where}`).join("; ")})`).join(", ");
    const allowed = Array.isArray(config.allowedVersions) ? (config.allowedVersions as string[]) : [];
    return [...seen.entries()]
      .filter(([v]) => !allowed.includes(v) || allowed.length !== 1)
      .flatMap(([, uses]) => uses.map((u) => [u.urn, `${u.name} ${u.where}: the stack names ${seen.size} Go versions: ${list}. Fix: use ${allowed.length === 1 ? allowed[0] : "one version"} everywhere.`] as [string, string]));
  },
);
