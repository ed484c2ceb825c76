// The GoGuard Pulumi program: the only place that reads configuration, the stack and the files of
// the checkout. It validates the stack's settings, resolves the environment's toolchain from the
// lock and hands plain values to the components.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { bundledCatalog } from "../components/toolchain/bundled";
import { parseLock } from "../components/toolchain/lock";
import { resolveToolchain, environmentPolicy } from "../components/toolchain/toolchain";
import { checkGoSettings, resolveGoEnvBaseline } from "../components/toolchain/goenv";
import { parseStackSettings } from "./config";
import { GoBuildImage } from "../components/build-image";
import { lockedImageRef } from "../components/toolchain/lock";
import { GoModuleProxy } from "../components/module-proxy";
import { MirroredImage } from "../components/module-proxy/mirror";

const config = new pulumi.Config("goguard");
const settings = parseStackSettings({
  environment: config.get("environment"),
  proxyUrl: config.get("proxyUrl"),
  privatePrefixes: config.getObject<unknown>("privatePrefixes"),
  goVersion: config.get("goVersion"),
  proxyBucket: config.get("proxyBucket"),
  awsRegion: config.get("awsRegion"),
  oidcProviderArn: config.get("oidcProviderArn"),
  oidcIssuerHost: config.get("oidcIssuerHost"),
  redisEndpoint: config.get("redisEndpoint"),
  consumerNamespaces: config.getObject<unknown>("consumerNamespaces"),
});
const netrc = config.getSecret("netrc");

const lockPath = path.join(__dirname, "toolchain.lock.json");
const lock = parseLock(JSON.parse(fs.readFileSync(lockPath, "utf8")));
const catalog = bundledCatalog();
const toolchain = resolveToolchain(lock, settings.environment, catalog, { version: settings.goVersion });
const goEnv = resolveGoEnvBaseline({ proxyUrl: settings.proxyUrl, privatePrefixes: settings.privatePrefixes });
const policy = environmentPolicy(lock, settings.environment, { proxies: [settings.proxyUrl], privatePrefixes: settings.privatePrefixes });
const findings = checkGoSettings(goEnv, policy, catalog, { complete: true });
if (findings.length > 0) {
  throw new Error(`the Go environment for ${settings.environment} fails its own rules:\n${findings.map((f) => `  ${f.rule} ${f.message}. ${f.fix}`).join("\n")}`);
}

// The builder image: dev builds locally without a registry; staging and prod push to ECR.
const debian = lockedImageRef(lock, "debian:bookworm-slim", settings.environment);
const builder = new GoBuildImage(`go-builder-${settings.environment}`, {
  environment: settings.environment,
  toolchain,
  goEnv: goEnv,
  policy,
  baseImages: { toolchain: debian, builder: debian },
  registry: settings.environment === "dev" ? { kind: "local", repository: "goguard/go-builder" } : { kind: "ecr", repositoryName: `goguard/go-builder-${settings.environment}` },
  outDir: path.join(__dirname, "..", ".goguard-build", settings.environment),
});

// The module proxy. Its image (choice (b) in the README): dev pulls the upstream tag; staging and
// prod mirror it into ECR and deploy the pushed digest. No Athens digest exists offline, so none
// is written down; once `goguard lock resolve-images` records one, the pull is pinned to it too.
const athensSource = "docker.io/gomods/athens:v0.18.1";
const env = settings.environment;
const proxyImage =
  env === "dev"
    ? lockedImageRef(lock, athensSource, env)
    : new MirroredImage(`athens-image-${env}`, {
        environment: env,
        source: lock.images[athensSource]?.state === "resolved" ? lockedImageRef(lock, athensSource, env) : athensSource,
        repositoryName: `goguard/athens-${env}`,
      }).imageRef;
const p = settings.proxy;
const proxy = new GoModuleProxy(`goproxy-${env}`, {
  environment: env,
  image: proxyImage,
  storage: env === "dev" ? { kind: "disk", size: "20Gi" } : { kind: "s3", bucketName: p.bucket!, region: p.region! },
  replicas: env === "prod" ? 2 : 1,
  ...(env === "prod" ? { singleFlight: { kind: "redis" as const, endpoint: p.redisEndpoint! } } : {}),
  privatePrefixes: settings.privatePrefixes,
  ...(p.oidcProviderArn && p.oidcIssuerHost ? { oidc: { providerArn: p.oidcProviderArn, issuerHost: p.oidcIssuerHost } } : {}),
  ...(netrc ? { netrc } : {}),
  consumerNamespaces: p.consumerNamespaces,
});

export const environment = settings.environment;
export const proxyUrl = proxy.url;
export const publishedGoEnv = proxy.goEnv;
export const builderImages = builder.repoDigests;
export const goVersion = toolchain.version;
export const goToolchain = toolchain.toolchain;
export const allowedGoVersions = toolchain.allowedVersions;
export const platforms = toolchain.platforms;
export const archives = toolchain.archives;
export const goEnvironment = goEnv;
