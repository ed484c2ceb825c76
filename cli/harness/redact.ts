// Secrets out of everything GoGuard prints or writes (pure). The offline run knows which values are
// secret: wire-form secret markers in the captured resources and stack outputs, and secret config
// keys. Their plaintexts, and the credential parts of URLs inside them (a token in a GOPROXY URL is
// what leaks when a message quotes one list entry), are replaced by "[secret]" wherever they appear
// in a message, before any formatter sees it.
import { SECRET_SIG, SIG_KEY } from "./wire";

export const REDACTED = "[secret]";
/**
 * Secrets this long are redacted wherever they appear, even inside a longer word or URL. Shorter ones
 * (a secret map's "local" or "off") only where they stand alone, so `cluster.local` stays readable;
 * values under 3 characters are not searched for (they are still shown as [secret] where marked).
 */
export const MIN_SUBSTRING_LENGTH = 8;
export const MIN_SECRET_LENGTH = 3;

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === "string") into.push(value);
  else if (typeof value === "number" || typeof value === "boolean") into.push(String(value));
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, into);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collectStrings(v, into);
}

/** Plaintexts inside secret markers, at any depth. */
export function markedSecrets(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) markedSecrets(v, into);
  else if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) collectStrings(obj.value, into);
    else for (const v of Object.values(obj)) markedSecrets(v, into);
  }
  return into;
}

/** The strings to hide for one secret: itself, and the userinfo of every URL it contains. */
export function secretVariants(secret: string): string[] {
  const out = [secret];
  for (const m of secret.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^/@\s,|]+)@/gi)) {
    const userinfo = m[1];
    out.push(userinfo);
    const colon = userinfo.indexOf(":");
    if (colon >= 0) out.push(userinfo.slice(colon + 1));
    for (const part of [...out.slice(-2)]) {
      try {
        const decoded = decodeURIComponent(part);
        if (decoded !== part) out.push(decoded);
      } catch {
        /* not percent-encoded */
      }
    }
  }
  return out;
}

/** A redactor for a set of secrets: longest first, so a URL goes before the token inside it. */
export function makeRedactor(secrets: Iterable<string>): (text: string) => string {
  const all = [...new Set([...secrets].flatMap(secretVariants))].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (all.length === 0) return (t) => t;
  const pattern = (s: string): string => {
    const esc = s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return s.length >= MIN_SUBSTRING_LENGTH ? esc : `(?<![A-Za-z0-9._-])${esc}(?![A-Za-z0-9._-])`;
  };
  const re = new RegExp(all.map(pattern).join("|"), "g");
  // JSON-escaped forms too: a message may quote a value through JSON.stringify.
  const jsonForms = all.map((s) => JSON.stringify(s).slice(1, -1)).filter((s, i) => s !== all[i]);
  const reJson = jsonForms.length > 0 ? new RegExp(jsonForms.map(pattern).join("|"), "g") : undefined;
  return (text) => {
    const once = text.replace(re, REDACTED);
    return reJson ? once.replace(reJson, REDACTED) : once;
  };
}

/** Every string in a JSON-like value passed through `redact` (keys too: a map may be keyed by a secret). */
export function redactDeep<T>(value: T, redact: (t: string) => string): T {
  if (typeof value === "string") return redact(value) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact)) as unknown as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [redact(k), redactDeep(v, redact)])) as T;
  }
  return value;
}
