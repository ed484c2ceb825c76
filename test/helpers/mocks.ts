// Pulumi mocks that record every registered resource, with realistic computed outputs. What a mock
// cannot prove: provider Check normalisation, real outputs (digests here are derived from the
// inputs, not from a registry), default providers.
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { leanSdk } from "../../cli/harness/program";

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** `urn::id` of the explicit provider; undefined for a default provider. */
  provider?: string;
}

export function recordResources(): { resources: Recorded[]; invokes: string[] } {
  // As the harness runs the SDK: no promise-leak bookkeeping, no stack trace per resource (each
  // `new Error().stack` went through jest's source-map support: ~3 s of the suite's CPU).
  leanSdk();
  const resources: Recorded[] = [];
  const invokes: string[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, ...(args.provider ? { provider: args.provider } : {}) });
        const state: Record<string, unknown> = { ...args.inputs };
        const h = createHash("sha256").update(JSON.stringify(args.inputs)).digest("hex");
        if (args.type === "aws:ecr/repository:Repository") {
          state.repositoryUrl = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${args.inputs.name}`;
          state.registryId = "123456789012";
          state.arn = `arn:aws:ecr:eu-west-1:123456789012:repository/${args.inputs.name}`;
        }
        if (args.type === "docker:index/image:Image") state.repoDigest = `${String(args.inputs.imageName).replace(/:[^:/]+$/, "")}@sha256:${h}`;
        // docker-build: the manifest list's digest, and `ref` as the provider builds it (first tag + digest; the tag alone when nothing is exported).
        if (args.type === "docker-build:index:Image") {
          const pushed = args.inputs.push === true;
          state.digest = pushed ? `sha256:${h}` : "";
          const tag = Array.isArray(args.inputs.tags) ? String(args.inputs.tags[0]) : "";
          state.ref = pushed ? `${tag}@sha256:${h}` : tag;
          state.contextHash = createHash("sha256").update(JSON.stringify(args.inputs.context ?? {})).digest("hex");
        }
        if (args.type === "aws:s3/bucketV2:BucketV2" || args.type === "aws:s3/bucket:Bucket") state.arn = `arn:aws:s3:::${args.inputs.bucket ?? args.name}`;
        if (args.type === "aws:iam/role:Role") state.arn = `arn:aws:iam::123456789012:role/${args.name}`;
        if (args.type === "aws:elasticache/replicationGroup:ReplicationGroup") state.primaryEndpointAddress = `master.${args.name}.abc123.euw1.cache.amazonaws.com`;
        if (args.type === "aws:elasticache/subnetGroup:SubnetGroup") state.name = args.inputs.name ?? `${args.name}-1234567`;
        if (args.type === "random:index/randomPassword:RandomPassword") state.result = `generated${h.slice(0, 16)}`;
        return { id: `${args.name}-id`, state };
      },
      call: (args) => {
        invokes.push(args.token);
        if (args.token === "aws:ecr/getAuthorizationToken:getAuthorizationToken") return { userName: "AWS", password: "mock-token", proxyEndpoint: "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com" };
        return {};
      },
    },
    "goguard",
    "test",
    false,
  );
  return { resources, invokes };
}

export function outputOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Waits until every registration the program started has reached the mock monitor. */
export async function settled(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
}
