// Weakness: a ConfigMap publishing GONOSUMDB=* and GOTOOLCHAIN=auto.
import * as k8s from "@pulumi/kubernetes";

new k8s.core.v1.ConfigMap("go-env", {
  metadata: { namespace: "ci" },
  data: { GOPROXY: "http://athens.goproxy.svc.cluster.local", GONOSUMDB: "*", GOTOOLCHAIN: "auto" },
});
