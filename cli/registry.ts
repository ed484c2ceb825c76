// Resolving an image tag to its manifest digest through the Docker Registry HTTP API v2, with the
// bearer-token flow public registries use (Docker Hub, gcr.io, ghcr.io). Network I/O: CLI only.
import { createHash } from "crypto";
import { ImageRef } from "../components/toolchain/image-ref";
import { fetchLimited, HttpError, LimitedResponse } from "./http";

/** Registries must accept manifests up to 4 MiB (OCI distribution spec); nothing valid is larger. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TOKEN_BYTES = 1024 * 1024;

export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
].join(", ");

export interface RegistryOptions {
  /** Registries spoken to over plain http (a loopback test registry). @default [] */
  readonly plainHttp?: readonly string[];
  /** Per-request timeout. @default 15000 */
  readonly timeoutMs?: number;
  /** Registry host → base URL override (tests). */
  readonly endpoints?: Readonly<Record<string, string>>;
}

export class RegistryError extends Error {}

function baseUrl(registry: string, opts: RegistryOptions): string {
  if (opts.endpoints?.[registry]) return opts.endpoints[registry];
  const host = registry === "docker.io" ? "registry-1.docker.io" : registry;
  return `${(opts.plainHttp ?? []).includes(registry) ? "http" : "https"}://${host}`;
}

/** Parses `Bearer realm="…",service="…",scope="…"`. */
export function parseBearerChallenge(header: string): Record<string, string> | undefined {
  const m = /^Bearer\s+(.*)$/i.exec(header.trim());
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const part of m[1].matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) out[part[1]] = part[2];
  return out.realm ? out : undefined;
}

async function get(url: string, headers: Record<string, string>, timeoutMs: number, maxBytes = MAX_MANIFEST_BYTES): Promise<LimitedResponse> {
  try {
    return await fetchLimited(url, { headers, timeoutMs, maxBytes });
  } catch (err) {
    if (err instanceof HttpError) throw new RegistryError(err.message);
    throw err;
  }
}

/** The digest of the manifest (or index) a tag points to, checked against the manifest's own bytes. */
export async function resolveDigest(ref: ImageRef, opts: RegistryOptions = {}): Promise<string> {
  if (ref.tag === undefined) throw new RegistryError(`${ref.original} has no tag to resolve`);
  const timeoutMs = opts.timeoutMs ?? 15000;
  const url = `${baseUrl(ref.registry, opts)}/v2/${ref.repository}/manifests/${ref.tag}`;
  const headers: Record<string, string> = { Accept: MANIFEST_ACCEPT };
  let res = await get(url, headers, timeoutMs);
  if (res.status === 401) {
    const challenge = parseBearerChallenge(res.headers.get("www-authenticate") ?? "");
    if (!challenge) throw new RegistryError(`${url} asks for authentication this command does not support (${res.headers.get("www-authenticate") ?? "no challenge"})`);
    const q = new URLSearchParams();
    if (challenge.service) q.set("service", challenge.service);
    q.set("scope", challenge.scope ?? `repository:${ref.repository}:pull`);
    const tokenRes = await get(`${challenge.realm}?${q.toString()}`, {}, timeoutMs, MAX_TOKEN_BYTES);
    if (!tokenRes.ok) throw new RegistryError(`token request to ${challenge.realm} answered ${tokenRes.status}`);
    let body: { token?: string; access_token?: string };
    try {
      body = JSON.parse(tokenRes.body.toString("utf8"));
    } catch {
      throw new RegistryError(`token response from ${challenge.realm} is not JSON`);
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`token response from ${challenge.realm} has no token`);
    res = await get(url, { ...headers, Authorization: `Bearer ${token}` }, timeoutMs);
  }
  if (!res.ok) throw new RegistryError(`${url} answered ${res.status}${res.status === 404 ? ": no such image or tag" : ""}`);
  const bytes = res.body;
  const computed = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  const header = res.headers.get("docker-content-digest");
  if (header && header !== computed) {
    throw new RegistryError(`${url}: the registry says the manifest digest is ${header}, but its bytes hash to ${computed}`);
  }
  return computed;
}
