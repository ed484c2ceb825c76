// Weakness: ENV GOENV=/etc/go/env and `COPY ci/go.env /etc/go/env`: the go env configuration file comes from
// the build context (ci/go.env) and says GOPRIVATE=* (no ENV sets GONOSUMDB/GONOPROXY/GOPRIVATE). cmd/go reads
// the GOENV file for every variable not in its environment, and GOPRIVATE is the default for GONOSUMDB and
// GONOPROXY: every module is fetched directly and never verified.
// Source: go help environment (GOENV: "The location of the Go environment configuration file") ; https://go.dev/ref/mod#private-modules (GOPRIVATE defaults) ; https://docs.docker.com/reference/dockerfile/#copy
// Expected: refused in prod; the violation sits on "svc-goenv-file" and names GOPRIVATE, *, ci/go.env.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-goenv-file", {
  imageName: "registry.corp.example/team/svc-goenv-file:1.4.2",
  build: { context: path.join(__dirname, "docker-goenv-context-file"), platform: "linux/amd64" },
  skipPush: true,
});
