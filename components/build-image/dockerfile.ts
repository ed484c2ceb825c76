// Dockerfile renderers (pure, deterministic: same inputs, same bytes).
//
// Every value written into the builder Dockerfile is first checked against the grammar of the place
// it goes (the renderer's own assertion, even when the lock's validation was bypassed), then encoded
// by construction: single-quoted words in RUN scripts, double-quoted escaped values in ENV/LABEL.
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

import { KNOWN_PLATFORMS, LOCK_VERSION_PATTERN, SHA256_PATTERN, canonicalArchiveFilename, showValue } from "../toolchain/lock";
import { parseImageRef } from "../toolchain/image-ref";
import { containerPlatform, parsePlatform } from "../toolchain/platform";
import { compareGoVersions, parseGoVersion } from "../toolchain/version";

/** Go's release signing key (primary). Its signing subkeys rotate; a signature by any of them is accepted. */
export const GO_SIGNING_KEY = "EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796";
/**
 * The vendored copy of that key (components/build-image/go-signing-key.asc, from
 * https://dl.google.com/linux/linux_signing_key.pub): written into the build context, so the build
 * needs no keyserver, and its sha256 is written into the Dockerfile, so a changed key is a changed image.
 */
export const GO_SIGNING_KEY_FILE = "go-signing-key.asc";
export const GO_SIGNING_KEY_SHA256 = "54dea5f6c2a26091578cf52a999cebc6b64df478d37ad4dce96376b711e3b27c";

export interface SigningKeySpec {
  /** File name of the armored public key in the build context (letters, digits, `.`, `_`, `-`). */
  readonly file: string;
  /** sha256 of that file; the build checks it before importing the key. */
  readonly sha256: string;
  /** Fingerprint of the primary key: gpg's VALIDSIG line ends with it whichever subkey signed. */
  readonly primaryFingerprint: string;
}

export const GO_SIGNING_KEY_SPEC: SigningKeySpec = { file: GO_SIGNING_KEY_FILE, sha256: GO_SIGNING_KEY_SHA256, primaryFingerprint: GO_SIGNING_KEY };

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
  /** Verify the detached .asc signature with the vendored key (no keyserver at build time). */
  readonly verifySignature: boolean;
  /** The key signatures are checked against. @default GO_SIGNING_KEY_SPEC */
  readonly signingKey?: SigningKeySpec;
  /** Pinned `name[:tag]@sha256:…` of the stage that downloads and checks the archive. */
  readonly toolchainBase: string;
  /** Pinned base of the published builder stage (needs /bin/sh; glibc for Linux archives). */
  readonly builderBase: string;
  /** The environment's Go settings baseline (ENV of the builder, asserted with `go env`). */
  readonly goEnv: Readonly<Record<string, string>>;
  readonly uid: number;
  readonly labels: { readonly source?: string; readonly revision?: string; readonly version?: string };
}

/** A value the renderer refuses: it is outside the grammar of the place it would be written. */
export class DockerfileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `the builder Dockerfile cannot be rendered:\n  - ${problems.join("\n  - ")}`);
    this.name = "DockerfileError";
  }
}

/**
 * One shell word holding exactly `s`: single quotes, each `'` written as `'\''` (close, escaped
 * quote, reopen). Nothing inside single quotes is special to sh.
 */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * A Dockerfile ENV/LABEL value in its double-quoted form: BuildKit's and buildah's word processing
 * removes the quotes and treats `\"`, `\\` and `\$` as escapes, so `$` never expands a variable. The
 * value's grammar (printable ASCII, checked by the caller) keeps newlines, which would end the
 * instruction, out.
 */
export function dockerfileQuote(s: string): string {
  return `"${s.replace(/(["\\$])/g, "\\$1")}"`;
}

const PRINTABLE = /^[\x20-\x7e]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * A mirror URL is written bare into `ARG GO_MIRROR=…` (ARG quoting differs between Docker and
 * buildah), so its grammar leaves out everything Dockerfile or sh give meaning to.
 */
const MIRROR_RE = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~-]+)*\/$/;
const FINGERPRINT_RE = /^[0-9A-F]{40}$/;
const KEY_FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * The renderer's own check of everything it writes, independent of the lock and the component's
 * validation: a value outside its grammar is refused, naming the field, the value and the fix.
 */
export function builderSpecProblems(spec: BuilderDockerfileSpec): string[] {
  const problems: string[] = [];
  const versionOk = typeof spec.goVersion === "string" && new RegExp(LOCK_VERSION_PATTERN).test(spec.goVersion);
  if (!versionOk) problems.push(`goVersion: ${showValue(spec.goVersion)} is not an exact Go release such as "1.26.7"; take it from the toolchain lock`);
  if (spec.archives.length === 0) problems.push("archives: empty; the lock names one archive per platform");
  const seen = new Set<string>();
  spec.archives.forEach((a, i) => {
    const where = `archives[${i}]`;
    if (!(KNOWN_PLATFORMS as readonly string[]).includes(a.platform)) {
      problems.push(`${where}.platform: ${showValue(a.platform)} is not one of ${KNOWN_PLATFORMS.join(", ")}; take it from the toolchain lock`);
    } else {
      if (seen.has(a.platform)) problems.push(`${where}.platform: ${a.platform} appears twice; one archive per platform`);
      seen.add(a.platform);
      if (versionOk && a.filename !== canonicalArchiveFilename(spec.goVersion, a.platform)) {
        problems.push(`${where}.filename: ${showValue(a.filename)} is not "${canonicalArchiveFilename(spec.goVersion, a.platform)}", the archive go.dev publishes for Go ${spec.goVersion} on ${a.platform}; take it from the toolchain lock`);
      }
    }
    if (typeof a.sha256 !== "string" || !new RegExp(SHA256_PATTERN).test(a.sha256)) problems.push(`${where}.sha256: ${showValue(a.sha256)} is not 64 lowercase hex digits; take it from the toolchain lock`);
  });
  if (typeof spec.mirror !== "string" || !MIRROR_RE.test(spec.mirror)) {
    problems.push(`mirror: ${showValue(spec.mirror)} is not an http(s) URL of letters, digits and . _ ~ - ending in "/" (such as https://dl.google.com/go/)`);
  }
  for (const [field, ref] of [["toolchainBase", spec.toolchainBase], ["builderBase", spec.builderBase]] as const) {
    if (typeof ref !== "string" || !parseImageRef(ref)) problems.push(`${field}: ${showValue(ref)} is not an image reference such as debian:bookworm-slim@sha256:<digest>`);
  }
  for (const [k, v] of Object.entries(spec.goEnv)) {
    if (!ENV_NAME.test(k)) problems.push(`goEnv: the name ${showValue(k)} is not an environment variable name (letters, digits, _)`);
    else if (typeof v !== "string" || !PRINTABLE.test(v)) problems.push(`goEnv.${k}: ${showValue(v)} must be printable ASCII on one line`);
  }
  if (!Number.isInteger(spec.uid) || spec.uid < 1 || spec.uid > 2147483647) problems.push(`uid: ${showValue(spec.uid)} must be a whole number from 1 to 2147483647 (a non-root user)`);
  for (const [k, v] of Object.entries(spec.labels)) {
    if (v !== undefined && (typeof v !== "string" || !PRINTABLE.test(v) || v.length > 300)) problems.push(`labels.${k}: ${showValue(v)} must be printable ASCII on one line, at most 300 characters`);
  }
  if (spec.verifySignature) {
    const key = spec.signingKey ?? GO_SIGNING_KEY_SPEC;
    if (!KEY_FILE_RE.test(key.file)) problems.push(`signingKey.file: ${showValue(key.file)} must be a plain file name in the build context (letters, digits, . _ -)`);
    if (!new RegExp(SHA256_PATTERN).test(key.sha256)) problems.push(`signingKey.sha256: ${showValue(key.sha256)} is not 64 lowercase hex digits`);
    if (!FINGERPRINT_RE.test(key.primaryFingerprint)) problems.push(`signingKey.primaryFingerprint: ${showValue(key.primaryFingerprint)} is not 40 uppercase hex digits (gpg --with-colons prints it on the fpr line)`);
  }
  return problems;
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

/** Where the toolchain step keeps its files (the forged-archive test relocates exactly these). */
export const TOOLCHAIN_STEP_PATHS = { archive: "/tmp/go.tgz", signature: "/tmp/go.tgz.asc", key: "/tmp/go-signing-key.asc", status: "/tmp/gpg.status", target: "/target" } as const;

/**
 * The shell script of the toolchain stage's RUN step: checks the archive against the checksum the
 * lock holds for the target platform (and its signature) before `tar` reads a byte of it. Every
 * value from the lock is a single-quoted word.
 */
export function toolchainStepScript(spec: BuilderDockerfileSpec): string[] {
  const P = TOOLCHAIN_STEP_PATHS;
  const archives = [...spec.archives].sort((a, b) => (a.platform < b.platform ? -1 : 1));
  const locked = archives.map((a) => containerPlatform(parsePlatform(a.platform)!).text).join(", ");
  const run: string[] = [];
  run.push('platform="${TARGETOS}/${TARGETARCH}${TARGETVARIANT:+/${TARGETVARIANT}}"');
  run.push('case "$platform" in');
  for (const a of archives) run.push(`  ${containerPlatform(parsePlatform(a.platform)!).text}) want_file=${shellQuote(a.filename)}; want_sum=${shellQuote(a.sha256)} ;;`);
  run.push(`  *) echo ${shellQuote(`goguard: Go ${spec.goVersion} is not locked for`)} "$platform" ${shellQuote(`(locked: ${locked})`)} >&2; exit 1 ;;`);
  run.push("esac");
  run.push('[ "${GO_ARCHIVE}" = "$want_file" ] || { echo "goguard: GO_ARCHIVE is ${GO_ARCHIVE}, but the lock names $want_file for $platform" >&2; exit 1; }');
  run.push(`got_sum="$(sha256sum ${P.archive} | cut -d ' ' -f 1)"`);
  run.push('if [ "$got_sum" != "$want_sum" ]; then echo "goguard: sha256 mismatch for $want_file: expected $want_sum, got $got_sum" >&2; exit 1; fi');
  run.push(`echo "$want_sum  ${P.archive}" | sha256sum -c -`);
  if (spec.verifySignature) {
    const key = spec.signingKey ?? GO_SIGNING_KEY_SPEC;
    run.push("command -v gpg >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends gnupg >/dev/null; }");
    run.push(`echo ${shellQuote(`${key.sha256}  ${P.key}`)} | sha256sum -c -`);
    run.push('GNUPGHOME="$(mktemp -d)"');
    run.push("export GNUPGHOME");
    run.push(`gpg --batch --quiet --import ${P.key}`);
    run.push(`gpg --batch --status-fd 1 --verify ${P.signature} ${P.archive} > ${P.status} 2>/dev/null || { echo "goguard: the signature of $want_file does not verify against the vendored Go signing key" >&2; exit 1; }`);
    // Go's signing subkey rotates (2F528D36… expired in 2022): VALIDSIG's last field is the
    // primary key's fingerprint whichever subkey signed, so that is what is pinned.
    run.push(`grep -Eq ${shellQuote(`^\\[GNUPG:\\] VALIDSIG [0-9A-F]{40} .* ${key.primaryFingerprint}$`)} ${P.status} || { echo ${shellQuote(`goguard: the archive is not signed by a key of ${key.primaryFingerprint}`)} >&2; exit 1; }`);
    run.push(`rm -rf "$GNUPGHOME" ${P.signature} ${P.status} ${P.key}`);
  }
  run.push(`mkdir -p ${P.target}/usr/local`);
  run.push(`tar -C ${P.target}/usr/local -xzf ${P.archive}`);
  run.push(`rm -f ${P.archive}`);
  // Clamp every timestamp to the release's own VERSION file: the layer depends only on the archive.
  run.push(`find ${P.target}/usr/local/go -exec touch -r ${P.target}/usr/local/go/VERSION {} +`);
  return run;
}

/** The toolchain step as `sh` runs it (the RUN line's statements joined as the Dockerfile joins them). */
export function toolchainStepShell(spec: BuilderDockerfileSpec): string {
  const assert = builderSpecProblems(spec);
  if (assert.length > 0) throw new DockerfileError(assert);
  return shellRun(toolchainStepScript(spec)).replace(/^RUN /, "").replace(/ \\\n    /g, " ");
}

export function renderBuilderDockerfile(spec: BuilderDockerfileSpec): string {
  const assert = builderSpecProblems(spec);
  if (assert.length > 0) throw new DockerfileError(assert);
  const archives = [...spec.archives].sort((a, b) => (a.platform < b.platform ? -1 : 1));
  const envKeys = Object.keys(spec.goEnv).sort();
  const key = spec.signingKey ?? GO_SIGNING_KEY_SPEC;
  const L: string[] = [];
  L.push("# syntax=docker/dockerfile:1");
  L.push(`# GoGuard builder image for Go ${spec.goVersion}. Rendered from the toolchain lock; do not edit.`);
  if (spec.verifySignature) L.push(`# Signatures are checked with ${key.file} from the build context (sha256 ${key.sha256}, primary key ${key.primaryFingerprint}).`);
  L.push("");
  L.push(`FROM ${spec.toolchainBase} AS toolchain`);
  L.push("ARG TARGETOS");
  L.push("ARG TARGETARCH");
  L.push("ARG TARGETVARIANT");
  L.push(`ARG GO_MIRROR=${spec.mirror}`);
  L.push(`ARG GO_ARCHIVE=go${spec.goVersion}.\${TARGETOS}-\${TARGETARCH}.tar.gz`);
  L.push("# The builder fetches the archive (no downloader is needed in the base); the next step checks it");
  L.push("# against the checksum locked for the target platform before anything else reads it.");
  L.push(`ADD \${GO_MIRROR}\${GO_ARCHIVE} ${TOOLCHAIN_STEP_PATHS.archive}`);
  if (spec.verifySignature) {
    L.push(`ADD \${GO_MIRROR}\${GO_ARCHIVE}.asc ${TOOLCHAIN_STEP_PATHS.signature}`);
    L.push(`COPY ${key.file} ${TOOLCHAIN_STEP_PATHS.key}`);
  }
  L.push(shellRun(toolchainStepScript(spec)));
  L.push("");
  L.push(`FROM ${spec.builderBase} AS builder`);
  L.push("ARG TARGETOS");
  L.push("ARG TARGETARCH");
  L.push("ARG TARGETVARIANT");
  L.push(`COPY --from=toolchain ${TOOLCHAIN_STEP_PATHS.target}/usr/local/go /usr/local/go`);
  L.push("# The environment's Go settings. GOTOOLCHAIN=local: a go.mod toolchain line must never make a");
  L.push("# build download a compiler the platform team did not approve.");
  const env = ["PATH=/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "GOPATH=/go", "GOCACHE=/go/cache", "GOMODCACHE=/go/pkg/mod", ...envKeys.map((k) => `${k}=${dockerfileQuote(spec.goEnv[k])}`)];
  L.push(`ENV ${env.join(" \\\n    ")}`);
  L.push(`RUN mkdir -p /go/bin /go/cache /go/pkg/mod /src && chown -R ${spec.uid}:${spec.uid} /go /src`);
  L.push(`USER ${spec.uid}:${spec.uid}`);
  L.push("WORKDIR /src");
  const checks: string[] = [];
  checks.push('case "${TARGETOS}/${TARGETARCH}" in');
  for (const a of archives) {
    const gp = goPlatform(a.platform);
    checks.push(`  ${gp}) want=${shellQuote(`go version go${spec.goVersion} ${gp}`)} ;;`);
  }
  checks.push(`  *) want=${shellQuote(`go version go${spec.goVersion} `)}"\${TARGETOS}/\${TARGETARCH}" ;;`);
  checks.push("esac");
  checks.push('got="$(go version)"');
  checks.push('[ "$got" = "$want" ] || { echo "goguard: the toolchain says \'$got\', the lock says \'$want\'" >&2; exit 1; }');
  // Go learned GOTOOLCHAIN in 1.21; an older `go env` does not report it (and never switches
  // toolchains), so for those the variable itself is asserted.
  const knowsToolchain = compareGoVersions(parseGoVersion(spec.goVersion) ?? { major: 1, minor: 21, patch: 0 }, { major: 1, minor: 21, patch: 0 }) >= 0;
  for (const k of envKeys) {
    const read = k === "GOTOOLCHAIN" && !knowsToolchain ? "${GOTOOLCHAIN:-}" : `$(go env ${k})`;
    checks.push(`want=${shellQuote(spec.goEnv[k])}`);
    checks.push(`got="${read}"`);
    checks.push(`[ "$got" = "$want" ] || { echo "goguard: go env ${k} is '$got', expected '$want'" >&2; exit 1; }`);
  }
  L.push("# Fails the build unless the toolchain and its settings are exactly what the lock and the baseline say.");
  L.push(shellRun(checks));
  const labels: Array<[string, string]> = [];
  if (spec.labels.source) labels.push(["org.opencontainers.image.source", spec.labels.source]);
  labels.push(["org.opencontainers.image.version", spec.labels.version ?? spec.goVersion]);
  if (spec.labels.revision) labels.push(["org.opencontainers.image.revision", spec.labels.revision]);
  labels.push(["dev.goguard.go.version", spec.goVersion]);
  for (const a of archives) labels.push([`dev.goguard.go.sha256.${a.platform.replace("/", "-")}`, a.sha256]);
  L.push(`LABEL ${labels.map(([k, v]) => `${k}=${dockerfileQuote(v)}`).join(" \\\n      ")}`);
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
