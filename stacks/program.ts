// The GoGuard Pulumi program as a function: the only place that reads configuration, the stack and
// the files of the checkout. It validates the stack's settings, resolves the environment's toolchain
// from the lock and hands plain values to the components. stacks/index.ts runs it on the checkout's
// lock; tests run it on another lock file (through `goguard check --program`).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { GoEnvironment } from "../components/environment";
import { bundledCatalog } from "../components/toolchain/bundled";
import { lockedImageRef, parseLock } from "../components/toolchain/lock";
import { resolveToolchain, environmentPolicy } from "../components/toolchain/toolchain";
import { parseStackConfig } from "./config";

export interface GoGuardStackOptions {
  /** The toolchain lock to read (through parseLock, which refuses anything outside its grammar). */
  readonly lockPath: string;
}

export function goguardStack(opts: GoGuardStackOptions) {
  const config = new pulumi.Config("goguard");
  // Every goguard:* key is judged (unknown ones refused), together with the stack's name and which
  // values were encrypted: the settings come from the whole stack file, not from the keys read here.
  // isConfigSecret is exported by the SDK's runtime but left out of its typings.
  const runtimeConfig = pulumi.runtime as unknown as { allConfig(): Record<string, string>; isConfigSecret(key: string): boolean };
  const allConfig = runtimeConfig.allConfig();
  const settings = parseStackConfig({
    stack: pulumi.getStack(),
    config: allConfig,
    secretKeys: Object.keys(allConfig).filter((k) => runtimeConfig.isConfigSecret(k)),
  });
  // Credentials stay Outputs marked secret end to end; parseStackConfig refused them as plain text.
  const netrc = settings.secrets.netrc ? config.requireSecret("netrc") : undefined;
  const redisPassword = settings.secrets.redisPassword ? config.requireSecret("redisPassword") : undefined;

  const lockPath = opts.lockPath;
  const lock = parseLock(readLockJson(lockPath));
  const catalog = bundledCatalog();
  const toolchain = resolveToolchain(lock, settings.environment, catalog, { version: settings.goVersion });
  const policy = environmentPolicy(lock, settings.environment, { proxies: [settings.proxyUrl], privatePrefixes: settings.privatePrefixes });

  // dev needs no cluster: its Kubernetes objects are rendered to YAML files by the provider.
  const env = settings.environment;
  const providers =
    env === "dev" ? { kubernetes: new k8s.Provider("dev-render", { renderYamlToDirectory: path.resolve(__dirname, "..", ".goguard-build", "dev", "k8s") }) } : undefined;

  // The proxy image (choice (b) in the README): dev deploys the upstream tag; staging and prod mirror
  // it into ECR and deploy the pushed digest. No Athens digest exists offline, so none is written
  // down; once `goguard lock resolve-images` records one, the pull is pinned to it too.
  const athensSource = "docker.io/gomods/athens:v0.18.1";
  const p = settings.proxy;
  const goEnvironment = new GoEnvironment(
    `go-${env}`,
    {
      environment: env,
      toolchain,
      policy,
      proxyUrl: settings.proxyUrl,
      privatePrefixes: settings.privatePrefixes,
      builderBase: lockedImageRef(lock, "debian:bookworm-slim", env),
      proxyImageSource: lock.images[athensSource]?.state === "resolved" || env === "dev" ? lockedImageRef(lock, athensSource, env) : athensSource,
      outDir: path.join(__dirname, "..", ".goguard-build", env),
      // Pulumi runs the program and its providers in Pulumi.yaml's `main` directory: this one.
      workDir: __dirname,
      ...(env !== "dev"
        ? {
            cloud: {
              bucket: p.bucket!,
              region: p.region!,
              oidc: { providerArn: p.oidcProviderArn!, issuerHost: p.oidcIssuerHost! },
              ...(p.redisEndpoint ? { singleFlight: { kind: "redis" as const, endpoint: p.redisEndpoint } } : {}),
              ...(redisPassword ? { redisPassword } : {}),
            },
          }
        : {}),
      ...(netrc ? { netrc } : {}),
      consumerNamespaces: p.consumerNamespaces,
    },
    providers ? { providers } : undefined,
  );

  return {
    environment: env,
    builderImages: goEnvironment.builderImages,
    proxyUrl: goEnvironment.proxyUrl,
    publishedGoEnv: goEnvironment.goEnv,
    goVersion: toolchain.version,
    goToolchain: toolchain.toolchain,
    allowedGoVersions: toolchain.allowedVersions,
    platforms: toolchain.platforms,
    archives: toolchain.archives,
  };
}

/** The lock file's JSON; a missing or broken file names itself and the way back. */
function readLockJson(lockPath: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, "utf8");
  } catch (err) {
    throw new Error(`toolchain lock ${lockPath} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); restore it from version control`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`toolchain lock ${lockPath} is not JSON (${(err as Error).message}); restore it from version control and edit it only with goguard lock`);
  }
}
