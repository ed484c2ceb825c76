// kustomize.v2.Directory: the provider builds its objects from the directory when it runs. Under the
// engine they are registered as the component's children (named <component>:<namespace>/<name>) and
// judged; the offline run runs no provider. "kz-unbuilt" has no children in the stack (fails
// closed); "kz-built" has its child registered as the engine would (with the Directory as parent),
// and that child's GOSUMDB=off is judged on the child, not on the Directory.
import * as k8s from "@pulumi/kubernetes";
import * as path from "path";

new k8s.kustomize.v2.Directory("kz-unbuilt", { directory: path.join(__dirname, "manifests", "kustomize-unbuilt") });

const built = new k8s.kustomize.v2.Directory("kz-built", { directory: path.join(__dirname, "manifests", "kustomize-built") });
new k8s.batch.v1.Job(
  "kz-built:ci/nightly",
  {
    metadata: { namespace: "ci", name: "nightly" },
    spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "build", image: "registry.corp.example/ci/build:1", env: [{ name: "GOSUMDB", value: "off" }] }] } } },
  },
  { parent: built },
);
