// Weakness: FROM golang:1.26@sha256:...: a minor-only tag. NOTE: the digest is debian:bookworm-slim's
// (no golang digest could be sourced); the expectation does not depend on it.
// Source: https://hub.docker.com/_/golang (golang:1.26 moves with every patch) ; catalog T4
// Expected: refused in prod; the violation sits on "svc-golang-minor" and names golang:1.26.
import * as path from "path";
import * as docker from "@pulumi/docker";

new docker.Image("svc-golang-minor", {
  imageName: "registry.corp.example/team/svc-golang-minor:1.4.2",
  build: { context: path.join(__dirname, "docker-from-golang-minor"), platform: "linux/amd64" },
  skipPush: true,
});
