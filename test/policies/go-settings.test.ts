// Go settings rows through the real handlers, in prod: T2, G3, G5, G6, G7 on ConfigMap data and
// build args, G8 on a published go-env; the baseline ConfigMap stays quiet. (T1, T3, T8, G1, G2, G4
// fire through the handlers in the corpus and the Dockerfile tests.)
import { violationsByResource, Expected } from "./helpers";

const expected: Expected = {
  "g3-goinsecure": [
    ["go-insecure-unset", "mandatory", "g3-goinsecure data: GOINSECURE=git.corp.example: Go fetches modules it matches directly over plain HTTP or without validating TLS certificates. Fix: Unset GOINSECURE and serve the module over TLS (through the environment's proxy)."],
  ],
  "g5-mod-mod": [
    ["go-flags-no-mod-mod", "mandatory", "g5-mod-mod data: GOFLAGS=\"-mod=mod -trimpath\" sets -mod=mod: go build and go test may then rewrite go.mod and go.sum on their own. Fix: Use -mod=readonly (the default) or -mod=vendor."],
  ],
  "g6-direct-fallback": [
    ["go-proxy-own-first", "mandatory", "g6-direct-fallback data: GOPROXY=http://athens.goproxy.svc.cluster.local,direct falls back to direct when http://athens.goproxy.svc.cluster.local answers 404 or 410: Go then fetches modules straight from their version control hosts, bypassing the environment's proxy. Fix: Set GOPROXY=http://athens.goproxy.svc.cluster.local."],
  ],
  "g7-nosumcheck": [
    ["go-nosumcheck-absent", "advisory", "g7-nosumcheck data: GONOSUMCHECK is not a Go setting, so Go ignores it; scripts set it when they mean to skip checksum verification (Go's own switches are GOSUMDB and GONOSUMDB). Fix: Remove GONOSUMCHECK and keep checksum verification on."],
  ],
  "g8-published-no-trimpath": [
    ["go-release-flags", "mandatory", "g8-published-no-trimpath data: release builds need -trimpath in GOFLAGS (reproducible binaries without host paths). Fix: Set GOFLAGS=\"-mod=readonly -trimpath\" and CGO_ENABLED=0 (or 1, explicitly) for release builds."],
  ],
  // A consumed published go-env: the consumer for what it runs with, the ConfigMap for release flags only.
  "split-consumer": [
    ["go-flags-no-mod-mod", "mandatory", 'split-consumer container "build" env GOFLAGS (from ConfigMap ci/split-go-env key GOFLAGS): GOFLAGS=-mod=mod sets -mod=mod: go build and go test may then rewrite go.mod and go.sum on their own. Fix: Use -mod=readonly (the default) or -mod=vendor.'],
  ],
  "split-go-env": [
    ["go-release-flags", "mandatory", 'split-go-env data: release builds need -mod=readonly (or -mod=vendor) in GOFLAGS. Fix: Set GOFLAGS="-mod=readonly -trimpath" and CGO_ENABLED=0 (or 1, explicitly) for release builds.'],
    ["go-release-flags", "mandatory", 'split-go-env data: release builds need -trimpath in GOFLAGS (reproducible binaries without host paths). Fix: Set GOFLAGS="-mod=readonly -trimpath" and CGO_ENABLED=0 (or 1, explicitly) for release builds.'],
  ],
  "t2-not-allowed": [
    ["go-version-allowed", "mandatory", "t2-not-allowed build args: GO_VERSION is Go 1.25.14, which this environment does not allow (its lock allows 1.26.7). Fix: Use 1.26.7, or allow the new version with `goguard lock allow` and promote it."],
    ["one-go-version", "mandatory", "t2-not-allowed build args GO_VERSION: Go 1.25.14 is a release, but the lock allows only 1.26.7. Fix: use 1.26.7 everywhere."],
  ],
};

describe("Go settings rules in prod", () => {
  let by: Expected;
  beforeAll(async () => {
    ({ by } = await violationsByResource("go-settings.ts"));
  });

  test("the baseline stays quiet", () => {
    expect(by.happy).toBeUndefined();
  });

  test.each(Object.keys(expected))("%s fires exactly its rule", (name) => {
    expect(by[name]).toEqual(expected[name]);
  });

  test("nothing else fires", () => {
    expect(Object.keys(by).sort()).toEqual(Object.keys(expected).sort());
  });
});
