// Weakness: a CronJobPatch sets GOTOOLCHAIN=auto on an existing CronJob's container.
// Source: https://www.pulumi.com/registry/packages/kubernetes/how-to-guides/managing-resources-with-server-side-apply/ (CronJobPatch)
// Expected: refused in prod; the violation sits on "nightly-patch" and names GOTOOLCHAIN, auto.
import * as k8s from "@pulumi/kubernetes";

new k8s.batch.v1.CronJobPatch("nightly-patch", {
  metadata: { namespace: "ci", name: "nightly", annotations: { "pulumi.com/patchForce": "true" } },
  spec: {
    jobTemplate: {
      spec: {
        template: {
          spec: {
            containers: [{ name: "build", env: [{ name: "GOTOOLCHAIN", value: "auto" }] }],
          },
        },
      },
    },
  },
});
