// Weakness (a .js program): an Athens Deployment whose go binary env turns checksums off.
"use strict";
const k8s = require("@pulumi/kubernetes");

new k8s.apps.v1.Deployment("athens", {
  metadata: { namespace: "goproxy" },
  spec: {
    selector: { matchLabels: { app: "athens" } },
    template: {
      metadata: { labels: { app: "athens" } },
      spec: {
        containers: [{
          name: "athens",
          image: "gomods/athens",
          env: [{ name: "ATHENS_GO_BINARY_ENV_VARS", value: "GOPROXY=https://proxy.golang.org;GOSUMDB=off" }],
        }],
      },
    },
  },
});
