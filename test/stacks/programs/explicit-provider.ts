// The same objects, each on an explicit provider: accepted where default providers are disabled.
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";

const awsProvider = new aws.Provider("explicit-aws", { region: "eu-west-1" });
const kubernetes = new k8s.Provider("explicit-kubernetes", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
new aws.s3.BucketV2("loose-bucket", { bucket: "acme-loose" }, { provider: awsProvider });
new k8s.core.v1.ConfigMap("loose-config", { metadata: { namespace: "builds" }, data: { NOTE: "explicit provider" } }, { provider: kubernetes });
