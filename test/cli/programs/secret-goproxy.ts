// A ConfigMap whose GOPROXY is a pulumi.secret carrying a token, pointing at a proxy prod does not
// allow: the rules must see the value (and fire), and no report may print it.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

const proxy = pulumi.secret("https://user:tok3n@proxy.example/");

new k8s.core.v1.ConfigMap("go-env", {
  metadata: { namespace: "ci" },
  data: { GOPROXY: proxy, GOSUMDB: "sum.golang.org", GOTOOLCHAIN: "local" },
});

export const usedProxy = proxy;
export const proxyNote = proxy.apply((p) => `builds fetch through ${p}`);
