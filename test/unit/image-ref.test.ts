import fc from "fast-check";
import { parseImageRef } from "../../components/toolchain/image-ref";

const D = "sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

describe("parseImageRef", () => {
  test.each([
    ["golang", { registry: "docker.io", repository: "library/golang" }],
    ["golang:1.26.7-bookworm", { registry: "docker.io", repository: "library/golang", tag: "1.26.7-bookworm" }],
    [`debian:bookworm-slim@${D}`, { registry: "docker.io", repository: "library/debian", tag: "bookworm-slim", digest: D }],
    ["gcr.io/distroless/static-debian12:nonroot", { registry: "gcr.io", repository: "distroless/static-debian12", tag: "nonroot" }],
    ["127.0.0.1:5000/base/glibc@" + D, { registry: "127.0.0.1:5000", repository: "base/glibc", digest: D }],
    ["localhost/x:1", { registry: "localhost", repository: "x", tag: "1" }],
    ["gomods/athens:v0.18.1", { registry: "docker.io", repository: "gomods/athens", tag: "v0.18.1" }],
    ["index.docker.io/library/golang:1.26", { registry: "docker.io", repository: "library/golang", tag: "1.26" }],
  ])("%s", (text, want) => {
    expect(parseImageRef(text)).toEqual({ ...want, original: text });
  });

  test.each(["", "golang:${GO_VERSION}", "Golang:1", "golang:1 2", "golang@sha256", "a//b"])("not a reference: %j", (t) => {
    expect(parseImageRef(t)).toBeUndefined();
  });

  test("property: tag and digest survive parsing", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/), fc.stringMatching(/^[0-9a-f]{64}$/), (name, tag, hex) => {
        const r = parseImageRef(`registry.example/${name}:${tag}@sha256:${hex}`);
        expect(r).toEqual({ registry: "registry.example", repository: name, tag, digest: `sha256:${hex}`, original: `registry.example/${name}:${tag}@sha256:${hex}` });
      }),
    );
  });
});
