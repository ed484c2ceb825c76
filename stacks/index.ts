// The GoGuard Pulumi program (Pulumi.yaml `main: stacks/`): runs the stack on the checkout's
// toolchain lock and exports its outputs. The logic is in program.ts.
import * as path from "path";
import { goguardStack } from "./program";

const out = goguardStack({ lockPath: path.join(__dirname, "toolchain.lock.json") });

export const environment = out.environment;
export const builderImages = out.builderImages;
export const proxyUrl = out.proxyUrl;
export const publishedGoEnv = out.publishedGoEnv;
export const goVersion = out.goVersion;
export const goToolchain = out.goToolchain;
export const allowedGoVersions = out.allowedGoVersions;
export const platforms = out.platforms;
export const archives = out.archives;
