// Reading a stack's files: Pulumi.yaml (project name), stacks/Pulumi.<stack>.yaml (config), the
// stack's policy config. Config keys without a namespace belong to the project, as in Pulumi.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT, UsageError } from "./files";
import { parseStackSettings, StackSettings } from "../stacks/config";
import { OFFLINE_SECRET_PLACEHOLDER } from "./harness/types";

export const STACKS = ["dev", "staging", "prod"] as const;
export const PACK_DIR = path.join(PROJECT_ROOT, "policies");
export const DEFAULT_PROGRAM = path.join(PROJECT_ROOT, "stacks", "index.ts");

export function projectName(): string {
  const doc = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"));
  return String(doc.name);
}

export function stackConfigPath(stack: string): string {
  return path.join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`);
}

export function policyConfigPath(stack: string): string {
  return path.join(PACK_DIR, "config", `${stack}.json`);
}

export interface LoadedStackConfig {
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

/** Stack config as the CLI hands it to a program: namespaced keys, string values (objects as JSON). */
export function readStackConfig(file: string, project: string): LoadedStackConfig {
  if (!fs.existsSync(file)) throw new UsageError(`stack config ${file} does not exist; give a Pulumi.<stack>.yaml file (the shipped ones are in stacks/)`);
  // Reading a directory would fail inside the YAML branch below and be called "not YAML".
  if (fs.statSync(file).isDirectory()) throw new UsageError(`stack config ${file} is a directory; give a stack config file (Pulumi.<stack>.yaml, such as stacks/Pulumi.prod.yaml)`);
  let doc: any;
  try {
    doc = parse(fs.readFileSync(file, "utf8")) ?? {};
  } catch (err) {
    // The YAML library appends a code frame; its first line already names the line and column.
    throw new UsageError(`stack config ${file} is not YAML: ${(err as Error).message.split("\n")[0].replace(/:$/, "")}; fix the file (pulumi config set writes valid YAML)`);
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries<unknown>(doc.config ?? {})) {
    const key = k.includes(":") ? k : `${project}:${k}`;
    if (v && typeof v === "object" && !Array.isArray(v) && "secure" in (v as object)) {
      // Offline there is no key to decrypt with: the program sees a placeholder, marked secret.
      config[key] = OFFLINE_SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else config[key] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return { config, secretKeys };
}

/** The settings the policy config derives from, read through the program's own validator. */
export function stackSettingsFrom(config: Record<string, string>, project: string): StackSettings {
  const get = (k: string): string | undefined => config[`${project}:${k}`];
  const json = (k: string): unknown => {
    const v = get(k);
    if (v === undefined) return undefined;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  return parseStackSettings({
    environment: get("environment"),
    proxyUrl: get("proxyUrl"),
    privatePrefixes: json("privatePrefixes"),
    goVersion: get("goVersion"),
    proxyBucket: get("proxyBucket"),
    awsRegion: get("awsRegion"),
    oidcProviderArn: get("oidcProviderArn"),
    oidcIssuerHost: get("oidcIssuerHost"),
    redisEndpoint: get("redisEndpoint"),
    elasticache: json("elasticache"),
    proxyIngress: json("proxyIngress"),
    consumerNamespaces: json("consumerNamespaces"),
    adoptConsumerNamespaces: json("adoptConsumerNamespaces"),
    protect: json("protect"),
    clusterStack: get("clusterStack"),
    clusterStackOutput: get("clusterStackOutput"),
  });
}
