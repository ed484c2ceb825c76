// GoBuildImage: the environment's verified Go builder image: ONE multi-platform docker-build Image
// (a manifest list for every locked platform), built during previews, pushed with ECR credentials
// and a registry build cache. Validates, renders (pure), writes the build context, creates children.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as dockerbuild from "@pulumi/docker-build";
import { bundledCatalog } from "../toolchain/bundled";
import { DEFAULT_DOWNLOAD_BASE, GoCatalog } from "../toolchain/catalog";
import { GoEnvPolicy } from "../toolchain/goenv";
import { ResolvedToolchain } from "../toolchain/toolchain";
import { BuilderDockerfileSpec, builderSpecProblems, GO_SIGNING_KEY_FILE, renderBuilderDockerfile } from "./dockerfile";
import { imageTag } from "./tag";
import { validateBuildImage } from "./validate";
import { BUILD_CACHE_TAG, ecrRegistry, hardenedRepository } from "./ecr";
import { BuildPaths, buildPathProblems, providerPath, writeBuildContext } from "./context";
import { pinBuildArgs } from "./args";

export { pinBuildArgs };

export type RegistrySpec =
  /** An ECR repository created here: immutable tags (the build-cache tag excepted), scan on push, KMS encryption, lifecycle policy. */
  | { readonly kind: "ecr"; readonly repositoryName: string; /** @default false */ readonly protect?: boolean; /** @default true */ readonly retainOnDelete?: boolean }
  /** Any registry; credentials optional. The build cache goes to `<server>/<repository>:buildcache`. */
  | { readonly kind: "external"; readonly repository: string; readonly server: string; readonly username?: pulumi.Input<string>; readonly password?: pulumi.Input<string> }
  /** Build only, never push (a local check of the Dockerfile; no registry, no cache). */
  | { readonly kind: "local"; readonly repository: string };

export interface GoBuildImageArgs {
  /** The environment's toolchain, from `resolveToolchain(lock, env, catalog)`: its platforms are the image's. */
  readonly toolchain: ResolvedToolchain;
  /** The environment's Go settings baseline (`resolveGoEnvBaseline`). */
  readonly goEnv: Readonly<Record<string, string>>;
  /** The environment's Go settings policy (`environmentPolicy`): goEnv must pass it. */
  readonly policy: GoEnvPolicy;
  /** Bases, `name@sha256:…` (a tag alone only without requirePinnedBases). */
  readonly baseImages: { readonly toolchain: string; readonly builder: string };
  readonly registry: RegistrySpec;
  /** Absolute: the directory Pulumi runs the program and its providers in (the project directory, or its `main` directory). Build paths are handed to the provider relative to it. */
  readonly workDir: string;
  /** Absolute directory the build context is written under (`<outDir>/<16 hex>/`). */
  readonly outDir: string;
  /** Every base image must be pinned by digest. @default true */
  readonly requirePinnedBases?: boolean;
  /** Accept a plain-http `mirror` (a local test mirror). @default false */
  readonly allowHttpMirror?: boolean;
  /** Build during `pulumi preview` (never pushed then; the cache is still exported), so a pull request shows a broken image. @default true */
  readonly buildOnPreview?: boolean;
  /** @default "https://dl.google.com/go/" */
  readonly mirror?: string;
  /** Check the archive's .asc with the vendored Go signing key (any subkey of its primary). @default - true for the public mirror, false for other mirrors (which rarely carry .asc files) */
  readonly verifySignature?: boolean;
  /** @default 65532 */
  readonly uid?: number;
  /** OCI labels. @default {} */
  readonly labels?: { readonly source?: string; readonly revision?: string };
  /** @default - the bundled release catalog */
  readonly catalog?: GoCatalog;
}

interface Resolved {
  readonly mirror: string;
  readonly verifySignature: boolean;
  readonly uid: number;
  readonly catalog: GoCatalog;
  readonly requirePinnedBases: boolean;
  readonly allowHttpMirror: boolean;
  readonly buildOnPreview: boolean;
}

function resolve(args: GoBuildImageArgs): Resolved {
  const mirror = args.mirror ?? DEFAULT_DOWNLOAD_BASE;
  return {
    mirror,
    verifySignature: args.verifySignature ?? mirror === DEFAULT_DOWNLOAD_BASE,
    uid: args.uid ?? 65532,
    catalog: args.catalog ?? bundledCatalog(),
    requirePinnedBases: args.requirePinnedBases ?? true,
    allowHttpMirror: args.allowHttpMirror ?? false,
    buildOnPreview: args.buildOnPreview ?? true,
  };
}

export class GoBuildImage extends pulumi.ComponentResource {
  /** The pushed manifest list by digest (`<repository>@sha256:…`), serving every platform; with a local registry (nothing pushed) the tag. */
  public readonly imageRef: pulumi.Output<string>;
  /** Per platform (`linux/amd64`): the reference to run there (the manifest list serves all); never a bare tag outside a local registry. */
  public readonly repoDigests: pulumi.Output<Record<string, string>>;
  public readonly goVersion: pulumi.Output<string>;
  /** Per platform: the archive sha256 the image was built from. */
  public readonly sha256: pulumi.Output<Record<string, string>>;
  public readonly dockerfile: pulumi.Output<string>;
  public readonly repositoryUrl: pulumi.Output<string>;

  constructor(name: string, args: GoBuildImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goguard:index:GoBuildImage", name, {}, opts);
    const r = resolve(args);
    const problems = [
      ...validateBuildImage({ toolchain: args.toolchain, goEnv: args.goEnv, policy: args.policy, mirror: r.mirror, baseImages: args.baseImages, requirePinnedBases: r.requirePinnedBases, allowHttpMirror: r.allowHttpMirror }, r.catalog),
      ...buildPathProblems({ workDir: args.workDir, outDir: args.outDir }),
    ];
    if (problems.length > 0) throw new pulumi.ResourceError(`GoBuildImage ${name}: ${problems.join("\n")}`, this);

    const t = args.toolchain;
    const spec: BuilderDockerfileSpec = {
      goVersion: t.version,
      archives: t.archives,
      mirror: r.mirror,
      verifySignature: r.verifySignature,
      toolchainBase: args.baseImages.toolchain,
      builderBase: args.baseImages.builder,
      goEnv: args.goEnv,
      uid: r.uid,
      labels: { ...args.labels, version: t.version },
    };
    // The renderer's own grammar check, reported as this component's error before any child exists.
    const unrenderable = builderSpecProblems(spec);
    if (unrenderable.length > 0) throw new pulumi.ResourceError(`GoBuildImage ${name}: ${unrenderable.join("\n")}`, this);
    const text = renderBuilderDockerfile(spec);
    // The context holds the Dockerfile and, with signatures on, the vendored Go signing key (the
    // build reaches no keyserver; the Dockerfile carries the key's sha256). Nothing else: the
    // provider hashes the whole context to decide whether to rebuild.
    const files: Record<string, string | Buffer> = { Dockerfile: text };
    if (r.verifySignature) files[GO_SIGNING_KEY_FILE] = fs.readFileSync(path.join(__dirname, GO_SIGNING_KEY_FILE));
    const dir = writeBuildContext(args.outDir, files);
    const contextLocation = providerPath(args.workDir, dir);

    let repositoryUrl: pulumi.Output<string>;
    let registries: dockerbuild.types.input.RegistryArgs[] = [];
    const reg = args.registry;
    switch (reg.kind) {
      case "ecr": {
        const repo = hardenedRepository(`${name}-repo`, reg.repositoryName, { protect: reg.protect ?? false, retainOnDelete: reg.retainOnDelete ?? true, mutableBuildCache: true }, this);
        new aws.ecr.LifecyclePolicy(
          `${name}-lifecycle`,
          {
            repository: repo.name,
            policy: JSON.stringify({
              rules: [
                { rulePriority: 1, description: "expire untagged images after 14 days", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 }, action: { type: "expire" } },
                { rulePriority: 2, description: "keep the newest 50 builder images", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 50 }, action: { type: "expire" } },
              ],
            }),
          },
          { parent: this },
        );
        repositoryUrl = repo.repositoryUrl;
        registries = [ecrRegistry(repo, this)];
        break;
      }
      case "external":
        repositoryUrl = pulumi.output(`${reg.server}/${reg.repository}`);
        registries = reg.password !== undefined ? [{ address: reg.server, ...(reg.username !== undefined ? { username: reg.username } : {}), password: pulumi.secret(reg.password) }] : [];
        break;
      case "local":
        repositoryUrl = pulumi.output(reg.repository);
        break;
      default: {
        const never: never = reg;
        throw new pulumi.ResourceError(`GoBuildImage ${name}: registry.kind ${JSON.stringify(never)} is not ecr, external or local`, this);
      }
    }

    const platforms = t.archives.map((a) => a.platform);
    const buildArgs = pinBuildArgs(t, r.mirror, args.baseImages, args.goEnv);
    const tag = imageTag(t.version, platforms, text, buildArgs);
    const push = reg.kind !== "local";
    // The registry cache sits beside the images under one explicit, mutable tag (ECR: the only tag
    // excluded from immutability). mode max caches every stage (the verified toolchain stage is the
    // expensive one); ECR needs the cache as an OCI image manifest. One multi-platform build on one
    // BuildKit node exports the cache of every platform; the provider's warning about multi-platform
    // caching concerns builds spread over several nodes (docker/buildx#1044), which CI does not use.
    const cacheRef = pulumi.interpolate`${repositoryUrl}:${BUILD_CACHE_TAG}`;
    const image = new dockerbuild.Image(
      `${name}-image`,
      {
        tags: [pulumi.interpolate`${repositoryUrl}:${tag}`],
        context: { location: contextLocation },
        dockerfile: { location: `${contextLocation}/Dockerfile` },
        platforms: platforms as dockerbuild.Platform[],
        buildArgs,
        buildOnPreview: r.buildOnPreview,
        push,
        ...(push
          ? {
              cacheFrom: [{ registry: { ref: cacheRef } }],
              cacheTo: [{ registry: { ref: cacheRef, mode: dockerbuild.CacheMode.Max, imageManifest: true, ociMediaTypes: true } }],
            }
          : { exports: [{ cacheonly: {} }] }),
        ...(registries.length > 0 ? { registries } : {}),
      },
      { parent: this },
    );
    // The digest output is the manifest list's; the `ref` output is "not guaranteed to be stable"
    // with several tags, so the reference is built from the digest.
    const imageRef = push ? pulumi.interpolate`${repositoryUrl}@${image.digest}` : image.ref;

    this.imageRef = imageRef;
    this.repoDigests = imageRef.apply((ref) => Object.fromEntries(platforms.map((p) => [p, ref])));
    this.goVersion = pulumi.output(t.version);
    this.sha256 = pulumi.output(Object.fromEntries(t.archives.map((a) => [a.platform, a.sha256])));
    this.dockerfile = pulumi.output(text);
    this.repositoryUrl = repositoryUrl;
    this.registerOutputs({ imageRef: this.imageRef, repoDigests: this.repoDigests, goVersion: this.goVersion, sha256: this.sha256, dockerfile: this.dockerfile, repositoryUrl: this.repositoryUrl });
  }
}

export type { BuildPaths };
