// MirroredImage: pulls an upstream image and pushes it to the environment's registry, handing the
// pushed digest downstream (the proxy image choice (b): no Athens digest can be found offline, so
// none is written here; the digest is the one the registry returns at deploy time).
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { EnvironmentName } from "../toolchain/lock";
import { hardenedRepository } from "../build-image/ecr";

export interface MirroredImageArgs {
  readonly environment: EnvironmentName;
  /** The upstream reference, `name:tag` or `name:tag@sha256:…` once the lock resolved it. */
  readonly source: string;
  /** The ECR repository to create and push to. */
  readonly repositoryName: string;
}

export class MirroredImage extends pulumi.ComponentResource {
  /** `<repository>@sha256:…` of the pushed image. */
  public readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: MirroredImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goguard:index:MirroredImage", name, {}, opts);
    const repo = hardenedRepository(`${name}-repo`, args.repositoryName, args.environment, this);
    const pulled = new docker.RemoteImage(`${name}-pull`, { name: args.source, keepLocally: true }, { parent: this });
    const tag = (/:([^:@/]+)(@|$)/.exec(args.source)?.[1] ?? "mirrored").replace(/[^A-Za-z0-9_.-]/g, "-");
    const target = pulumi.interpolate`${repo.repositoryUrl}:${tag}`;
    const tagged = new docker.Tag(`${name}-tag`, { sourceImage: pulled.repoDigest, targetImage: target }, { parent: this });
    const pushed = new docker.RegistryImage(`${name}-push`, { name: tagged.targetImage, keepRemotely: true }, { parent: this });
    this.imageRef = pulumi.interpolate`${repo.repositoryUrl}@${pushed.sha256Digest}`;
    this.registerOutputs({ imageRef: this.imageRef });
  }
}
