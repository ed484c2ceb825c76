// A bucket and a ConfigMap left on their packages' default providers: refused where the stack
// disables default providers (the engine refuses them there too).
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";

new aws.s3.BucketV2("loose-bucket", { bucket: "acme-loose" });
new k8s.core.v1.ConfigMap("loose-config", { metadata: { namespace: "builds" }, data: { NOTE: "default provider" } });
