// The names of the Go settings GoGuard's rules read, on their own: the Dockerfile reader needs the
// list without the rules (its facts are cached keyed on every module it is made of).

/** Settings that carry a Go version (build args, Dockerfile ARG/ENV). */
export const VERSION_SETTINGS = ["GO_VERSION", "GOLANG_VERSION"] as const;

/** Every setting these rules read; a source holding none of them is not Go-configured. */
export const GO_SETTINGS = [
  "CGO_ENABLED",
  "GOFLAGS",
  "GOINSECURE",
  "GONOPROXY",
  "GONOSUMDB",
  "GOPRIVATE",
  "GOPROXY",
  "GOSUMDB",
  "GOTOOLCHAIN",
  "GOVCS",
  ...VERSION_SETTINGS,
  "GONOSUMCHECK",
  "GONOSUMCHECKS",
  "GOSUMCHECK",
  "GOSUMDB_OFF",
] as const;
