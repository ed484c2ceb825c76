// Real parts for the image tests: a Go toolchain archive repackaged from Debian's golang-1.19
// packages in the official layout, a glibc + busybox base rootfs, a Docker registry and an HTTP
// mirror on 127.0.0.1, and buildah. Every process started here is stopped by the returned handles.
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

export const GO_LIB = "/usr/lib/go-1.19";
export const GO_SHARE = "/usr/share/go-1.19";
export const HOST_GO = path.join(GO_LIB, "bin/go");

export function sh(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): string {
  return execFileSync(cmd, args, { cwd: opts.cwd, input: opts.input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });
}

export function sha256File(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Debian splits the Go tree; this assembles the official `go/` layout and tars it deterministically. */
export function makeGoArchive(workDir: string): { file: string; filename: string; sha256: string; version: string } {
  const version = fs.readFileSync(path.join(GO_LIB, "VERSION"), "utf8").trim().split("\n")[0].replace(/^go/, "");
  const root = path.join(workDir, "tree", "go");
  fs.mkdirSync(root, { recursive: true });
  for (const d of ["api", "src", "pkg"]) sh("cp", ["-a", path.join(GO_SHARE, d), root]);
  sh("cp", ["-a", path.join(GO_LIB, "VERSION"), path.join(GO_LIB, "bin"), root]);
  // pkg/include is already there (from the share tree); pkg/linux_amd64 and pkg/tool come from the lib tree.
  for (const d of ["linux_amd64", "tool"]) sh("cp", ["-a", path.join(GO_LIB, "pkg", d), path.join(root, "pkg")]);
  const filename = `go${version}.linux-amd64.tar.gz`;
  const file = path.join(workDir, "mirror", "good", filename);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  sh("sh", ["-c", `tar --sort=name --mtime=@1680000000 --owner=0 --group=0 --numeric-owner -C "${path.dirname(root)}" -cf - go | gzip -n -1 > "${file}"`]);
  return { file, filename, sha256: sha256File(file), version };
}

/** A base rootfs: busybox (sh, sha256sum, tar, find, …), the shared libraries Debian's go needs, CA certificates, /tmp 1777. */
export function makeBaseRootfs(dir: string): void {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.copyFileSync("/bin/busybox", path.join(bin, "busybox"));
  fs.chmodSync(path.join(bin, "busybox"), 0o755);
  const applets = sh("/bin/busybox", ["--list"]).split("\n").filter((a) => /^[a-z0-9_.-]+$/.test(a) && a !== "busybox");
  for (const a of applets) fs.symlinkSync("busybox", path.join(bin, a));
  const libs = new Set<string>();
  for (const b of fs.readdirSync(path.join(GO_LIB, "bin")).map((x) => path.join(GO_LIB, "bin", x)).concat(fs.readdirSync(path.join(GO_LIB, "pkg/tool/linux_amd64")).map((x) => path.join(GO_LIB, "pkg/tool/linux_amd64", x)))) {
    for (const m of spawnSync("ldd", [b], { encoding: "utf8" }).stdout.matchAll(/(\/[^\s]+\.so[^\s]*)/g)) libs.add(m[1]);
  }
  for (const lib of libs) {
    const target = path.join(dir, lib);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(fs.realpathSync(lib), target);
  }
  fs.mkdirSync(path.join(dir, "etc/ssl/certs"), { recursive: true });
  fs.copyFileSync("/etc/ssl/certs/ca-certificates.crt", path.join(dir, "etc/ssl/certs/ca-certificates.crt"));
  fs.writeFileSync(path.join(dir, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/bin/sh\n");
  for (const d of ["tmp", "root", "home/nonroot"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.chmodSync(path.join(dir, "tmp"), 0o1777);
}

/**
 * Adds GnuPG to a base rootfs (for the toolchain stage's signature step): gpg, and gpg-agent at the
 * path gpg starts it from (gpg 2.2's --import asks the agent about secret keys and fails without
 * it), with their shared libraries.
 */
export function addGnupg(dir: string): void {
  for (const [from, to] of [["/usr/bin/gpg", "bin/gpg"], ["/usr/bin/gpg-agent", "usr/bin/gpg-agent"]]) {
    fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, to));
    fs.chmodSync(path.join(dir, to), 0o755);
    for (const m of spawnSync("ldd", [from], { encoding: "utf8" }).stdout.matchAll(/(\/[^\s]+\.so[^\s]*)/g)) {
      const target = path.join(dir, m[1]);
      if (fs.existsSync(target)) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(fs.realpathSync(m[1]), target);
    }
  }
}

/**
 * gpg-agent processes a build started: `gpg --import` in the signature step launches one, and with
 * chroot isolation (no PID namespace) it outlives the RUN step on the host. Only processes named
 * gpg-agent, in another mount namespace than this one, started after `sinceMs` are listed.
 */
export function strayGpgAgents(sinceMs: number): number[] {
  const own = fs.readlinkSync("/proc/self/ns/mnt");
  const bootMs = Date.now() - Number(fs.readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1000;
  const ticks = 100; // USER_HZ on Linux
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "gpg-agent") continue;
      if (fs.readlinkSync(`/proc/${entry}/ns/mnt`) === own) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const startTicks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
      if (bootMs + (startTicks / ticks) * 1000 >= sinceMs - 1000) out.push(Number(entry));
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Registry {
  readonly host: string;
  stop(): Promise<void>;
}

/** Debian's docker-registry (distribution 2.8) on 127.0.0.1, storage in a temp dir. */
export async function startRegistry(dir: string): Promise<Registry> {
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const config = path.join(dir, "registry.yml");
  fs.writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, "data")}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child: ChildProcess = spawn("docker-registry", ["serve", config], { stdio: "ignore" });
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      const r = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`docker-registry did not answer on ${host} within 20 s`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    host,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface Mirror {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * An HTTP mirror on 127.0.0.1 in its own process (Python's http.server): buildah runs synchronously
 * from the test, so a server inside the test process could not answer it.
 */
export async function startMirror(dir: string): Promise<Mirror> {
  const port = await freePort();
  const child: ChildProcess = spawn("python3", ["-m", "http.server", "--bind", "127.0.0.1", String(port), "--directory", dir], { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`the mirror did not answer on ${url} within 20 s`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export class Buildah {
  constructor(private readonly storage: string) {}

  private flags(): string[] {
    return ["--root", path.join(this.storage, "root"), "--runroot", path.join(this.storage, "runroot"), "--storage-driver", "overlay"];
  }

  run(args: string[], opts: { cwd?: string } = {}): { code: number; stdout: string; stderr: string } {
    const r = spawnSync("buildah", [...this.flags(), ...args], { cwd: opts.cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 600000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  ok(args: string[], opts: { cwd?: string } = {}): string {
    const r = this.run(args, opts);
    if (r.code !== 0) throw new Error(`buildah ${args.join(" ")} failed (${r.code}):\n${r.stderr.slice(-4000)}`);
    return r.stdout;
  }

  /** bud with layer caching, as root with chroot isolation (no daemon). */
  bud(contextDir: string, dockerfile: string, tag: string, buildArgs: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
    const args = ["bud", "--isolation", "chroot", "--layers", "--tls-verify=false", "--platform", "linux/amd64", "-f", dockerfile, "-t", tag];
    for (const [k, v] of Object.entries(buildArgs)) args.push("--build-arg", `${k}=${v}`);
    args.push(contextDir);
    // stdout and stderr interleaved, in order, so a failing step's message sits next to the step.
    const r = spawnSync("sh", ["-c", 'exec "$0" "$@" 2>&1', "buildah", ...this.flags(), ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 600000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: "" };
  }

  /** Pushes to the loopback registry and returns the manifest digest. */
  push(tag: string, dest: string, workDir: string): string {
    const digestFile = path.join(workDir, `digest-${crypto.randomBytes(4).toString("hex")}`);
    this.ok(["push", "--tls-verify=false", "--digestfile", digestFile, tag, `docker://${dest}`]);
    return fs.readFileSync(digestFile, "utf8").trim();
  }

  /** Copies a path out of an image (empty string when absent). */
  readFromImage(image: string, file: string, out: string): boolean {
    const ctr = this.ok(["from", "--pull-never", image]).trim();
    try {
      const mnt = this.ok(["mount", ctr]).trim();
      const src = path.join(mnt, file);
      if (!fs.existsSync(src)) return false;
      fs.copyFileSync(src, out);
      return true;
    } finally {
      this.run(["umount", ctr]);
      this.run(["rm", ctr]);
    }
  }

  exists(image: string, file: string): boolean {
    const ctr = this.ok(["from", "--pull-never", image]).trim();
    try {
      const mnt = this.ok(["mount", ctr]).trim();
      return fs.existsSync(path.join(mnt, file));
    } finally {
      this.run(["umount", ctr]);
      this.run(["rm", ctr]);
    }
  }

  inspect(image: string): any {
    return JSON.parse(this.ok(["inspect", "--type", "image", image]));
  }
}
