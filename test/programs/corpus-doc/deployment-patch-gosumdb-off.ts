// Weakness: a DeploymentPatch (server-side apply onto an existing Deployment) sets GOSUMDB=off in
// one container. The patch is all the stack says about that Deployment.
// Source: https://www.pulumi.com/registry/packages/kubernetes/how-to-guides/managing-resources-with-server-side-apply/ (DeploymentPatch: server-side apply of a partial object)
// Expected: refused in prod; the violation sits on "api-patch" and names GOSUMDB, off.
import * as k8s from "@pulumi/kubernetes";

new k8s.apps.v1.DeploymentPatch("api-patch", {
  metadata: { namespace: "services", name: "api", annotations: { "pulumi.com/patchForce": "true" } },
  spec: {
    template: {
      spec: {
        containers: [{ name: "api", env: [{ name: "GOSUMDB", value: "off" }] }],
      },
    },
  },
});
