// MirroredImage's copy, built for real: the one-line Dockerfile `FROM <source>@<digest>` that
// copyDockerfile renders, written by writeBuildContext as the component writes it, built with buildah
// from a digest-pinned image on a loopback registry and pushed under the content-derived copyTag.
// The copy adds nothing: its layers (uncompressed diff IDs) are the source's. What is not exercised
// here: a second platform (no emulator) and ECR (the push goes to the loopback registry).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { copyDockerfile } from "../../components/build-image/copy";
import { writeBuildContext } from "../../components/build-image/context";
import { copyTag } from "../../components/build-image/tag";
import { isPureCopy } from "../../policies/lib/resources";
import { Buildah, Registry, startRegistry } from "./fixtures";

let work: string;
let registry: Registry;
let buildah: Buildah;

/** The image config's uncompressed layer digests, as the registry serves them. */
async function diffIds(repo: string, ref: string): Promise<string[]> {
  const accept = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"].join(", ");
  const m = (await (await fetch(`http://${registry.host}/v2/${repo}/manifests/${ref}`, { headers: { Accept: accept }, signal: AbortSignal.timeout(10000) })).json()) as { config: { digest: string } };
  const config = (await (await fetch(`http://${registry.host}/v2/${repo}/blobs/${m.config.digest}`, { signal: AbortSignal.timeout(10000) })).json()) as { rootfs: { diff_ids: string[] } };
  return config.rootfs.diff_ids;
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "goguard-copy-"));
  buildah = new Buildah(path.join(work, "storage"));
  registry = await startRegistry(path.join(work, "registry"));
}, 120000);

afterAll(async () => {
  await registry?.stop();
  buildah?.run(["rmi", "--all", "--force"]);
  fs.rmSync(work, { recursive: true, force: true });
});

test("the copy of a digest-pinned source has exactly the source's layers, under a content-derived tag", async () => {
  // The source: a one-file image pushed to the loopback registry, referenced by digest.
  const rootfs = path.join(work, "rootfs");
  fs.mkdirSync(path.join(rootfs, "etc"), { recursive: true });
  fs.writeFileSync(path.join(rootfs, "etc", "athens-version"), "v0.18.1 (test stand-in)\n");
  const ctr = buildah.ok(["from", "scratch"]).trim();
  buildah.ok(["copy", ctr, `${rootfs}/`, "/"]);
  buildah.ok(["commit", ctr, "localhost/goguard-test/source:v0.18.1"]);
  buildah.ok(["rm", ctr]);
  const sourceDigest = buildah.push("localhost/goguard-test/source:v0.18.1", `${registry.host}/upstream/athens:v0.18.1`, work);
  const source = `${registry.host}/upstream/athens:v0.18.1@${sourceDigest}`;

  // The component's context: only the Dockerfile, one FROM line, which the pack reads as a copy.
  const text = copyDockerfile(source);
  expect(isPureCopy(text)).toBe(true);
  const dir = writeBuildContext(path.join(work, "out"), { Dockerfile: text });
  expect(fs.readdirSync(dir)).toEqual(["Dockerfile"]);

  const b = buildah.bud(dir, path.join(dir, "Dockerfile"), "localhost/goguard-test/copy:test");
  if (b.code !== 0) throw new Error(`copy build failed:\n${b.stdout.slice(-4000)}`);
  const tag = copyTag(source, ["linux/amd64"]);
  expect(tag).toMatch(/^v0\.18\.1-[0-9a-f]{12}$/);
  const copyDigest = buildah.push("localhost/goguard-test/copy:test", `${registry.host}/goguard/athens-staging:${tag}`, work);
  expect(copyDigest).toMatch(/^sha256:[0-9a-f]{64}$/);

  const src = await diffIds("upstream/athens", sourceDigest);
  expect(src).toHaveLength(1);
  expect(await diffIds("goguard/athens-staging", copyDigest)).toEqual(src);
  // And the copy is served by the digest the component hands downstream (`<repository>@<digest>`).
  const r = await fetch(`http://${registry.host}/v2/goguard/athens-staging/manifests/${copyDigest}`, { method: "HEAD", headers: { Accept: "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json" }, signal: AbortSignal.timeout(10000) });
  expect(r.status).toBe(200);
}, 600000);
