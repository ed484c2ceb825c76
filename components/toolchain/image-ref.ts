// Container image references (pure), normalised the way Docker does: a first path component
// without a dot or colon (and not `localhost`) is a Docker Hub name, and single names on Docker Hub
// live under `library/`.

export interface ImageRef {
  /** Registry host (`docker.io`, `gcr.io`, `127.0.0.1:5000`). */
  readonly registry: string;
  /** Repository path within the registry (`library/golang`, `distroless/static-debian12`). */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>` when pinned by digest. */
  readonly digest?: string;
  /** The text as written. */
  readonly original: string;
}

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
const NAME_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function isDigest(text: string): boolean {
  return DIGEST_RE.test(text);
}

/** Parses an image reference; undefined when it is not one (including unresolved `${VAR}` text). */
export function parseImageRef(text: string): ImageRef | undefined {
  if (text === "" || /\s|\$/.test(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+:[A-Za-z0-9=_+.-]+$/.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return undefined;
  }
  const parts = rest.split("/");
  let registry = "docker.io";
  if (parts.length > 1 && (parts[0].includes(".") || parts[0].includes(":") || parts[0] === "localhost")) {
    registry = parts.shift()!;
  }
  if (parts.length === 0 || !parts.every((p) => NAME_COMPONENT.test(p))) return undefined;
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
  if (registry === "docker.io" && parts.length === 1) parts.unshift("library");
  return { registry, repository: parts.join("/"), ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}), original: text };
}

/** The short name users recognise: `golang` for docker.io/library/golang, else the last path element. */
export function imageName(ref: ImageRef): string {
  const parts = ref.repository.split("/");
  return parts[parts.length - 1];
}
