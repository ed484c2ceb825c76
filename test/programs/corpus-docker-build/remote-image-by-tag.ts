// Weakness: a docker.RemoteImage pulls golang:1.26 ("name: The name of the Docker image, including any
// tags or SHA256 repo digests"): a minor-series tag, no digest.
// Source: https://www.pulumi.com/registry/packages/docker/api-docs/remoteimage/ (name)
// Expected: refused in prod; the violation sits on "golang-pull" and names golang:1.26.
import * as docker from "@pulumi/docker";

new docker.RemoteImage("golang-pull", { name: "golang:1.26", keepLocally: true });
