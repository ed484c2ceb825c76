// Dockerfile rules through the real handlers, in prod: FROM with ARG defaults resolved through the
// build args (T1, T4, T5), COPY --from=<image> (T5), go install @latest (T9), the toolchain download
// (T10), Go settings in ENV and inline RUN (G1, G4), and one Go version per stack (T7).
import { violationsByResource, Expected } from "./helpers";

const expected: Expected = {
  "copy-from-tag": [
    ["image-pinned-by-digest", "mandatory", "copy-from-tag Dockerfile line 2 (COPY --from): image busybox:1.36 is not pinned by digest. Fix: use busybox:1.36@sha256:<digest>."],
  ],
  "download-http": [
    ["go-download-verified", "mandatory", "download-http Dockerfile line 2: the Go archive is downloaded over plain http (http://mirror.corp.example/go/go1.26.7.linux-amd64.tar.gz). Fix: use https."],
  ],
  "download-unverified": [
    ["go-download-verified", "mandatory", "download-unverified Dockerfile line 2: the Go archive is never checked with sha256sum before it is extracted. Fix: verify it against the locked sha256 first."],
  ],
  "env-gosumdb-off": [
    ["go-sumdb-on", "mandatory", "env-gosumdb-off Dockerfile dockerfiles/env-gosumdb-off.Dockerfile: GOSUMDB=off turns off checksum verification of every module not already in go.sum. Fix: Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."],
  ],
  "go-install-latest": [
    ["go-install-pinned", "mandatory", "go-install-latest Dockerfile line 2: go install honnef.co/go/tools/cmd/staticcheck@latest is not pinned. Fix: use @vX.Y.Z or a full commit hash."],
  ],
  "golang-minor-arg": [
    ["go-version-exact-release", "mandatory", "golang-minor-arg build args: GO_VERSION \"1.26\" is a minor series, not a release: pin a patch such as 1.26.7. Fix: Set GO_VERSION to an exact release the environment allows: 1.26.7."],
    ["golang-image-full-patch", "mandatory", "golang-minor-arg Dockerfile line 3 (FROM golang:${GO_VERSION}): image golang:1.26 is not tagged with a full Go patch release. Fix: use golang:<X.Y.Z>[-variant] matching the lock, pinned by digest."],
    ["image-pinned-by-digest", "mandatory", "golang-minor-arg Dockerfile line 3 (FROM golang:${GO_VERSION}): image golang:1.26 is not pinned by digest. Fix: use golang:1.26@sha256:<digest>."],
    ["one-go-version", "mandatory", "golang-minor-arg build args GO_VERSION: the stack names 2 Go versions: 1.26.7 (happy build args GO_VERSION), 1.26 (golang-minor-arg build args GO_VERSION). Fix: use 1.26.7 everywhere."],
  ],
  "inline-insecure": [
    ["go-flags-no-insecure", "mandatory", "inline-insecure Dockerfile dockerfiles/inline-insecure.Dockerfile: GOFLAGS contains -insecure: the flag was removed in Go 1.17 and only ever served to skip TLS and checksum checks. Fix: Remove -insecure from GOFLAGS."],
  ],
};

describe("Dockerfile rules in prod", () => {
  let by: Expected;
  beforeAll(async () => {
    ({ by } = await violationsByResource("dockerfiles.ts"));
  });

  test("the compliant hand-written Dockerfile stays quiet", () => {
    expect(by.happy).toBeUndefined();
  });

  test.each(Object.keys(expected))("%s fires exactly its rule(s)", (name) => {
    expect(by[name]).toEqual(expected[name]);
  });

  test("nothing else fires", () => {
    expect(Object.keys(by).sort()).toEqual(Object.keys(expected).sort());
  });
});
