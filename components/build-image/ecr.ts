// The one way GoGuard creates an ECR repository: immutable tags, scan on push, KMS encryption
// (policy row R1); protection and retention are the caller's explicit choice (row R3).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** The tag the builder's BuildKit registry cache lives under (the only mutable tag, see below). */
export const BUILD_CACHE_TAG = "buildcache";

export interface RepositoryOptions {
  /** `protect` on the repository (a `pulumi destroy` cannot delete it). */
  readonly protect: boolean;
  /** `retainOnDelete` on the repository (removing it from the program leaves it in AWS). */
  readonly retainOnDelete: boolean;
  /**
   * Excludes the build-cache tag from tag immutability. BuildKit rewrites its registry cache
   * manifest on every build, previews included (the Docker Build provider exports cache manifests
   * even when it does not push the image), which an IMMUTABLE repository refuses; every image tag
   * stays immutable.
   */
  readonly mutableBuildCache: boolean;
}

export function hardenedRepository(name: string, repositoryName: string, opts: RepositoryOptions, parent: pulumi.Resource): aws.ecr.Repository {
  return new aws.ecr.Repository(
    name,
    {
      name: repositoryName,
      ...(opts.mutableBuildCache
        ? { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: BUILD_CACHE_TAG, filterType: "WILDCARD" }] }
        : { imageTagMutability: "IMMUTABLE" }),
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS" }],
      forceDelete: false,
    },
    { parent, protect: opts.protect, retainOnDelete: opts.retainOnDelete },
  );
}

/** ECR credentials for pushes and pulls (a 12-hour token); the password stays a secret. */
export function ecrRegistry(repo: aws.ecr.Repository, parent: pulumi.Resource): { address: pulumi.Output<string>; username: pulumi.Output<string>; password: pulumi.Output<string> } {
  const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: repo.registryId }, { parent });
  return {
    // The registry host (`<account>.dkr.ecr.<region>.amazonaws.com`), which docker credentials are keyed by.
    address: repo.repositoryUrl.apply((u) => u.split("/")[0]),
    username: auth.userName,
    password: pulumi.secret(auth.password),
  };
}
