// The engine's wire form of property values (what analyzers receive), pure.
//
// The monitor's requests already carry most of it (unknown sentinel, secret signature); what the
// engine changes before handing props to an analyzer: resource references become their id
// (custom resources) or URN (components), keys starting with "__" are dropped, and undefined never
// appears.

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

export function toAnalyzerWire(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(toAnalyzerWire);
  const obj = value as Record<string, unknown>;
  if (obj[SIG_KEY] === RESOURCE_SIG) {
    const id = obj.id;
    return typeof id === "string" && id !== "" ? id : obj.urn;
  }
  if (obj[SIG_KEY] === SECRET_SIG) return { [SIG_KEY]: SECRET_SIG, value: toAnalyzerWire(obj.value) };
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj).sort()) {
    if (k.startsWith("__") || obj[k] === undefined) continue;
    out[k] = toAnalyzerWire(obj[k]);
  }
  return out;
}

export { deepFreeze } from "../../components/toolchain/freeze";

/** Plain JSON for people (render, summaries): secrets shown as "[secret]", unknowns as "(known after apply)". */
export function toDisplay(value: unknown): unknown {
  if (value === UNKNOWN) return "(known after apply)";
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(toDisplay);
  const obj = value as Record<string, unknown>;
  if (obj[SIG_KEY] === SECRET_SIG) return "[secret]";
  if (obj[SIG_KEY] === RESOURCE_SIG) return obj.id || obj.urn;
  return Object.fromEntries(Object.entries(obj).filter(([k]) => !k.startsWith("__")).map(([k, v]) => [k, toDisplay(v)]));
}
