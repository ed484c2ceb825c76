// T7 and T2 across the stack: every Go version the stack names is compared with the lock. In prod
// (singleVersion) only the locked version passes, whether the stack names one version or several:
// a golang image pinned by digest still runs the version in its tag, so the digest does not make
// an unlocked version acceptable.
import { bundledCatalog } from "../../components/toolchain/bundled";
import { checkPinnedVersion } from "../../components/toolchain/pin";
import { buildDockerfiles } from "../lib/resources";
import { goVersionsOf } from "../lib/versions";
import { stackRule } from "./common";

/** Versions named by a resource: settings, image tags, and Go archive file names in Dockerfile downloads. */
function versionsOf(type: string, props: unknown): Array<{ version: string; where: string }> {
  const out = goVersionsOf(type, props);
  const seen = new Set<string>();
  for (const df of buildDockerfiles(type, props)) {
    if (df.unreadable !== undefined) continue;
    for (const a of df.facts.archiveVersions) {
      const use = { version: a.version, where: `${df.shown} line ${a.line} (${a.where})` };
      if (!seen.has(`${use.version} ${use.where}`)) out.push(use);
      seen.add(`${use.version} ${use.where}`);
    }
  }
  return out;
}

export const oneGoVersion = stackRule(
  {
    name: "one-go-version",
    rows: ["T7", "T2"],
    severity: "high",
    description: "Every Go version the stack names (builder images' pinned Go, GOLANG_VERSION-style build args and Dockerfile ARG/ENV, golang image tags with or without a digest, Go archive file names in Dockerfile downloads) is one the lock allows; where the environment runs one Go version (prod), they all agree.",
    remediation: "Use the lock's version everywhere; promote a new one through staging.",
  },
  (args, config) => {
    const allowed = Array.isArray(config.allowedVersions) ? (config.allowedVersions as string[]) : [];
    const single = config.singleVersion !== false;
    const seen = new Map<string, Array<{ urn: string; name: string; where: string }>>();
    for (const r of args.resources) for (const v of versionsOf(r.type, r.props)) seen.set(v.version, [...(seen.get(v.version) ?? []), { urn: r.urn, name: r.name, where: v.where }]);
    const several = single && seen.size > 1;
    const list = [...seen.keys()].join(", ");
    const fix = allowed.length > 0 ? `use ${allowed.join(" or ")} everywhere` : "use one version everywhere";
    const out: Array<[string, string]> = [];
    for (const [v, uses] of seen) {
      const pin = checkPinnedVersion(v, bundledCatalog(), { allowPrerelease: config.allowPrereleases === true });
      const unlocked = allowed.length > 0 && !allowed.includes(v);
      if (!unlocked && !(several && (allowed.length !== 1 || !allowed.includes(v)))) continue;
      const why = !pin.ok ? pin.reason : unlocked ? `Go ${v} is a release, but the lock allows only ${allowed.join(", ")}` : "";
      for (const u of uses) {
        const parts = [why, several ? `the stack names ${seen.size} Go versions (${list})` : ""].filter((p) => p !== "");
        out.push([u.urn, `${u.name} ${u.where}: ${parts.join("; ")}. Fix: ${fix}.`]);
      }
    }
    return out;
  },
);
