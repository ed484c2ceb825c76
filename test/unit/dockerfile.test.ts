// The Dockerfile reader (pure): BuildKit's words and substitution, ARG/ENV scopes, heredocs, exec
// form, shell semantics of RUN (export, inline, env, go env -w), module queries, Go archive
// downloads and their checks. Exact facts per construct, and properties over generated input.
import fc from "fast-check";
import { dockerfileFacts, goArchiveName } from "../../policies/lib/dockerfile";
import { expandWord, logicalLine, parseEnvPairs } from "../../policies/lib/dockerfile-words";

const BASE = "FROM debian:bookworm-slim@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818\n";
const SUM = "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca";
const goSettings = (text: string, args: Record<string, string> = {}) =>
  // Per go run; the final stage's entry is tested on its own below.
  dockerfileFacts(text, args).goSources.filter((s) => !s.where.startsWith("Dockerfile final stage")).map((s) => [s.where, Object.fromEntries(Object.entries(s.settings).filter(([k]) => k.startsWith("GO") || k === "CGO_ENABLED"))]);

describe("BuildKit words", () => {
  test.each<[string, Record<string, string>, string, string[]]>([
    ["$V", { V: "x" }, "x", []],
    ["${V}", { V: "x" }, "x", []],
    ["${V:-d}", { V: "" }, "d", []],
    ["${V-d}", { V: "" }, "", []],
    ["${V:-d}", {}, "d", []],
    ["${V:+a}", { V: "x" }, "a", []],
    ["${V:+a}", {}, "", []],
    ["${V+a}", { V: "" }, "a", []],
    ["'$V'", { V: "x" }, "$V", []],
    ['"a $V b"', { V: "x" }, "a x b", []],
    ["\\$V", { V: "x" }, "$V", []],
    ["$MISSING/x", {}, "/x", ["MISSING"]],
  ])("expandWord(%j, %j) = %j", (word, vars, value, unresolved) => {
    expect(expandWord(word, vars, "\\")).toEqual({ value, unresolved });
  });

  test("continuations drop comment and empty lines; the escape directive changes the continuation character", () => {
    expect(logicalLine(["go build \\", "  # why", "", "  ./..."], "\\")).toEqual({ text: "go build   ./...", used: 4 });
    expect(logicalLine(["go build `", "  ./..."], "`")).toEqual({ text: "go build   ./...", used: 2 });
  });

  test.each<[string, Array<[string, string]>]>([
    ["A=1 B=\"x y\"", [["A", "1"], ["B", '"x y"']]],
    ["GOFLAGS -mod=mod -trimpath", [["GOFLAGS", "-mod=mod -trimpath"]]],
  ])("ENV %s", (text, pairs) => {
    expect(parseEnvPairs(text, "\\")).toEqual({ pairs });
  });
});

describe("effective Go settings per go run", () => {
  test.each<[string, string, Record<string, string>, Array<[string, Record<string, string>]>]>([
    ["ENV, key=value form", 'ENV GOSUMDB=off GOFLAGS="-mod=readonly -trimpath"\nRUN go build ./...', {}, [["Dockerfile line 3 (RUN go build)", { GOSUMDB: "off", GOFLAGS: "-mod=readonly -trimpath" }]]],
    ["ENV, legacy form", "ENV GOFLAGS -mod=mod\nRUN go build", {}, [["Dockerfile line 3 (RUN go build)", { GOFLAGS: "-mod=mod" }]]],
    ["ENV beats ARG", "ARG GOPROXY=direct\nENV GOPROXY=https://p.example\nRUN go build", {}, [["Dockerfile line 4 (RUN go build)", { GOPROXY: "https://p.example" }]]],
    ["a build arg overrides a declared ARG", "ARG GOSUMDB=sum.golang.org\nRUN go build", { GOSUMDB: "off" }, [["Dockerfile line 3 (RUN go build)", { GOSUMDB: "off" }]]],
    ["a build arg without an ARG does nothing", "RUN go build", { GOSUMDB: "off" }, [["Dockerfile line 2 (RUN go build)", {}]]],
    ["inline and env", "RUN GOFLAGS=-insecure go build && env GOPROXY=direct go test ./...", {}, [["Dockerfile line 2 (RUN go build)", { GOFLAGS: "-insecure" }], ["Dockerfile line 2 (RUN go test)", { GOPROXY: "direct" }]]],
    ["export applies to later commands of the same RUN only", "RUN export GOSUMDB=off; go build\nRUN go vet", {}, [["Dockerfile line 2 (RUN go build)", { GOSUMDB: "off" }], ["Dockerfile line 3 (RUN go vet)", {}]]],
    ["a subshell's export ends with it", "RUN (export GOSUMDB=off) && go build", {}, [["Dockerfile line 2 (RUN go build)", {}]]],
    ["go env -w persists; ENV beats it", "ENV GOPROXY=https://p.example\nRUN go env -w GOSUMDB=off GOPROXY=direct\nRUN go build", {}, [["Dockerfile line 4 (RUN go build)", { GOSUMDB: "off", GOPROXY: "https://p.example" }]]],
    ["heredoc script", "RUN <<EOF\nexport GOSUMDB=off\ngo build\nEOF", {}, [["Dockerfile line 2 (RUN go build)", { GOSUMDB: "off" }]]],
    ["<<- heredoc fed to bash", "RUN <<-EOT bash\n\texport GONOSUMDB=*\n\tgo build\n\tEOT", {}, [["Dockerfile line 2 (RUN go build)", { GONOSUMDB: "*" }]]],
    ["exec form through sh -c", 'RUN ["sh", "-c", "GOINSECURE=* go mod download"]', {}, [["Dockerfile line 2 (RUN go mod)", { GOINSECURE: "*" }]]],
    ["exec form go env -w", 'RUN ["go", "env", "-w", "GOTOOLCHAIN=auto"]\nRUN go build', {}, [["Dockerfile line 3 (RUN go build)", { GOTOOLCHAIN: "auto" }]]],
  ])("%s", (_name, body, args, expected) => {
    expect(goSettings(BASE.replace("FROM ", "FROM ") + body, args)).toEqual(expected);
  });

  test("a global ARG reaches RUN only when the stage declares it again (and then with the global value)", () => {
    expect(goSettings(`ARG GOSUMDB=off\n${BASE}RUN go build\nARG GOSUMDB\nRUN go test`)).toEqual([
      ["Dockerfile line 3 (RUN go build)", {}],
      ["Dockerfile line 5 (RUN go test)", { GOSUMDB: "off" }],
    ]);
  });

  test("SHELL through env(1): its assignments reach shell-form RUNs, heredoc bodies and later stages, not exec-form RUNs", () => {
    const text = `${BASE.trim()} AS build\nSHELL ["/usr/bin/env", "-u", "X", "GOSUMDB=off", "/bin/sh", "-c"]\nRUN go mod download\nRUN ["go", "build"]\nFROM build\nRUN <<EOF\ngo vet ./...\nEOF\nSHELL ["/bin/sh", "-c"]\nRUN go test ./...`;
    expect(goSettings(text)).toEqual([
      ["Dockerfile line 3 (RUN go mod; GOSUMDB from the SHELL instruction's env)", { GOSUMDB: "off" }],
      ["Dockerfile line 4 (RUN go build)", {}],
      ["Dockerfile line 6 (RUN go vet; GOSUMDB from the SHELL instruction's env)", { GOSUMDB: "off" }],
      ["Dockerfile line 10 (RUN go test)", {}],
    ]);
  });

  test("a stage that installed a Go archive runs go with GOTOOLCHAIN=auto (the archive's go.env) unless the build sets it", () => {
    const text = `${BASE}ADD --checksum=sha256:${SUM} https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz /tmp/go.tgz\nRUN tar -C /usr/local -xzf /tmp/go.tgz && go mod download\nENV GOTOOLCHAIN=local\nRUN go build`;
    expect(goSettings(text)).toEqual([
      ["Dockerfile line 3 (RUN go mod; GOTOOLCHAIN unset, so the Go archive's go.env gives auto)", { GOTOOLCHAIN: "auto" }],
      ["Dockerfile line 5 (RUN go build)", { GOTOOLCHAIN: "local" }],
    ]);
  });

  test("ENV and go env -w are inherited by a stage built FROM another", () => {
    const text = `${BASE.trim()} AS build\nENV GOSUMDB=off\nRUN go env -w GOFLAGS=-mod=mod\nFROM build\nRUN go build`;
    expect(goSettings(text)).toEqual([["Dockerfile line 5 (RUN go build)", { GOSUMDB: "off", GOFLAGS: "-mod=mod" }]]);
  });

  test("the final stage of an image that installs Go is a complete environment: ENV over the go env file, no ARGs; a golang base is not (its own ENV is unknown offline)", () => {
    const installs = `${BASE.trim()} AS tc\nADD --checksum=sha256:${SUM} https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz /tmp/go.tgz\nARG GOPROXY=direct\nENV GOTOOLCHAIN=local\nRUN go env -w GOSUMDB=off\nFROM scratch AS final\nCOPY --from=0 /usr/local/go /usr/local/go\nFROM tc\n`;
    expect(dockerfileFacts(installs, {}).goSources.filter((s) => s.complete)).toEqual([{ where: "Dockerfile final stage (FROM at line 8, the image's environment)", line: 8, settings: { GOSUMDB: "off", GOTOOLCHAIN: "local" }, complete: true }]);
    expect(dockerfileFacts("FROM golang:1.26.7\nENV GOTOOLCHAIN=local\nRUN go env -w GOSUMDB=off", {}).goSources.filter((s) => s.complete)).toEqual([]);
  });
});

test("any other image's final stage is judged as a fragment when its ENV or go env file sets Go settings", () => {
  expect(dockerfileFacts(`${BASE}ENV GOSUMDB=off\nRUN go env -w GOFLAGS=-mod=mod`, {}).goSources.filter((s) => s.where.startsWith("Dockerfile final stage"))).toEqual([
    { where: "Dockerfile final stage (FROM at line 1, the image's environment)", line: 1, settings: { GOSUMDB: "off", GOFLAGS: "-mod=mod" } },
  ]);
  expect(dockerfileFacts(`${BASE}ENV PATH=/usr/local/go/bin:/usr/bin\n`, {}).goSources).toEqual([]);
});

describe("images", () => {
  test("FROM sees global ARGs (build args override), stage names and scratch are not images, COPY --from=<image> is", () => {
    const f = dockerfileFacts("ARG GO_VERSION=1.26\nFROM golang:${GO_VERSION} AS build\nFROM scratch\nCOPY --from=build /a /a\nCOPY --from=busybox:1.36 /b /b", { GO_VERSION: "1.26.7" });
    expect(f.images).toEqual([
      { ref: "golang:1.26.7", written: "golang:${GO_VERSION}", line: 2, via: "FROM" },
      { ref: "busybox:1.36", written: "busybox:1.36", line: 5, via: "COPY --from" },
    ]);
  });
});

describe("module queries", () => {
  test.each<[string, Array<[string, string | undefined]>]>([
    ["RUN go install golang.org/x/tools/cmd/goimports@v0.24.0", [["golang.org/x/tools/cmd/goimports", "v0.24.0"]]],
    ["RUN go install -ldflags=-s example.com/a@latest example.com/b@master", [["example.com/a", "latest"], ["example.com/b", "master"]]],
    ["RUN go run example.com/gen@main -out x@y", [["example.com/gen", "main"]]],
    ["RUN go get -u ./...", [["./...", undefined]]],
    ["RUN go get example.com/lib", [["example.com/lib", undefined]]],
    ["RUN go install ./cmd/app", []],
    ['RUN ["go", "install", "example.com/a@' + "0123456789abcdef0123456789abcdef01234567" + '"]', [["example.com/a", "0123456789abcdef0123456789abcdef01234567"]]],
  ])("%s", (run, expected) => {
    expect(dockerfileFacts(BASE + run, {}).queries.map((q) => [q.target, q.version])).toEqual(expected);
  });
});

describe("Go archive downloads", () => {
  const dl = (body: string, args: Record<string, string> = {}) => dockerfileFacts(BASE + body, args).downloads.map((d) => ({ url: d.url, problem: d.problem, check: d.check }));
  test.each<[string, string, Record<string, string>, unknown]>([
    ["checked with sha256sum -c from echo", `RUN curl -fsSLo go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz && echo "${SUM}  go.tgz" | sha256sum -c - && tar -xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 2, how: "sha256sum -c", sum: SUM } }]],
    ["URL and sum from ARGs", 'ARG V=1.26.7\nARG S\nRUN wget -O /tmp/go.tgz "https://dl.google.com/go/go${V}.linux-amd64.tar.gz" && echo "${S} */tmp/go.tgz" | sha256sum --check && tar -C /usr/local -xzf /tmp/go.tgz', { S: SUM }, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 4, how: "sha256sum -c", sum: SUM } }]],
    ["equality test", `RUN curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz && [ "$(sha256sum go.tgz | cut -d' ' -f1)" = "${SUM}" ] && tar -xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 2, how: "equality test", sum: SUM } }]],
    ["printing a hash", "RUN curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz && sha256sum go.tgz && tar -xzf go.tgz", {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: "printed-only", check: undefined }]],
    ["streamed into tar", "RUN curl -fsSL https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz | tar -C /usr/local -xz", {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: "extracted-before-check", check: undefined }]],
    ["checked after extracting", `RUN curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz && tar -xzf go.tgz && echo "${SUM}  go.tgz" | sha256sum -c -`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: "extracted-before-check", check: undefined }]],
    ["a sum file written earlier", `RUN echo "${SUM}  go.tgz" > go.sha256\nRUN curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz && sha256sum -c go.sha256 && tar xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 3, how: "sha256sum -c", sum: SUM } }]],
    ["ADD --checksum", `ADD --checksum=sha256:${SUM} https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz /tmp/go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 2, how: "ADD --checksum", sum: SUM } }]],
    ["a check whose failure is swallowed by || true", `RUN curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz && (echo "${SUM}  go.tgz" | sha256sum -c - || true) && tar -xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: "check-ignored", check: undefined }]],
    ["a check followed by ; without set -e", `RUN curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz; echo "${SUM}  go.tgz" | sha256sum -c -; tar -xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: "check-ignored", check: undefined }]],
    ["the same with set -e", `RUN set -eu; curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz; echo "${SUM}  go.tgz" | sha256sum -c -; tar -xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 2, how: "sha256sum -c", sum: SUM } }]],
    ["the same under SHELL with -e", `SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz; echo "${SUM}  go.tgz" | sha256sum -c -; tar -xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 3, how: "sha256sum -c", sum: SUM } }]],
    ["|| exit 1 handles the failure", `RUN curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz; echo "${SUM}  go.tgz" | sha256sum -c - || exit 1; tar -xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 2, how: "sha256sum -c", sum: SUM } }]],
    ["a case branch picks the platform's sum; != comparison of a hashed variable", `ARG TARGETARCH=amd64\nRUN curl -o go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz && case "$TARGETARCH" in amd64) want=${SUM} ;; arm64) want=5a4ec883379d51ee9ce1040d5e87f8d35e20387574dd8c947feb01eabc3c1b37 ;; esac && got="$(sha256sum go.tgz | cut -d' ' -f1)" && if [ "$got" != "$want" ]; then exit 1; fi && tar -xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 3, how: "equality test", sum: SUM } }]],
    ["a URL with an ARG that has no value", `ARG GO_VERSION\nRUN curl -o go.tgz "https://dl.google.com/go/go\${GO_VERSION}.linux-amd64.tar.gz" && echo "${SUM}  go.tgz" | sha256sum -c - && tar -xzf go.tgz`, {}, [{ url: "https://dl.google.com/go/go.linux-amd64.tar.gz", problem: undefined, check: { line: 3, how: "sha256sum -c", sum: SUM } }]],
    // go.dev's .sha256 files sit beside the archives: a check against one proves only that both came from the same server.
    ["a sum read from a file fetched beside the archive", `RUN set -e; curl -o /tmp/go.tgz https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz; curl -o /tmp/go.tgz.sha256 https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz.sha256; echo "$(cat /tmp/go.tgz.sha256) */tmp/go.tgz" | sha256sum -c -; tar -xzf /tmp/go.tgz`, {}, [{ url: "https://dl.google.com/go/go1.26.7.linux-amd64.tar.gz", problem: undefined, check: { line: 2, how: "sha256sum -c", sumFrom: "cat /tmp/go.tgz.sha256" } }]],
    ["ADD without a check", "ADD https://dl.google.com/go/go1.27.0.linux-arm64.tar.gz /tmp/", {}, [{ url: "https://dl.google.com/go/go1.27.0.linux-arm64.tar.gz", problem: "never-checked", check: undefined }]],
  ])("%s", (_n, body, args, expected) => {
    expect(dl(body, args)).toEqual(expected);
  });

  test.each<[string, { version: string; platform: string } | undefined]>([
    ["go1.26.7.linux-amd64.tar.gz", { version: "1.26.7", platform: "linux/amd64" }],
    ["go1.27rc1.darwin-arm64.tar.gz", { version: "1.27rc1", platform: "darwin/arm64" }],
    ["go1.26.linux-amd64.tar.gz", { version: "1.26", platform: "linux/amd64" }],
    ["go1.26.7.src.tar.gz", undefined],
    ["go.linux-amd64.tar.gz", undefined],
    ["gotestsum_1.12.0_linux_amd64.tar.gz", undefined],
  ])("goArchiveName(%s)", (name, expected) => {
    expect(goArchiveName(name)).toEqual(expected);
  });
});

describe("names that are Object.prototype's own (sh and BuildKit know no such thing)", () => {
  const NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty"];
  test.each(NAMES)("a variable named %s carries its value into a go command (ENV, ARG, shell, export)", (name) => {
    const forms = [
      `FROM golang:1.26.7\nENV ${name}=-insecure\nRUN GOFLAGS=$${name} go build ./...`,
      `FROM golang:1.26.7\nARG ${name}=-insecure\nRUN GOFLAGS=$${name} go build ./...`,
      `FROM golang:1.26.7\nRUN ${name}=-insecure; GOFLAGS=$${name} go build ./...`,
      `FROM golang:1.26.7\nRUN export ${name}=-insecure; export GOFLAGS="$${name}"; go build ./...`,
    ];
    expect(forms.map((t) => dockerfileFacts(t, {}).settings.GOFLAGS)).toEqual(["-insecure", "-insecure", "-insecure", "-insecure"]);
  });
  test.each(NAMES)("a checksum file named %s is read back as a file named sums is", (name) => {
    const text = (file: string) => `FROM debian:bookworm-slim\nRUN wget -O go.tgz https://go.dev/dl/go1.26.7.linux-amd64.tar.gz && echo "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca  go.tgz" > ${file} && sha256sum -c ${file} && tar -C /usr/local -xzf go.tgz`;
    const downloads = dockerfileFacts(text(name), {}).downloads;
    expect(downloads).toEqual(dockerfileFacts(text("sums"), {}).downloads);
    expect(downloads[0].check).toEqual({ line: 2, how: "sha256sum -c", sum: "ffb5f8de10c62550dfddab66b36b57030721e0a44a3218e9e1181d7b59f121ca" });
  });
});

describe("fail closed", () => {
  test("a RUN the shell cannot parse is a problem, not an exception", () => {
    expect(dockerfileFacts(`${BASE}RUN if true; then go build`, {}).problems).toEqual([{ line: 2, message: 'the shell cannot parse this RUN (script line 1:1: if statement must end with "fi"), so what it runs cannot be judged' }]);
  });
});

describe("properties", () => {
  const name = fc.constantFrom("GOSUMDB", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN", "GONOSUMDB");
  const value = fc.stringMatching(/^[A-Za-z0-9_.:/*,=+-]{1,12}$/);
  test("any ENV written in key=value form, legacy form, or split by continuations yields the same settings", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, value), { minLength: 1, maxLength: 4, selector: (t) => t[0] }), fc.boolean(), (pairs, split) => {
        const expected = Object.fromEntries(pairs);
        const kv = `ENV ${pairs.map(([k, v]) => `${k}="${v}"`).join(split ? " \\\n    " : " ")}`;
        const legacy = pairs.map(([k, v]) => `ENV ${k} ${v}`).join("\n");
        for (const body of [kv, legacy]) expect(dockerfileFacts(`${BASE}${body}\nRUN go build`, {}).goSources[0].settings).toEqual(expected);
      }),
    );
  });

  test("the reader never throws on arbitrary text: it returns facts (parse problems included)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 80 }), (junk, run) => {
        const f = dockerfileFacts(`${junk}\n${BASE}RUN ${run}\nRUN <<EOF\n${run}\nEOF\n`, {});
        expect(Array.isArray(f.problems)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("which Dockerfile a docker.Image builds (as the Docker provider resolves it)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { imageDockerfile } = require("../../policies/lib/resources") as typeof import("../../policies/lib/resources");
  const fs = require("fs") as typeof import("fs");
  const os = require("os") as typeof import("os");
  const path = require("path") as typeof import("path");
  let project: string;
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-df-"));
    fs.mkdirSync(path.join(project, "app"));
    fs.writeFileSync(path.join(project, "app", "Dockerfile"), `${BASE}ENV GOSUMDB=off\n`);
    fs.writeFileSync(path.join(project, "build.Dockerfile"), `${BASE}ENV GOFLAGS=-mod=mod\n`);
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  // The props proxy of @pulumi/policy throws an error of this class on values unknown during preview.
  class UnknownValueError extends Error {}
  const unknownAt = (key: string, rest: Record<string, unknown>) =>
    new Proxy(rest, { get: (t, k) => { if (k === key) throw new UnknownValueError(key); return (t as Record<string | symbol, unknown>)[k]; } });

  test.each<[string, unknown, { shown: string; unreadable?: string; settings?: Record<string, string> }]>([
    ["only build.context: <context>/Dockerfile", { build: { context: "app" } }, { shown: "Dockerfile", settings: { GOSUMDB: "off" } }],
    ["build.dockerfile relative to the project, not to the context", { build: { context: "app", dockerfile: "build.Dockerfile" } }, { shown: "build.Dockerfile", settings: { GOFLAGS: "-mod=mod" } }],
    ["build.dockerfile written relative to the context does not exist", { build: { context: "app", dockerfile: "Dockerfile" } }, { shown: "Dockerfile", unreadable: 'build.dockerfile "Dockerfile" cannot be read: no such file in the program\'s working directory (the Docker provider reads build.dockerfile relative to it, not to build.context)' }],
    ["no build.context: the program\'s working directory", { build: {} }, { shown: "Dockerfile", unreadable: 'the default Dockerfile of build.context "." (Dockerfile) cannot be read: no such file in the program\'s working directory' }],
    ["a remote context", { build: { context: "git@github.com:acme/svc.git" } }, { shown: "git@github.com:acme/svc.git", unreadable: 'build.context "git@github.com:acme/svc.git" is a remote context, which cannot be judged offline' }],
    ["build.context unknown during preview", { build: unknownAt("context", {}) }, { shown: "build.context", unreadable: "build.context is unknown during preview" }],
    ["build.dockerfile unknown during preview", { build: unknownAt("dockerfile", { context: "app" }) }, { shown: "build.dockerfile", unreadable: "build.dockerfile is unknown during preview" }],
  ])("%s", (_n, props, expected) => {
    const df = imageDockerfile(props, { projectDir: project })!;
    expect({ shown: df.shown, ...(df.unreadable !== undefined ? { unreadable: df.unreadable } : { settings: df.facts.settings }) }).toEqual(expected);
  });

  test("a relative path with no known working directory is unreadable, never guessed from the process's current directory", () => {
    expect(imageDockerfile({ build: { context: "app" } }, { projectDir: undefined })?.unreadable).toBe('the default Dockerfile of build.context "app" (app/Dockerfile) is relative to the program\'s working directory, which the policy pack cannot locate');
  });
});
