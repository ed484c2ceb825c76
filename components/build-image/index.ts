// GoBuildImage: the environment's verified Go builder image, one docker.Image per platform.
// Validates, renders (pure), writes the Dockerfile to a content-addressed path, creates children.
import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { bundledCatalog } from "../toolchain/bundled";
import { DEFAULT_DOWNLOAD_BASE, GoCatalog } from "../toolchain/catalog";
import { GoEnvPolicy } from "../toolchain/goenv";
import { EnvironmentName } from "../toolchain/lock";
import { ResolvedToolchain } from "../toolchain/toolchain";
import { BuilderDockerfileSpec, builderSpecProblems, GO_SIGNING_KEY_FILE, renderBuilderDockerfile } from "./dockerfile";
import { imageTag } from "./tag";
import { validateBuildImage } from "./validate";
import { hardenedRepository } from "./ecr";

export type RegistrySpec =
  /** An ECR repository created here: immutable tags, scan on push, KMS encryption, lifecycle policy. */
  | { readonly kind: "ecr"; readonly repositoryName: string }
  /** Any registry; credentials optional. */
  | { readonly kind: "external"; readonly repository: string; readonly server: string; readonly username?: pulumi.Input<string>; readonly password?: pulumi.Input<string> }
  /** Build locally, never push (dev). */
  | { readonly kind: "local"; readonly repository: string };

export interface GoBuildImageArgs {
  readonly environment: EnvironmentName;
  /** The environment's toolchain, from `resolveToolchain(lock, env, catalog)`. */
  readonly toolchain: ResolvedToolchain;
  /** The environment's Go settings baseline (`resolveGoEnvBaseline`). */
  readonly goEnv: Readonly<Record<string, string>>;
  /** The environment's Go settings policy (`environmentPolicy`): goEnv must pass it. */
  readonly policy: GoEnvPolicy;
  /** Pinned (`name@sha256:…`) bases; a tag alone only in dev. */
  readonly baseImages: { readonly toolchain: string; readonly builder: string };
  readonly registry: RegistrySpec;
  /** Absolute directory the rendered Dockerfiles are written under (content-addressed subfolders). */
  readonly outDir: string;
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
}

function resolve(args: GoBuildImageArgs): Resolved {
  const mirror = args.mirror ?? DEFAULT_DOWNLOAD_BASE;
  return { mirror, verifySignature: args.verifySignature ?? mirror === DEFAULT_DOWNLOAD_BASE, uid: args.uid ?? 65532, catalog: args.catalog ?? bundledCatalog() };
}

/** Build args carrying every pin, so policies can read them from the docker.Image inputs. */
export function pinBuildArgs(t: ResolvedToolchain, platform: string, mirror: string, bases: { toolchain: string; builder: string }, goEnv: Readonly<Record<string, string>>): Record<string, string> {
  const a = t.archives.find((x) => x.platform === platform)!;
  const args: Record<string, string> = { GO_VERSION: t.version, GO_ARCHIVE: a.filename, GO_MIRROR: mirror, TOOLCHAIN_BASE: bases.toolchain, BUILDER_BASE: bases.builder };
  for (const x of t.archives) args[`GO_SHA256_${x.platform.replace("/", "_").toUpperCase()}`] = x.sha256;
  for (const k of Object.keys(goEnv)) args[k] = goEnv[k];
  return Object.fromEntries(Object.keys(args).sort().map((k) => [k, args[k]]));
}

export class GoBuildImage extends pulumi.ComponentResource {
  /** Per platform (`linux/amd64`): the pushed image by digest (`repo@sha256:…`); never a tag. */
  public readonly repoDigests: pulumi.Output<Record<string, string>>;
  public readonly goVersion: pulumi.Output<string>;
  /** Per platform: the archive sha256 the image was built from. */
  public readonly sha256: pulumi.Output<Record<string, string>>;
  public readonly dockerfile: pulumi.Output<string>;
  public readonly repositoryUrl: pulumi.Output<string>;

  constructor(name: string, args: GoBuildImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("goguard:index:GoBuildImage", name, {}, opts);
    const r = resolve(args);
    const problems = validateBuildImage({ environment: args.environment, toolchain: args.toolchain, goEnv: args.goEnv, policy: args.policy, mirror: r.mirror, baseImages: args.baseImages }, r.catalog);
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
    // Content-addressed: the same Dockerfile always lands at the same path, a changed one elsewhere.
    const dir = path.join(args.outDir, createHash("sha256").update(text).digest("hex").slice(0, 16));
    fs.mkdirSync(dir, { recursive: true });
    const dockerfilePath = path.join(dir, "Dockerfile");
    if (!fs.existsSync(dockerfilePath) || fs.readFileSync(dockerfilePath, "utf8") !== text) {
      // Atomic: stacks rendered in parallel may write the same file.
      const tmp = `${dockerfilePath}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, dockerfilePath);
    }
    if (r.verifySignature) {
      // The vendored Go signing key goes into the build context: the build reaches no keyserver, and
      // the Dockerfile (hence the directory and the tag) carries the key's sha256.
      const keyPath = path.join(dir, GO_SIGNING_KEY_FILE);
      const key = fs.readFileSync(path.join(__dirname, GO_SIGNING_KEY_FILE));
      if (!fs.existsSync(keyPath) || !fs.readFileSync(keyPath).equals(key)) {
        const tmp = `${keyPath}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, key);
        fs.renameSync(tmp, keyPath);
      }
    }

    let repositoryUrl: pulumi.Output<string>;
    let registry: docker.types.input.Registry | undefined;
    const reg = args.registry;
    switch (reg.kind) {
      case "ecr": {
        const repo = hardenedRepository(`${name}-repo`, reg.repositoryName, args.environment, this);
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
        const auth = aws.ecr.getAuthorizationTokenOutput({ registryId: repo.registryId }, { parent: this });
        repositoryUrl = repo.repositoryUrl;
        registry = { server: repo.repositoryUrl, username: auth.userName, password: pulumi.secret(auth.password) };
        break;
      }
      case "external":
        repositoryUrl = pulumi.output(`${reg.server}/${reg.repository}`);
        registry = { server: reg.server, ...(reg.username !== undefined ? { username: reg.username } : {}), ...(reg.password !== undefined ? { password: pulumi.secret(reg.password) } : {}) };
        break;
      case "local":
        repositoryUrl = pulumi.output(reg.repository);
        registry = undefined;
        break;
      default: {
        const never: never = reg;
        throw new pulumi.ResourceError(`GoBuildImage ${name}: registry.kind ${JSON.stringify(never)} is not ecr, external or local`, this);
      }
    }

    const digests: Record<string, pulumi.Output<string>> = {};
    for (const a of t.archives) {
      const buildArgs = pinBuildArgs(t, a.platform, r.mirror, args.baseImages, args.goEnv);
      const tag = imageTag(t.version, a.platform, text, buildArgs);
      const image = new docker.Image(
        `${name}-${a.platform.replace("/", "-")}`,
        {
          imageName: pulumi.interpolate`${repositoryUrl}:${tag}`,
          build: { context: dir, dockerfile: dockerfilePath, platform: a.platform, args: buildArgs, builderVersion: "BuilderBuildKit" },
          skipPush: reg.kind === "local",
          ...(registry ? { registry } : {}),
        },
        { parent: this },
      );
      digests[a.platform] = reg.kind === "local" ? image.imageName : image.repoDigest;
    }

    this.repoDigests = pulumi.all(digests);
    this.goVersion = pulumi.output(t.version);
    this.sha256 = pulumi.output(Object.fromEntries(t.archives.map((a) => [a.platform, a.sha256])));
    this.dockerfile = pulumi.output(text);
    this.repositoryUrl = repositoryUrl;
    this.registerOutputs({ repoDigests: this.repoDigests, goVersion: this.goVersion, sha256: this.sha256, dockerfile: this.dockerfile, repositoryUrl: this.repositoryUrl });
  }
}
