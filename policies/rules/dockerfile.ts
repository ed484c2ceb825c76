// T9, T10 and the fail-closed reading of Dockerfiles: what Dockerfiles run, read with real parsers
// (policies/lib/dockerfile.ts).
import { bundledCatalog } from "../../components/toolchain/bundled";
import { DOCKER_IMAGE } from "../lib/sources";
import { buildDockerfiles, distinct, isImageBuild } from "../lib/resources";
import { GoDownload, ModuleQuery } from "../lib/dockerfile";
import { resourceRule } from "./common";

// cmd/go's canonical module versions: vX.Y.Z, with an optional pre-release and +incompatible; or a full commit.
const PINNED = /^(v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+incompatible)?|[0-9a-f]{40})$/;

/** What Go does with an unpinned query, in words. */
export function queryMeaning(q: ModuleQuery): string {
  if (q.version === undefined) {
    return q.written.startsWith("go get") && q.written.includes("-u")
      ? `${q.written} upgrades ${q.target} and its dependencies to their newest versions when the image builds`
      : `${q.command} ${q.written} has no version, which Go reads as @upgrade: the newest version when the image builds`;
  }
  const v = q.version;
  if (v === "latest" || v === "upgrade" || v === "patch") return `${q.command} ${q.written} resolves @${v} to whatever is newest when the image builds, so two builds of the same Dockerfile can compile different code`;
  if (/^[0-9a-f]{7,39}$/.test(v)) return `${q.command} ${q.written} names a shortened commit, which Go resolves through the repository at build time`;
  if (/^v\d+(\.\d+)?$/.test(v) || /^[<>]/.test(v)) return `${q.command} ${q.written} is a version prefix or query, which Go resolves to the newest matching version at build time`;
  return `${q.command} ${q.written} names the branch or tag "${v}", which can move to other code between builds`;
}

export const goInstallPinned = resourceRule(
  {
    name: "go-install-pinned",
    rows: ["T9"],
    severity: "high",
    description: "Module queries in Dockerfiles (go install, go get, go run pkg@version, in any RUN form) are pinned to a semantic version vX.Y.Z or a 40-hex commit, never @latest, @main, @master, a branch, or go get -u.",
    remediation: "Pin the module version, for example go install golang.org/x/tools/cmd/goimports@v0.24.0.",
  },
  (args) => {
    if (!isImageBuild(args.type)) return [];
    return distinct(
      buildDockerfiles(args.type, args.props).flatMap((df) =>
        df.unreadable !== undefined
          ? []
          : unpinnedQueryProblems(df.shown, df.facts.queries).map((p) => p.message),
      ),
    );
  },
);

/** go-install-pinned's problems in one Dockerfile, with their lines (pure: the pack and check-repo share it). */
export function unpinnedQueryProblems(shown: string, queries: readonly ModuleQuery[]): Array<{ line: number; message: string }> {
  return queries
    .filter((q) => q.version === undefined || !PINNED.test(q.version))
    .map((q) => ({ line: q.line, message: `${shown} line ${q.line} (RUN ${q.command}): ${queryMeaning(q)}. Fix: ${q.version === undefined ? "drop -u and name each module with an exact version, go get module@vX.Y.Z (go.mod and go.sum then pin the rest)" : `pin ${q.target} to a released version (@vX.Y.Z) or a full 40-hex commit`}.` }));
}

/** dockerfile-readable's problems for a Dockerfile that was read (pure: the pack and check-repo share it). */
export function unparseableProblems(shown: string, problems: ReadonlyArray<{ readonly line: number; readonly message: string }>): Array<{ line: number; message: string }> {
  return problems.map((p) => ({ line: p.line, message: `${shown} line ${p.line}: ${p.message}. Fix: write the instruction so that it parses (BuildKit and the pack read it the same way).` }));
}

/** The build target names no stage: BuildKit fails the build, and no stage can be judged as the image. */
export function missingTargetProblem(shown: string, m: { readonly target: string; readonly stages: readonly string[] }): string {
  const names = m.stages.length > 0 ? `its named stages are ${m.stages.join(", ")}` : "it names no stage (no FROM … AS <name>)";
  return `${shown}: the build target ${JSON.stringify(m.target)} names no stage of the Dockerfile (${names}), so the build fails and the pack cannot tell which stage the image is. Fix: set target to one of the stage names, or add \`AS ${m.target}\` to the FROM of the stage to build.`;
}

/** go-download-verified's problems for one download (pure: the pack and check-repo share it). */
export function downloadProblems(shown: string, d: GoDownload, lockedSum: string | undefined): string[] {
  const at = `${shown} line ${d.line} (${d.via} ${d.filename})`;
  const check = lockedSum !== undefined ? `echo "${lockedSum}  ${d.localFile ?? d.filename}" | sha256sum -c - before extracting it (or ADD --checksum=sha256:${lockedSum})` : `pick a version and platform from the lock and check the archive with sha256sum -c against its locked sha256 before extracting it`;
  const out: string[] = [];
  if (d.unresolved.length > 0) {
    out.push(`${at}: the download URL ${d.url} has parts with no value at build time (an ARG without default or build arg, a command substitution), so which Go archive is fetched, and its locked sha256, cannot be known. Fix: give the version and platform as ARG defaults or build args from the lock, and check the archive with sha256sum -c against its locked sha256 before extracting it.`);
    return out;
  }
  if (!d.https) out.push(`${at}: the Go archive is downloaded over plain http (${d.url}), so anyone on the path can replace it. Fix: download it over https.`);
  switch (d.problem) {
    case "never-checked":
      out.push(`${at}: the Go archive is never checked against a sha256 before it is used. Fix: ${check}.`);
      break;
    case "printed-only":
      out.push(`${at}: sha256sum only prints the archive's hash; nothing compares it, so a tampered archive is used anyway. Fix: ${check}.`);
      break;
    case "extracted-before-check":
      out.push(`${at}: the Go archive is extracted at line ${d.extractedAt} before any sha256 check${d.streamed ? " (streamed straight from the download into tar)" : ""}. Fix: save it to a file, then ${check}.`);
      break;
    case "check-ignored":
      out.push(`${at}: ${d.ignoredCheck?.how ?? "the check"} at line ${d.ignoredCheck?.line ?? d.line} runs, but its failure does not stop the build (it is followed by || true, or by ; without set -e), so a tampered archive is used anyway. Fix: chain the check with && (or run set -e first), that is ${check}.`);
      break;
    case undefined:
      break;
    default: {
      const never: never = d.problem;
      throw new Error(`unhandled download problem ${String(never)}`);
    }
  }
  if (d.check) {
    if (lockedSum === undefined) out.push(`${at}: ${d.filename} is not an archive of the release catalog, so no locked sha256 exists to check it against. Fix: ${check}.`);
    else if (d.check.sum === undefined) out.push(`${at}: ${d.check.how} at line ${d.check.line} checks against a sum the Dockerfile does not hold${d.check.sumFrom !== undefined ? ` (it comes from \`${d.check.sumFrom}\`)` : ""} (a sum file fetched beside the archive proves nothing). Fix: ${check}.`);
    else if (d.check.sum !== lockedSum) out.push(`${at}: ${d.check.how} at line ${d.check.line} compares with ${d.check.sum}, which is not the locked sha256 of ${d.filename}. Fix: ${check}.`);
  }
  return out;
}

export const toolchainDownloadVerified = resourceRule(
  {
    name: "go-download-verified",
    rows: ["T10"],
    severity: "critical",
    description: "A Dockerfile that downloads a Go toolchain (ADD, curl or wget) does so over https and checks the archive against the locked sha256 of that exact file (sha256sum -c, an equality test, or ADD --checksum) before extracting it; printing a hash is not a check.",
    remediation: "Download over https and run `echo \"<locked sha256>  <archive>\" | sha256sum -c -` before `tar -x` (the GoGuard builder image does this from the lock).",
  },
  (args) => {
    if (!isImageBuild(args.type)) return [];
    const sums = bundledCatalog().checksumsByFilename();
    // Read once per target platform: a multi-platform build fetches one archive per platform, and
    // each must match its own locked sum.
    return distinct(buildDockerfiles(args.type, args.props).flatMap((df) => (df.unreadable !== undefined ? [] : df.facts.downloads.flatMap((d) => downloadProblems(df.shown, d, d.filename !== undefined ? sums.get(d.filename) : undefined)))));
  },
);

export const dockerfileReadable = resourceRule(
  {
    name: "dockerfile-readable",
    rows: ["T4", "T5"],
    severity: "high",
    description: "The Dockerfile of every image build (docker.Image, docker-build Image) can be read and parsed, found as its provider finds it (docker.Image: build.dockerfile, else <build.context>/Dockerfile; docker-build Image: dockerfile.inline, dockerfile.location, else <context.location>/Dockerfile), so the Dockerfile rules judge it instead of skipping it.",
    remediation: "Keep the Dockerfile in the project at the path the image names, with a known (not computed) path, and valid shell in every RUN.",
  },
  (args) => {
    if (!isImageBuild(args.type)) return [];
    const fix = args.type === DOCKER_IMAGE ? "named by a known build.dockerfile (or <context>/Dockerfile), with a local build.context" : "given as dockerfile.inline or a known local dockerfile.location (or <context.location>/Dockerfile)";
    return distinct(
      buildDockerfiles(args.type, args.props).flatMap((df) =>
        df.unreadable !== undefined
          ? [`${df.unreadable}, so no Dockerfile rule can judge what this image builds. Fix: build from a Dockerfile committed in the project, ${fix}.`]
          : [
              ...(df.facts.missingTarget ? [missingTargetProblem(df.shown, df.facts.missingTarget)] : []),
              ...unparseableProblems(df.shown, df.facts.problems).map((p) => p.message),
            ],
      ),
    );
  },
);
