// T4–T6: image references in Dockerfiles (FROM with ARG defaults resolved through the build args,
// COPY --from=<image>) and in Kubernetes containers and init containers.
import { bundledCatalog } from "../../components/toolchain/bundled";
import { imageName, parseImageRef } from "../../components/toolchain/image-ref";
import { checkPinnedVersion } from "../../components/toolchain/pin";
import { parseGoVersion, versionShape } from "../../components/toolchain/version";
import { imageUses } from "../lib/resources";
import { resourceRule } from "./common";

const GOLANG_TAG = /^\d+\.\d+\.\d+(-[a-z0-9][a-z0-9.-]*)?$/;

export const goImageFullPatch = resourceRule(
  {
    name: "golang-image-full-patch",
    rows: ["T4"],
    severity: "high",
    description: "Images named golang (any registry) are tagged with a full patch release such as golang:1.26.7 or golang:1.26.7-bookworm, never golang:1, golang:1.26, golang:alpine or latest.",
    remediation: "Tag golang images with the environment's exact Go release, or build on the GoGuard builder image.",
  },
  (args, config) => imageUses(args.type, args.props).flatMap((u) => golangTagProblems(u, config)),
);

/** golang-image-full-patch for one image use (pure; check-repo judges service Dockerfiles with it). */
export function golangTagProblems(u: { readonly ref: string; readonly where: string }, config: Record<string, unknown>): string[] {
  const ref = parseImageRef(u.ref);
  if (!ref || imageName(ref) !== "golang") return [];
  if (ref.tag !== undefined && GOLANG_TAG.test(ref.tag)) return [];
  // The version part of the tag (before a -variant), judged by the shared pin validator so a
  // pre-release, a minor series and a bare major are told apart.
  const version = ref.tag === undefined ? undefined : ref.tag.split("-")[0];
  const allowed = Array.isArray(config.allowedVersions) && config.allowedVersions.length > 0 ? (config.allowedVersions as string[]) : undefined;
  const pin = version === undefined ? undefined : checkPinnedVersion(version, bundledCatalog(), { allowPrerelease: config.allowPrereleases === true });
  // A release candidate the environment allows (dev) is an exact version too.
  if (pin?.ok) return [];
  const parsed = version === undefined ? undefined : parseGoVersion(version);
  const moves = parsed === undefined || versionShape(parsed) === "minor" ? "; the tag moves to each new Go release" : "";
  const why = ref.tag === undefined ? "has no tag, so it means golang:latest, whatever Go was released last" : pin && !pin.ok ? `has tag ${ref.tag}: ${pin.reason}` : `has tag ${ref.tag}, which is not a full Go patch release`;
  return [`${u.where}: image ${u.ref} ${why}${moves}. Fix: use golang:${allowed ? allowed.join(" or golang:") : "<X.Y.Z>"}[-variant] from the lock, pinned by @sha256 digest.`];
}

export const imagePinnedByDigest = resourceRule(
  {
    name: "image-pinned-by-digest",
    rows: ["T5"],
    severity: "high",
    description: "Every external image is pinned by @sha256 digest: Dockerfile FROM lines (ARG defaults resolved with the build args), COPY --from=<image>, Kubernetes containers and init containers.",
    remediation: "Append @sha256:<digest> (resolve it with `goguard lock resolve-images`), or hand the image a digest output.",
  },
  (args) => imageUses(args.type, args.props).flatMap(digestProblems),
);

/** image-pinned-by-digest for one image use (pure). */
export function digestProblems(u: { readonly ref: string; readonly where: string; readonly copy?: boolean }): string[] {
  const ref = parseImageRef(u.ref);
  if (!ref) return [`${u.where}: image "${u.ref}" cannot be resolved to a reference (an ARG without a default?), so it cannot be pinned. Fix: give the ARG a pinned default or pass it as a build arg.`];
  // The source of a copy (a Dockerfile that is only FROM) is judged by copied-image-source-pinned.
  if (u.copy) return [];
  return ref.digest === undefined ? [`${u.where}: image ${u.ref} is not pinned by digest. Fix: use ${u.ref}@sha256:<digest>.`] : [];
}

export const copiedImageSourcePinned = resourceRule(
  {
    name: "copied-image-source-pinned",
    rows: ["T5-copy"],
    severity: "medium",
    description: "An image copied into the stack's registry (a build whose Dockerfile is only FROM <source>, as MirroredImage does) names its source by @sha256 digest. The copy is deployed by its pushed digest, so this is shown in every environment without blocking; `goguard lock verify --strict` refuses an unresolved source before prod.",
    remediation: "Resolve the source's digest with `goguard lock resolve-images --image <source>` on a networked machine; the stack then copies <source>@sha256:<digest>.",
  },
  (args) =>
    imageUses(args.type, args.props).flatMap((u) => {
      const ref = u.copy ? parseImageRef(u.ref) : undefined;
      if (!ref || ref.digest !== undefined) return [];
      return [`${u.where}: this image is a copy of ${u.ref}, which is not pinned by digest, so the copy holds whatever the tag named when it was built (the copy itself is deployed by its pushed digest). Fix: resolve it with \`goguard lock resolve-images --image ${u.ref}\` so the copy is made from ${u.ref}@sha256:<digest>.`];
    }),
);

export const imageNoLatest = resourceRule(
  {
    name: "image-no-latest",
    rows: ["T6"],
    severity: "high",
    description: "No image is referenced as :latest or without any tag or digest.",
    remediation: "Name an exact tag and pin it by digest.",
  },
  (args) => imageUses(args.type, args.props).flatMap(latestProblems),
);

/** image-no-latest for one image use (pure). */
export function latestProblems(u: { readonly ref: string; readonly where: string }): string[] {
  const ref = parseImageRef(u.ref);
  if (!ref) return [];
  if (ref.tag === "latest") return [`${u.where}: image ${u.ref} uses the latest tag. Fix: name an exact tag and pin it by digest.`];
  if (ref.tag === undefined && ref.digest === undefined) return [`${u.where}: image ${u.ref} has neither tag nor digest (it means latest). Fix: name an exact tag and pin it by digest.`];
  return [];
}
