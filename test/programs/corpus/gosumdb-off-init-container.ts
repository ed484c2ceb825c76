// Weakness: GOSUMDB=off in an init container of a hand-written Deployment.
import * as k8s from "@pulumi/kubernetes";

new k8s.apps.v1.Deployment("builder", {
  metadata: { namespace: "ci" },
  spec: {
    selector: { matchLabels: { app: "builder" } },
    template: {
      metadata: { labels: { app: "builder" } },
      spec: {
        initContainers: [{ name: "fetch", image: "busybox", env: [{ name: "GOSUMDB", value: "off" }] }],
        containers: [{ name: "app", image: "busybox" }],
      },
    },
  },
});
