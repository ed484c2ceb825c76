// Weakness: a CronJob running golang:1.26 (minor-only tag, no digest).
import * as k8s from "@pulumi/kubernetes";

new k8s.batch.v1.CronJob("lint", {
  metadata: { namespace: "ci" },
  spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "lint", image: "golang:1.26", command: ["go", "vet", "./..."] }] } } } } },
});
