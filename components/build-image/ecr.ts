// The one way GoGuard creates an ECR repository: immutable tags, scan on push, KMS encryption,
// protected in prod and retained on delete outside dev (policy rows R1, R3).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EnvironmentName } from "../toolchain/lock";

export function hardenedRepository(name: string, repositoryName: string, env: EnvironmentName, parent: pulumi.Resource): aws.ecr.Repository {
  return new aws.ecr.Repository(
    name,
    { name: repositoryName, imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: "KMS" }], forceDelete: false },
    { parent, protect: env === "prod", retainOnDelete: env !== "dev" },
  );
}
