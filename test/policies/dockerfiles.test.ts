// Dockerfile rules through the real handlers: FROM with ARG defaults resolved through the build
// args (T1, T4, T5), COPY --from=<image> (T5), module queries in every RUN form (T9), Go archive
// downloads and their checks (T10), Go settings from ENV (both syntaxes), inline RUN, heredoc
// export, exec form and go env -w (G1, G4-G6, T8), every Go version compared with the lock (T7,
// T2: a digest does not make an unlocked golang image acceptable), and images whose Dockerfile is
// found only through build.context, or cannot be read at all (fail closed outside dev). The same
// readings through docker-build Images (context.location, dockerfile.location relative to the
// program's working directory, dockerfile.inline, several platforms), a copy of an unpinned image
// (shown, advisory everywhere) and RemoteImage names.
import { violationsByResource, Expected } from "./helpers";

const expected: Expected = {
  "add-checksum-wrong": [
    ["go-download-verified", "mandatory", "add-checksum-wrong add-checksum-wrong.Dockerfile line 3 (ADD go1.26.7.linux-amd64.tar.gz): ADD --checksum at line 3 compares with 5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37, which is not the locked sha256 of go1.26.7.linux-amd64.tar.gz. Fix: echo \"ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca  go.tgz\" | sha256sum -c - before extracting it (or ADD --checksum=sha256:ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca)."],
  ],
  "bad-shell": [
    ["dockerfile-readable", "mandatory", "bad-shell bad-shell.Dockerfile line 2: the shell cannot parse this RUN (script line 1:1: if statement must end with \"fi\"), so what it runs cannot be judged. Fix: write the instruction so that it parses (BuildKit and the pack read it the same way)."],
  ],
  "check-ignored": [
    ["go-download-verified", "mandatory", "check-ignored check-ignored.Dockerfile line 2 (wget go1.26.7.linux-amd64.tar.gz): sha256sum -c at line 2 runs, but its failure does not stop the build (it is followed by || true, or by ; without set -e), so a tampered archive is used anyway. Fix: chain the check with && (or run set -e first), that is echo \"ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca  go.tgz\" | sha256sum -c - before extracting it (or ADD --checksum=sha256:ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca)."],
  ],
  "context-only": [
    ["go-sumdb-on", "mandatory", "context-only Dockerfile final stage (FROM at line 2, the image's environment): GOSUMDB=off turns off checksum verification of every module not already in go.sum. Fix: Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."],
  ],
  "context-relative": [
    ["go-proxy-own-first", "mandatory", "context-relative Dockerfile line 2 (RUN go build): GOPROXY=direct starts with direct: Go fetches every module straight from its version control host, bypassing the environment's proxy. Fix: Set GOPROXY=http://athens.goproxy.svc.cluster.local."],
  ],
  "copy-from-tag": [
    ["image-pinned-by-digest", "mandatory", "copy-from-tag copy-from-tag.Dockerfile line 2 (COPY --from): image busybox:1.36 is not pinned by digest. Fix: use busybox:1.36@sha256:<digest>."],
  ],
  "db-context-relative": [
    ["go-proxy-own-first", "mandatory", "db-context-relative Dockerfile line 2 (RUN go build): GOPROXY=direct starts with direct: Go fetches every module straight from its version control host, bypassing the environment's proxy. Fix: Set GOPROXY=http://athens.goproxy.svc.cluster.local."],
  ],
  "db-copy-by-tag": [
    ["copied-image-source-pinned", "advisory", "db-copy-by-tag dockerfile.inline line 1 (FROM): this image is a copy of docker.io/gomods/athens:v0.18.1, which is not pinned by digest, so the copy holds whatever the tag named when it was built (the copy itself is deployed by its pushed digest). Fix: resolve it with `goguard lock resolve-images --image docker.io/gomods/athens:v0.18.1` so the copy is made from docker.io/gomods/athens:v0.18.1@sha256:<digest>."],
  ],
  "db-location-go-env-w": [
    ["go-sumdb-on", "mandatory", "db-location-go-env-w go-env-w.Dockerfile line 4 (RUN go build): GOSUMDB=off turns off checksum verification of every module not already in go.sum. Fix: Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."],
  ],
  "db-missing-location": [
    ["dockerfile-readable", "mandatory", "db-missing-location dockerfile.location \"test/fixtures/dockerfiles/go-env-w.Dockerfile\" cannot be read: no such file in the program's working directory (the Docker Build provider reads dockerfile.location relative to it, not to context.location), so no Dockerfile rule can judge what this image builds. Fix: build from a Dockerfile committed in the project, given as dockerfile.inline or a known local dockerfile.location (or <context.location>/Dockerfile)."],
  ],
  "download-http": [
    ["go-download-verified", "mandatory", "download-http download-http.Dockerfile line 2 (wget go1.26.7.linux-amd64.tar.gz): the Go archive is downloaded over plain http (http://mirror.corp.example/go/go1.26.7.linux-amd64.tar.gz), so anyone on the path can replace it. Fix: download it over https."],
  ],
  "download-unset-arg": [
    ["go-download-verified", "mandatory", "download-unset-arg download-unset-arg.Dockerfile line 4 (curl go.linux-amd64.tar.gz): the download URL https://dl.google.com/go/go.linux-amd64.tar.gz has parts with no value at build time (an ARG without default or build arg, a command substitution), so which Go archive is fetched, and its locked sha256, cannot be known. Fix: give the version and platform as ARG defaults or build args from the lock, and check the archive with sha256sum -c against its locked sha256 before extracting it."],
  ],
  "download-unverified": [
    ["go-download-verified", "mandatory", "download-unverified download-unverified.Dockerfile line 2 (wget go1.26.7.linux-amd64.tar.gz): the Go archive is extracted at line 2 before any sha256 check. Fix: save it to a file, then echo \"ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca  go.tgz\" | sha256sum -c - before extracting it (or ADD --checksum=sha256:ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca)."],
  ],
  "env-gosumdb-off": [
    ["go-sumdb-on", "mandatory", "env-gosumdb-off env-gosumdb-off.Dockerfile final stage (FROM at line 1, the image's environment): GOSUMDB=off turns off checksum verification of every module not already in go.sum. Fix: Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."],
  ],
  "exec-form": [
    ["go-flags-no-mod-mod", "mandatory", "exec-form exec-form.Dockerfile line 2 (RUN go build): GOFLAGS=-mod=mod sets -mod=mod: go build and go test may then rewrite go.mod and go.sum on their own. Fix: Use -mod=readonly (the default) or -mod=vendor."],
    ["go-install-pinned", "mandatory", "exec-form exec-form.Dockerfile line 2 (RUN go get): go get -u ./... upgrades ./... and its dependencies to their newest versions when the image builds. Fix: drop -u and name each module with an exact version, go get module@vX.Y.Z (go.mod and go.sum then pin the rest)."],
  ],
  "go-env-w": [
    ["go-sumdb-on", "mandatory", "go-env-w go-env-w.Dockerfile line 4 (RUN go build): GOSUMDB=off turns off checksum verification of every module not already in go.sum. Fix: Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."],
  ],
  "go-install-latest": [
    ["go-install-pinned", "mandatory", "go-install-latest go-install-latest.Dockerfile line 2 (RUN go install): go install honnef.co/go/tools/cmd/staticcheck@latest resolves @latest to whatever is newest when the image builds, so two builds of the same Dockerfile can compile different code. Fix: pin honnef.co/go/tools/cmd/staticcheck to a released version (@vX.Y.Z) or a full 40-hex commit."],
  ],
  "golang-minor-arg": [
    ["go-version-exact-release", "mandatory", "golang-minor-arg build args: GO_VERSION \"1.26\" is a minor series, not a release: pin a patch such as 1.26.7. Fix: Set GO_VERSION to an exact release the environment allows: 1.26.7."],
    ["golang-image-full-patch", "mandatory", "golang-minor-arg golang-minor-arg.Dockerfile line 3 (FROM golang:${GO_VERSION}): image golang:1.26 has tag 1.26: \"1.26\" is a minor series, not a release: pin a patch such as 1.26.7; the tag moves to each new Go release. Fix: use golang:1.26.7[-variant] from the lock, pinned by @sha256 digest."],
    ["image-pinned-by-digest", "mandatory", "golang-minor-arg golang-minor-arg.Dockerfile line 3 (FROM golang:${GO_VERSION}): image golang:1.26 is not pinned by digest. Fix: use golang:1.26@sha256:<digest>."],
    ["one-go-version", "mandatory", "golang-minor-arg build args GO_VERSION: \"1.26\" is a minor series, not a release: pin a patch such as 1.26.7; the stack names 3 Go versions (1.26.7, 1.27.0, 1.26). Fix: use 1.26.7 everywhere."],
  ],
  "golang-rc": [
    ["golang-image-full-patch", "mandatory", "golang-rc golang-rc.Dockerfile line 3 (FROM): image golang:1.27rc1-bookworm@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818 has tag 1.27rc1-bookworm: \"1.27rc1\" is a pre-release, allowed only where the environment allows pre-releases: pin a stable release such as 1.27.0. Fix: use golang:1.26.7[-variant] from the lock, pinned by @sha256 digest."],
  ],
  "golang-unlocked-digest": [
    ["one-go-version", "mandatory", "golang-unlocked-digest golang-unlocked-digest.Dockerfile line 4 (FROM) image golang:1.27.0@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818: Go 1.27.0 is a release, but the lock allows only 1.26.7; the stack names 3 Go versions (1.26.7, 1.27.0, 1.26). Fix: use 1.26.7 everywhere."],
  ],
  "inline-insecure": [
    ["go-flags-no-insecure", "mandatory", "inline-insecure inline-insecure.Dockerfile line 2 (RUN go build): GOFLAGS=-insecure contains -insecure: Go no longer supports -insecure (go get stops with \"use GOINSECURE instead\"); it only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS."],
  ],
  // A variable named __proto__ (ENV, ARG, the shell's own) is a variable like any other for sh and BuildKit.
  "proto-arg-insecure": [
    ["go-flags-no-insecure", "mandatory", "proto-arg-insecure proto-arg-insecure.Dockerfile line 3 (RUN go build): GOFLAGS=-insecure contains -insecure: Go no longer supports -insecure (go get stops with \"use GOINSECURE instead\"); it only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS."],
  ],
  "proto-env-insecure": [
    ["go-flags-no-insecure", "mandatory", "proto-env-insecure proto-env-insecure.Dockerfile line 4 (RUN go build): GOFLAGS=-insecure contains -insecure: Go no longer supports -insecure (go get stops with \"use GOINSECURE instead\"); it only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS."],
  ],
  "proto-shell-insecure": [
    ["go-flags-no-insecure", "mandatory", "proto-shell-insecure proto-shell-insecure.Dockerfile line 2 (RUN go build): GOFLAGS=-insecure contains -insecure: Go no longer supports -insecure (go get stops with \"use GOINSECURE instead\"); it only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS."],
  ],
  // An assignment before any command (make, a script) reaches the go that command runs.
  "inline-other-command": [
    ["go-flags-no-mod-mod", "mandatory", "inline-other-command inline-other-command.Dockerfile line 4 (RUN build.sh): GOFLAGS=-mod=mod sets -mod=mod: go build and go test may then rewrite go.mod and go.sum on their own. Fix: Use -mod=readonly (the default) or -mod=vendor."],
    ["go-private-patterns-narrow", "mandatory", "inline-other-command inline-other-command.Dockerfile line 3 (RUN make): GONOSUMDB pattern \"*\" matches every module path (such as github.com/stretchr/testify); Go skips the checksum database for every module it matches. Fix: Set GONOSUMDB=git.corp.example."],
  ],
  "install-branch": [
    ["go-install-pinned", "mandatory", "install-branch install-branch.Dockerfile line 2 (RUN go install): go install github.com/golangci/golangci-lint/cmd/golangci-lint@master names the branch or tag \"master\", which can move to other code between builds. Fix: pin github.com/golangci/golangci-lint/cmd/golangci-lint to a released version (@vX.Y.Z) or a full 40-hex commit."],
    ["go-install-pinned", "mandatory", "install-branch install-branch.Dockerfile line 2 (RUN go run): go run golang.org/x/vuln/cmd/govulncheck@main names the branch or tag \"main\", which can move to other code between builds. Fix: pin golang.org/x/vuln/cmd/govulncheck to a released version (@vX.Y.Z) or a full 40-hex commit."],
  ],
  "legacy-env": [
    ["go-toolchain-local", "mandatory", "legacy-env legacy-env.Dockerfile final stage (FROM at line 1, the image's environment): GOTOOLCHAIN=auto (local+auto) lets a module's go or toolchain line make Go download and run another toolchain. Fix: Set GOTOOLCHAIN=local so builds use only the verified toolchain in the image."],
  ],
  "missing-dockerfile": [
    ["dockerfile-readable", "mandatory", "missing-dockerfile the default Dockerfile of build.context \"test/fixtures/dockerfiles/no-such-service\" (test/fixtures/dockerfiles/no-such-service/Dockerfile) cannot be read: no such file in the program's working directory, so no Dockerfile rule can judge what this image builds. Fix: build from a Dockerfile committed in the project, named by a known build.dockerfile (or <context>/Dockerfile), with a local build.context."],
  ],
  "printed-hash": [
    ["go-download-verified", "mandatory", "printed-hash printed-hash.Dockerfile line 4 (curl go1.26.7.linux-amd64.tar.gz): sha256sum only prints the archive's hash; nothing compares it, so a tampered archive is used anyway. Fix: echo \"ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca  go.tgz\" | sha256sum -c - before extracting it (or ADD --checksum=sha256:ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca)."],
  ],
  "remote-context": [
    ["dockerfile-readable", "mandatory", "remote-context build.context \"https://github.com/acme/svc.git#main\" is a remote context, which cannot be judged offline, so no Dockerfile rule can judge what this image builds. Fix: build from a Dockerfile committed in the project, named by a known build.dockerfile (or <context>/Dockerfile), with a local build.context."],
  ],
};

describe("Dockerfile rules in prod", () => {
  let by: Expected;
  let code: number;
  beforeAll(async () => {
    ({ by, code } = await violationsByResource("dockerfiles.ts"));
  }, 120_000);

  test.each(["happy", "add-checksum-ok", "db-copy-by-digest", "remote-by-digest"])("the compliant image %s stays quiet", (name) => {
    expect(by[name]).toBeUndefined();
  });

  test.each(Object.keys(expected))("%s fires exactly its rule(s)", (name) => {
    expect(by[name]).toEqual(expected[name]);
  });

  test("nothing else fires, and prod refuses the stack", () => {
    // Findings on a resource only: the stack-wide ones (about the lock's records, not about any
    // Dockerfile) are pinned by their own rules' tests.
    expect(Object.keys(by).filter((k) => k !== "(stack)").sort()).toEqual(Object.keys(expected).sort());
    expect(code).toBe(1);
  });
});

describe("Dockerfile rules in dev", () => {
  let by: Expected;
  beforeAll(async () => {
    ({ by } = await violationsByResource("dockerfiles.ts", "dev"));
  }, 120_000);

  test("an unreadable Dockerfile or a remote context is advisory in dev", () => {
    expect(by["missing-dockerfile"]).toEqual([["dockerfile-readable", "advisory", expected["missing-dockerfile"][0][2]]]);
    expect(by["remote-context"]).toEqual([["dockerfile-readable", "advisory", expected["remote-context"][0][2]]]);
  });

  test("the copy of an unpinned source is shown in dev too, at the same (advisory) level", () => {
    expect(by["db-copy-by-tag"]).toEqual(expected["db-copy-by-tag"]);
  });

  test("dev's lock allows 1.27.0, so the digest-pinned golang:1.27.0 passes there", () => {
    expect(by["golang-unlocked-digest"]).toBeUndefined();
  });

  test("dev allows pre-releases, so golang:1.27rc1 passes there (prod refuses it as a pre-release)", () => {
    expect(by["golang-rc"]).toBeUndefined();
  });
});
