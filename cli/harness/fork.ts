import { fork } from "child_process";
import * as path from "path";
import { StackJob } from "./run-stack";
import { StackResult } from "./types";

export class HarnessError extends Error {}

/** Runs a stack in a fresh worker process, bounded in time. */
export function runStackIsolated(job: StackJob, timeoutMs = 120000): Promise<StackResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, "worker-entry.js"), [], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d));
    child.stdout?.on("data", () => undefined);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new HarnessError(`stack ${job.stack}: the offline run did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    let settled = false;
    child.on("message", (m: { ok: boolean; result?: StackResult; error?: string }) => {
      settled = true;
      clearTimeout(timer);
      if (m.ok) resolve(m.result!);
      else reject(new HarnessError(`stack ${job.stack}: ${m.error}`));
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!settled) reject(new HarnessError(`stack ${job.stack}: the worker exited with ${code} before answering${stderr ? `:\n${stderr.trim()}` : ""}`));
    });
    child.send(job);
  });
}
