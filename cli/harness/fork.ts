import { ChildProcess, fork, ForkOptions } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { StackJob } from "./run-stack";
import { StackResult } from "./types";

export class HarnessError extends Error {}

/** Workers alive now: killed with their parent (see killWorkers and the bin's signal handlers). */
const live = new Set<ChildProcess>();

/** Kills every worker this process started and has not seen exit. */
export function killWorkers(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}

/**
 * On Linux, workers start under util-linux `setpriv --pdeathsig SIGKILL`: the kernel kills them when
 * this process dies, even by SIGKILL and even while they are still loading modules (synchronous work
 * no in-process watchdog can interrupt). Elsewhere the worker's own ppid watchdog covers it.
 */
function deathSignalOptions(): Partial<ForkOptions> {
  if (process.platform !== "linux") return {};
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((f) => fs.existsSync(f));
  return setpriv ? { execPath: setpriv, execArgv: ["--pdeathsig", "SIGKILL", process.execPath, ...process.execArgv] } : {};
}

/** Runs a stack in a fresh worker process, bounded in time. */
export function runStackIsolated(job: StackJob, timeoutMs = 120000): Promise<StackResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, "worker-entry.js"), [], { stdio: ["ignore", "pipe", "pipe", "ipc"], ...deathSignalOptions() });
    live.add(child);
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d));
    child.stdout?.on("data", () => undefined);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new HarnessError(`stack ${job.stack}: the offline run did not finish within ${timeoutMs} ms; make the program finish (an await on an unknown preview value never resolves)`));
    }, timeoutMs);
    let settled = false;
    child.on("message", (m: { ok: boolean; compile?: boolean; result?: StackResult; error?: string }) => {
      settled = true;
      clearTimeout(timer);
      if (m.ok) resolve(m.result!);
      else reject(new HarnessError(m.compile ? `stack ${job.stack}: the program does not compile: ${m.error!.split("\n").join("; ")} Fix the source (pulumi preview refuses it too).` : `stack ${job.stack}: ${m.error}`));
    });
    child.on("exit", (code) => {
      live.delete(child);
      clearTimeout(timer);
      const last = stderr.trim().split("\n").filter((l) => l.trim() !== "" && !/^\s+at /.test(l)).pop();
      if (!settled) reject(new HarnessError(`stack ${job.stack}: the worker exited with ${code} before answering${last ? ` (${last.trim()})` : ""}; run with --debug for details`));
    });
    child.send(job);
  });
}
