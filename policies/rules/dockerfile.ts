// T9, T10: what Dockerfiles run.
import { DOCKER_IMAGE } from "../lib/sources";
import { imageDockerfile } from "../lib/resources";
import { goModuleQueries } from "../lib/dockerfile";
import { resourceRule } from "./common";

const PINNED = /^(v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+incompatible)?|[0-9a-f]{40})$/;

export const goInstallPinned = resourceRule(
  {
    name: "go-install-pinned",
    rows: ["T9"],
    severity: "high",
    description: "Module queries in Dockerfiles (go install, go get, go run pkg@version) are pinned to a semantic version vX.Y.Z or a 40-hex commit, never @latest, @main or @master.",
    remediation: "Pin the module version, for example go install golang.org/x/tools/cmd/goimports@v0.24.0.",
  },
  (args) => {
    if (args.type !== DOCKER_IMAGE) return [];
    const df = imageDockerfile(args.props);
    return (df?.facts.runs ?? []).flatMap((r) =>
      goModuleQueries(r.text)
        .filter((q) => !PINNED.test(q.version))
        .map((q) => `Dockerfile line ${r.line}: ${q.command} ${q.target}@${q.version} is not pinned. Fix: use @vX.Y.Z or a full commit hash.`),
    );
  },
  DOCKER_IMAGE,
);

const GO_ARCHIVE_URL = /(https?:\/\/\S*go[0-9.a-z]*\.[a-z0-9]+-[a-z0-9]+\.tar\.gz|\$\{?GO_MIRROR\}?\$\{?GO_ARCHIVE\}?)/;

export const toolchainDownloadVerified = resourceRule(
  {
    name: "go-download-verified",
    rows: ["T10"],
    severity: "critical",
    description: "A Dockerfile that downloads a Go toolchain does so over https and checks the archive's sha256 (sha256sum -c, or ADD --checksum) before extracting it.",
    remediation: "Download over https and run `echo \"<sha256>  go.tgz\" | sha256sum -c -` before `tar -x` (the GoGuard builder image does this from the lock).",
  },
  (args) => {
    if (args.type !== DOCKER_IMAGE) return [];
    const df = imageDockerfile(args.props);
    if (!df) return [];
    const problems: string[] = [];
    // Downloads by ADD are checked by a later RUN (or --checksum); downloads by RUN in the same or a later RUN.
    const steps: Array<{ line: number; text: string; kind: "add" | "run"; checksum?: string }> = [
      ...df.facts.adds.map((a) => ({ line: a.line, text: a.src, kind: "add" as const, ...(a.checksum ? { checksum: a.checksum } : {}) })),
      ...df.facts.runs.map((r) => ({ line: r.line, text: r.text, kind: "run" as const })),
    ].sort((a, b) => a.line - b.line);
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      const isDownload = s.kind === "add" ? GO_ARCHIVE_URL.test(s.text) : /\b(wget|curl)\b/.test(s.text) && GO_ARCHIVE_URL.test(s.text);
      if (!isDownload) continue;
      const url = GO_ARCHIVE_URL.exec(s.text)![1];
      if (url.startsWith("http://")) problems.push(`Dockerfile line ${s.line}: the Go archive is downloaded over plain http (${url}). Fix: use https.`);
      if (s.checksum) continue;
      const rest = [s, ...steps.slice(i + 1)].filter((x) => x.kind === "run").map((x) => x.text).join("\n");
      const verify = rest.search(/sha256sum\b/);
      const extract = rest.search(/\btar\b[^\n;|&]*\s-?[a-zA-Z]*x/);
      if (verify < 0 || (extract >= 0 && extract < verify)) problems.push(`Dockerfile line ${s.line}: the Go archive is ${verify < 0 ? "never" : "not"} checked with sha256sum before it is extracted. Fix: verify it against the locked sha256 first.`);
    }
    return problems;
  },
  DOCKER_IMAGE,
);
