// Weakness: FROM golang:1.27.0@sha256:...: pinned by digest, but the Go version is not the one prod
// allows. NOTE: the digest is debian:bookworm-slim's (the only sourced digests are in
// /work/shared/data/image-digests.json); the expectation does not depend on it.
// Source: https://hub.docker.com/_/golang (tags) ; catalog T2 (prod runs exactly 1.26.7)
// Expected: refused in prod; the violation sits on "svc-golang-1270" and names 1.27.0.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-golang-1270", {
  imageName: "registry.corp.example/team/svc-golang-1270:1.4.2",
  build: { context: path.join(__dirname, "docker-from-golang-1270-digest"), platform: "linux/amd64" },
  skipPush: true,
});
