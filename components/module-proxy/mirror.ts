// MirroredImage: copies an upstream image (the Athens proxy's) into a hardened ECR repository for
// every platform the environment runs, and hands the pushed digest downstream.
//
// How: a Docker Build image whose Dockerfile is the single line `FROM <source>` (by digest once the
// lock resolves it), built for all platforms and pushed with ECR credentials. Chosen over an ECR
// pull-through cache rule because the copy (1) lands in a repository GoGuard creates hardened
// (immutable tags, scan on push, KMS), where a pull-through cache creates its repositories on
// first pull with account defaults; (2) is pushed once, at deploy time, and deployed by the digest
// the registry returns, where pull-through pulls happen on every node at pod start; (3) needs no
// upstream credentials in Secrets Manager (ECR requires them for a Docker Hub upstream); (4) is an
// ordinary image build the policy pack reads (`copied-image-source-pinned` shows an unresolved
// source in every environment; `goguard lock verify --strict` refuses it before prod).
import * as pulumi from "@pulumi/pulumi";
import * as dockerbuild from "@pulumi/docker-build";
import { ecrRegistry, hardenedRepository } from "../build-image/ecr";
import { BuildPaths, buildPathProblems, providerPath, writeBuildContext } from "../build-image/context";
import { copyTag } from "../build-image/tag";
import { copyDockerfile, copyProblems } from "../build-image/copy";

export interface MirroredImageArgs {
  /** The upstream reference, `name:tag`, or `name:tag@sha256:…` once the lock resolved it. */
  readonly source: string;
  /** The ECR repository to create and push to. */
  readonly repositoryName: string;
  /** The platforms to copy (the manifest list keeps exactly these): the environment's locked platforms. */
  readonly platforms: readonly string[];
  /** Where the one-line build context is written, and the directory the provider resolves it against. */
  readonly paths: BuildPaths;
  /** `protect` on the repository. @default false */
  readonly protect?: boolean;
  /** `retainOnDelete` on the repository. @default true */
  readonly retainOnDelete?: boolean;
  /** Copy during `pulumi preview` too (never pushed then). @default true */
  readonly buildOnPreview?: boolean;
  /** Credentials for the source registry (Docker Hub's anonymous pull limits). @default - anonymous */
  readonly sourceRegistry?: { readonly address: string; readonly username: pulumi.Input<string>; readonly password: pulumi.Input<string> };
}

/** Problems with the args (pure): each names the field, the value and the fix. */
export function mirroredImageProblems(args: MirroredImageArgs): string[] {
  return [...copyProblems(args), ...buildPathProblems(args.paths)];
}

export { copyDockerfile };

export class MirroredImage extends pulumi.ComponentResource {
  /** `<repository>@sha256:…` of the pushed manifest list. */
  public readonly imageRef: pulumi.Output<string>;

  constructor(name: string, args: MirroredImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goguard:index:MirroredImage", name, {}, opts);
    const problems = mirroredImageProblems(args);
    if (problems.length > 0) throw new pulumi.ResourceError(`MirroredImage ${name}: ${problems.join("\n")}`, this);
    const platforms = [...args.platforms].sort();
    const repo = hardenedRepository(`${name}-repo`, args.repositoryName, { protect: args.protect ?? false, retainOnDelete: args.retainOnDelete ?? true, mutableBuildCache: false }, this);
    // A context directory holding only the Dockerfile: its hash (the provider's rebuild trigger)
    // changes only with the source.
    const location = providerPath(args.paths.workDir, writeBuildContext(args.paths.outDir, { Dockerfile: copyDockerfile(args.source) }));
    const image = new dockerbuild.Image(
      `${name}-copy`,
      {
        // Content-derived: the repository's tags are immutable, so a re-run must never re-push a tag.
        tags: [pulumi.interpolate`${repo.repositoryUrl}:${copyTag(args.source, platforms)}`],
        context: { location },
        dockerfile: { location: `${location}/Dockerfile` },
        platforms: platforms as dockerbuild.Platform[],
        push: true,
        buildOnPreview: args.buildOnPreview ?? true,
        registries: [ecrRegistry(repo, this), ...(args.sourceRegistry ? [{ address: args.sourceRegistry.address, username: args.sourceRegistry.username, password: pulumi.secret(args.sourceRegistry.password) }] : [])],
      },
      { parent: this },
    );
    this.imageRef = pulumi.interpolate`${repo.repositoryUrl}@${image.digest}`;
    this.registerOutputs({ imageRef: this.imageRef });
  }
}
