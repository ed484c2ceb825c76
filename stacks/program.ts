// The GoGuard Pulumi program as a function: the only place that reads configuration, the stack and
// the files of the checkout. It validates the stack's settings, resolves the environment once into
// a plan (components/environment/plan.ts: the same function policy-config, render and the docs
// call), creates the explicit providers the plan names and hands the plan to the components.
// stacks/index.ts runs it on the checkout's lock; tests run it on another lock file (through
// `goguard check --program`).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as dockerbuild from "@pulumi/docker-build";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { GoEnvironment } from "../components/environment";
import { EnvironmentPlan, resolvePlan } from "../components/environment/plan";
import { bundledCatalog } from "../components/toolchain/bundled";
import { parseLock } from "../components/toolchain/lock";
import { parseStackConfig } from "./config";

export interface GoGuardStackOptions {
  /** The toolchain lock to read (through parseLock, which refuses anything outside its grammar). */
  readonly lockPath: string;
}

/**
 * One explicit provider per package the stack uses, so nothing deploys through ambient
 * credentials (staging and prod also set `pulumi:disable-default-providers`, and the engine refuses
 * any resource left on a default provider). The Kubernetes credentials come from the stack
 * (a secret kubeconfig, or the cluster stack's output), never from the local kube context.
 */
export function stackProviders(plan: EnvironmentPlan, config: pulumi.Config, projectRoot: string): Record<string, pulumi.ProviderResource> {
  const env = plan.environment;
  const kube = plan.providers.kubernetes;
  let kubernetes: k8s.Provider;
  if (kube.kind === "render") {
    // dev needs no cluster: its Kubernetes objects are rendered to YAML files (absolute path, as the provider requires).
    kubernetes = new k8s.Provider(`${env}-render`, { renderYamlToDirectory: path.resolve(projectRoot, kube.directory) });
  } else if (kube.kind === "kubeconfig") {
    kubernetes = new k8s.Provider(`${env}-kubernetes`, { kubeconfig: config.requireSecret("kubeconfig") });
  } else {
    const cluster = new pulumi.StackReference(`${env}-cluster`, { name: kube.stack });
    kubernetes = new k8s.Provider(`${env}-kubernetes`, { kubeconfig: pulumi.secret(cluster.requireOutput(kube.output).apply((v) => (typeof v === "string" ? v : JSON.stringify(v)))) });
  }
  const providers: Record<string, pulumi.ProviderResource> = { kubernetes, "docker-build": new dockerbuild.Provider(`${env}-docker-build`, {}) };
  if (plan.providers.aws) {
    providers.aws = new aws.Provider(`${env}-aws`, { region: plan.providers.aws.region as aws.Region, defaultTags: { tags: { "goguard.dev/environment": env, "app.kubernetes.io/managed-by": "goguard" } } });
  }
  if (plan.singleFlight.kind === "redis" && plan.singleFlight.source === "elasticache" && plan.singleFlight.authToken === "generated") {
    providers.random = new random.Provider(`${env}-random`, {});
  }
  return providers;
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

  const lock = parseLock(readLockJson(opts.lockPath));
  const plan = resolvePlan(lock, settings, bundledCatalog());
  const env = plan.environment;
  const projectRoot = path.resolve(__dirname, "..");
  const goEnvironment = new GoEnvironment(
    `go-${env}`,
    {
      plan,
      outDir: path.join(projectRoot, ".goguard-build", env),
      // Pulumi runs the program and its providers in Pulumi.yaml's `main` directory: this one.
      workDir: __dirname,
      ...(netrc ? { netrc } : {}),
      ...(redisPassword ? { redisPassword } : {}),
    },
    { providers: stackProviders(plan, config, projectRoot) },
  );

  const toolchain = plan.toolchain;
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
