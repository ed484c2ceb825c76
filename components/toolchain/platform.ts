// Platforms as Go names them: `os/arch` (`linux/amd64`, `linux/armv6l`, `darwin/arm64`), pure.

export interface Platform {
  readonly os: string;
  readonly arch: string;
}

const PART = /^[a-z0-9]+$/;

export function parsePlatform(text: string): Platform | undefined {
  const parts = text.split("/");
  if (parts.length !== 2 || !PART.test(parts[0]) || !PART.test(parts[1])) return undefined;
  return { os: parts[0], arch: parts[1] };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.arch}`;
}

/**
 * The container platform (what `docker build --platform` and BuildKit's TARGETOS/TARGETARCH/
 * TARGETVARIANT use) for a Go archive platform. Go's 32-bit ARM archive is `armv6l`, which
 * containers call `arm` with variant `v6` (it also runs on v7).
 */
export function containerPlatform(p: Platform): { os: string; arch: string; variant?: string; text: string } {
  if (p.arch === "armv6l") return { os: p.os, arch: "arm", variant: "v6", text: `${p.os}/arm/v6` };
  return { os: p.os, arch: p.arch, text: `${p.os}/${p.arch}` };
}
