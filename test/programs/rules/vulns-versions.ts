// go-vulnerabilities (V1) through the real handlers: Go versions named by resources (build args,
// golang image tags), one affected by reports with fixes (1.26.0, 41 reports incl. GO-2026-4984),
// one older (1.24.13, 37 reports), and one clean (1.26.7, none in the bundled snapshot).
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";

new docker.Image("v1-build-1-26-0", { imageName: "registry.corp.example/svc:1", skipPush: true, build: { context: ".", args: { GO_VERSION: "1.26.0" } } });
new docker.Image("v1-build-1-26-7", { imageName: "registry.corp.example/svc:2", skipPush: true, build: { context: ".", args: { GO_VERSION: "1.26.7" } } });
new k8s.batch.v1.Job("v1-golang-1-24-13", {
  metadata: { namespace: "ci" },
  spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "build", image: "golang:1.24.13-bookworm", command: ["go", "build", "./..."] }] } } },
});
