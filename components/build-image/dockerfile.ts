// Dockerfile renderers (pure, deterministic: same inputs, same bytes).
//
// The builder image: stage `toolchain` fetches the locked Go archive for the target platform and
// checks its sha256 against the lock before anything else touches it; stage `builder` (the image an
// environment publishes) gets only the verified tree, the environment's Go settings, a numeric
// non-root user, and a step that fails the build unless `go version` and `go env` say exactly what
// the lock and the baseline say.
//
// The service template: a team's Go service built FROM the builder by digest, modules downloaded and
// verified first (cached), the binary checked with `go version -m`, and a runtime stage holding
// only the binary and CA certificates.

import { containerPlatform, parsePlatform } from "../toolchain/platform";
import { compareGoVersions, parseGoVersion } from "../toolchain/version";

/** Go's fingerprints for the detached `.asc` signatures of its archives. */
export const GO_SIGNING_KEY = "EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796";
export const GO_SIGNING_SUBKEY = "2F528D36D67B69EDF998D85778BD65473CB3BD13";

export interface LockedArchiveSpec {
  /** Go's platform name: `linux/amd64`, `linux/armv6l`. */
  readonly platform: string;
  readonly filename: string;
  readonly sha256: string;
}

export interface BuilderDockerfileSpec {
  readonly goVersion: string;
  /** The environment's locked archives (one per platform). */
  readonly archives: readonly LockedArchiveSpec[];
  /** Base URL the archives are downloaded from (ends with "/"). */
  readonly mirror: string;
  /** Verify the detached .asc signature against Go's key, fetched by full fingerprint. */
  readonly verifySignature: boolean;
  /** Pinned `name[:tag]@sha256:…` of the stage that downloads and checks the archive. */
  readonly toolchainBase: string;
  /** Pinned base of the published builder stage (needs /bin/sh; glibc for Linux archives). */
  readonly builderBase: string;
  /** The environment's Go settings baseline (ENV of the builder, asserted with `go env`). */
  readonly goEnv: Readonly<Record<string, string>>;
  readonly uid: number;
  readonly labels: { readonly source?: string; readonly revision?: string; readonly version?: string };
}

function q(s: string): string {
  // Double-quoted for Dockerfile ENV/LABEL and sh alike; values are validated never to hold quotes or newlines.
  return `"${s.replace(/(["\\$`])/g, "\\$1")}"`;
}

/** The `go version` platform Go prints for an archive platform (`linux/armv6l` → `linux/arm`). */
export function goPlatform(platform: string): string {
  const p = parsePlatform(platform)!;
  return `${p.os}/${p.arch === "armv6l" ? "arm" : p.arch}`;
}

/** A RUN instruction from shell statements: `;` after each, except after `… in` and `;;` case lines. */
function shellRun(lines: readonly string[]): string {
  const parts = lines.map((l, i) => (i === lines.length - 1 || / in$/.test(l) || /;;$/.test(l) ? l : `${l};`));
  return `RUN set -eu; \\\n    ${parts.join(" \\\n    ")}`;
}

export function renderBuilderDockerfile(spec: BuilderDockerfileSpec): string {
  const archives = [...spec.archives].sort((a, b) => (a.platform < b.platform ? -1 : 1));
  const envKeys = Object.keys(spec.goEnv).sort();
  const L: string[] = [];
  L.push("# syntax=docker/dockerfile:1");
  L.push(`# GoGuard builder image for Go ${spec.goVersion}. Rendered from the toolchain lock; do not edit.`);
  L.push("");
  L.push(`FROM ${spec.toolchainBase} AS toolchain`);
  L.push("ARG TARGETOS");
  L.push("ARG TARGETARCH");
  L.push("ARG TARGETVARIANT");
  L.push(`ARG GO_MIRROR=${spec.mirror}`);
  L.push(`ARG GO_ARCHIVE=go${spec.goVersion}.\${TARGETOS}-\${TARGETARCH}.tar.gz`);
  L.push("# The builder fetches the archive (no downloader is needed in the base); the next step checks it");
  L.push("# against the checksum locked for the target platform before anything else reads it.");
  L.push("ADD ${GO_MIRROR}${GO_ARCHIVE} /tmp/go.tgz");
  if (spec.verifySignature) L.push("ADD ${GO_MIRROR}${GO_ARCHIVE}.asc /tmp/go.tgz.asc");
  const run: string[] = [];
  run.push('platform="${TARGETOS}/${TARGETARCH}${TARGETVARIANT:+/${TARGETVARIANT}}"');
  run.push('case "$platform" in');
  for (const a of archives) run.push(`  ${containerPlatform(parsePlatform(a.platform)!).text}) want_file=${a.filename}; want_sum=${a.sha256} ;;`);
  run.push(`  *) echo "goguard: Go ${spec.goVersion} is not locked for $platform (locked: ${archives.map((a) => containerPlatform(parsePlatform(a.platform)!).text).join(", ")})" >&2; exit 1 ;;`);
  run.push("esac");
  run.push('[ "${GO_ARCHIVE}" = "$want_file" ] || { echo "goguard: GO_ARCHIVE is ${GO_ARCHIVE}, but the lock names $want_file for $platform" >&2; exit 1; }');
  run.push("got_sum=\"$(sha256sum /tmp/go.tgz | cut -d ' ' -f 1)\"");
  run.push('if [ "$got_sum" != "$want_sum" ]; then echo "goguard: sha256 mismatch for $want_file: expected $want_sum, got $got_sum" >&2; exit 1; fi');
  run.push('echo "$want_sum  /tmp/go.tgz" | sha256sum -c -');
  if (spec.verifySignature) {
    run.push("command -v gpg >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends gnupg dirmngr ca-certificates >/dev/null; }");
    run.push('export GNUPGHOME="$(mktemp -d)"');
    run.push(`gpg --batch --quiet --keyserver hkps://keyserver.ubuntu.com --recv-keys ${GO_SIGNING_KEY}`);
    run.push("gpg --batch --status-fd 1 --verify /tmp/go.tgz.asc /tmp/go.tgz > /tmp/gpg.status");
    run.push(`grep -q "^\\[GNUPG:\\] VALIDSIG ${GO_SIGNING_SUBKEY} " /tmp/gpg.status || { echo "goguard: $want_file is not signed by Go's signing key ${GO_SIGNING_SUBKEY}" >&2; exit 1; }`);
    run.push('rm -rf "$GNUPGHOME" /tmp/go.tgz.asc /tmp/gpg.status');
  }
  run.push("mkdir -p /target/usr/local");
  run.push("tar -C /target/usr/local -xzf /tmp/go.tgz");
  run.push("rm -f /tmp/go.tgz");
  // Clamp every timestamp to the release's own VERSION file: the layer depends only on the archive.
  run.push("find /target/usr/local/go -exec touch -r /target/usr/local/go/VERSION {} +");
  L.push(shellRun(run.filter((l) => !l.startsWith("#"))));
  L.push("");
  L.push(`FROM ${spec.builderBase} AS builder`);
  L.push("ARG TARGETOS");
  L.push("ARG TARGETARCH");
  L.push("ARG TARGETVARIANT");
  L.push("COPY --from=toolchain /target/usr/local/go /usr/local/go");
  L.push("# The environment's Go settings. GOTOOLCHAIN=local: a go.mod toolchain line must never make a");
  L.push("# build download a compiler the platform team did not approve.");
  const env = ["PATH=/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "GOPATH=/go", "GOCACHE=/go/cache", "GOMODCACHE=/go/pkg/mod", ...envKeys.map((k) => `${k}=${q(spec.goEnv[k])}`)];
  L.push(`ENV ${env.join(" \\\n    ")}`);
  L.push(`RUN mkdir -p /go/bin /go/cache /go/pkg/mod /src && chown -R ${spec.uid}:${spec.uid} /go /src`);
  L.push(`USER ${spec.uid}:${spec.uid}`);
  L.push("WORKDIR /src");
  const checks: string[] = [];
  checks.push('case "${TARGETOS}/${TARGETARCH}" in');
  for (const a of archives) {
    const gp = goPlatform(a.platform);
    checks.push(`  ${gp}) want="go version go${spec.goVersion} ${gp}" ;;`);
  }
  checks.push(`  *) want="go version go${spec.goVersion} \${TARGETOS}/\${TARGETARCH}" ;;`);
  checks.push("esac");
  checks.push('got="$(go version)"');
  checks.push('[ "$got" = "$want" ] || { echo "goguard: the toolchain says \'$got\', the lock says \'$want\'" >&2; exit 1; }');
  // Go learned GOTOOLCHAIN in 1.21; an older `go env` does not report it (and never switches
  // toolchains), so for those the variable itself is asserted.
  const knowsToolchain = compareGoVersions(parseGoVersion(spec.goVersion) ?? { major: 1, minor: 21, patch: 0 }, { major: 1, minor: 21, patch: 0 }) >= 0;
  for (const k of envKeys) {
    const read = k === "GOTOOLCHAIN" && !knowsToolchain ? "${GOTOOLCHAIN:-}" : `$(go env ${k})`;
    checks.push(`[ "${read}" = ${q(spec.goEnv[k])} ] || { echo "goguard: go env ${k} is '${read}', expected '${spec.goEnv[k].replace(/'/g, "")}'" >&2; exit 1; }`);
  }
  L.push("# Fails the build unless the toolchain and its settings are exactly what the lock and the baseline say.");
  L.push(shellRun(checks));
  const labels: Array<[string, string]> = [];
  if (spec.labels.source) labels.push(["org.opencontainers.image.source", spec.labels.source]);
  labels.push(["org.opencontainers.image.version", spec.labels.version ?? spec.goVersion]);
  if (spec.labels.revision) labels.push(["org.opencontainers.image.revision", spec.labels.revision]);
  labels.push(["dev.goguard.go.version", spec.goVersion]);
  for (const a of archives) labels.push([`dev.goguard.go.sha256.${a.platform.replace("/", "-")}`, a.sha256]);
  L.push(`LABEL ${labels.map(([k, v]) => `${k}=${q(v)}`).join(" \\\n      ")}`);
  return L.join("\n") + "\n";
}

export interface GoModRequirement {
  /** The `go` line (minimum Go), such as `1.22` or `1.22.3`. */
  readonly go?: string;
  /** The `toolchain` line, such as `go1.26.2`. */
  readonly toolchain?: string;
}

/** Reads the `go` and `toolchain` directives of a go.mod (pure). */
export function parseGoMod(text: string): GoModRequirement {
  const go = /^go\s+(\S+)\s*(?:\/\/.*)?$/m.exec(text)?.[1];
  const toolchain = /^toolchain\s+(\S+)\s*(?:\/\/.*)?$/m.exec(text)?.[1];
  return { ...(go ? { go } : {}), ...(toolchain ? { toolchain } : {}) };
}

/** Why a module cannot be built by the environment's Go, or undefined when it can. */
export function checkGoModAgainst(mod: GoModRequirement, goVersion: string): string | undefined {
  const have = parseGoVersion(goVersion);
  if (!have) return `"${goVersion}" is not a Go version`;
  for (const [directive, raw] of [["go", mod.go], ["toolchain", mod.toolchain?.replace(/^go/, "")]] as const) {
    if (raw === undefined || raw === "default") continue;
    const need = parseGoVersion(raw);
    if (!need) return `go.mod's ${directive} line "${raw}" is not a Go version`;
    if (compareGoVersions(need, have) > 0) {
      return `go.mod's ${directive} line needs Go ${raw}, but the environment runs Go ${goVersion} (GOTOOLCHAIN=local never downloads another): lower the ${directive} line or promote a newer Go`;
    }
  }
  return undefined;
}

export type RuntimeBase = { readonly kind: "distroless"; readonly ref: string } | { readonly kind: "scratch"; readonly caBundle: string };

export interface ServiceDockerfileSpec {
  /** The environment's builder image, pinned by digest. */
  readonly builderImage: string;
  readonly goVersion: string;
  readonly goMod: GoModRequirement;
  /** Package to build, relative to the module root. @default "." */
  readonly mainPackage?: string;
  /** @default "app" */
  readonly binaryName?: string;
  readonly runtime: RuntimeBase;
  readonly uid: number;
}

export class TemplateError extends Error {}

export function renderServiceDockerfile(spec: ServiceDockerfileSpec): string {
  const why = checkGoModAgainst(spec.goMod, spec.goVersion);
  if (why) throw new TemplateError(why);
  const pkg = spec.mainPackage ?? ".";
  const bin = spec.binaryName ?? "app";
  const cache = `--mount=type=cache,target=/go/pkg/mod,id=goguard-gomod,uid=${spec.uid},gid=${spec.uid}`;
  const buildCache = `--mount=type=cache,target=/go/cache,id=goguard-gobuild,uid=${spec.uid},gid=${spec.uid}`;
  const L: string[] = [];
  L.push("# syntax=docker/dockerfile:1");
  L.push(`# GoGuard service template (Go ${spec.goVersion}). The builder image carries the environment's Go settings.`);
  L.push("");
  L.push(`FROM ${spec.builderImage} AS build`);
  L.push("WORKDIR /src");
  L.push("# Modules first: this layer is reused until go.mod or go.sum change.");
  L.push(`COPY --chown=${spec.uid}:${spec.uid} go.mod go.sum ./`);
  L.push(`RUN ${cache} go mod download && go mod verify`);
  L.push(`COPY --chown=${spec.uid}:${spec.uid} . .`);
  L.push(`RUN ${cache} ${buildCache} mkdir -p /tmp/out && go build -o /tmp/out/${bin} ${pkg}`);
  L.push("# The binary must say it was built by the locked toolchain, reproducibly and statically.");
  L.push(
    `RUN set -eu; info="$(go version -m /tmp/out/${bin})"; \\\n` +
      `    echo "$info" | head -n 1 | grep -q ": go${spec.goVersion}\\$" || { echo "goguard: $(echo "$info" | head -n 1) was not built by go${spec.goVersion}" >&2; exit 1; }; \\\n` +
      `    echo "$info" | grep -q "build[[:space:]]*-trimpath=true" || { echo "goguard: binary built without -trimpath" >&2; exit 1; }; \\\n` +
      `    echo "$info" | grep -q "build[[:space:]]*CGO_ENABLED=0" || { echo "goguard: binary built with cgo" >&2; exit 1; }`,
  );
  L.push("");
  switch (spec.runtime.kind) {
    case "distroless":
      L.push(`FROM ${spec.runtime.ref} AS runtime`);
      L.push("# distroless/static carries the CA certificates.");
      break;
    case "scratch":
      L.push("FROM scratch AS runtime");
      L.push(`COPY --from=build ${spec.runtime.caBundle} /etc/ssl/certs/ca-certificates.crt`);
      break;
    default: {
      const never: never = spec.runtime;
      throw new TemplateError(`unknown runtime ${JSON.stringify(never)}`);
    }
  }
  L.push(`COPY --from=build /tmp/out/${bin} /${bin}`);
  L.push(`USER ${spec.uid}:${spec.uid}`);
  L.push(`ENTRYPOINT ["/${bin}"]`);
  return L.join("\n") + "\n";
}
