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
  (args, config) =>
    imageUses(args.type, args.props).flatMap((u) => {
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
    }),
);

export const imagePinnedByDigest = resourceRule(
  {
    name: "image-pinned-by-digest",
    rows: ["T5"],
    severity: "high",
    description: "Every external image is pinned by @sha256 digest: Dockerfile FROM lines (ARG defaults resolved with the build args), COPY --from=<image>, Kubernetes containers and init containers.",
    remediation: "Append @sha256:<digest> (resolve it with `goguard lock resolve-images`), or hand the image a digest output.",
  },
  (args) =>
    imageUses(args.type, args.props).flatMap((u) => {
      const ref = parseImageRef(u.ref);
      if (!ref) return [`${u.where}: image "${u.ref}" cannot be resolved to a reference (an ARG without a default?), so it cannot be pinned. Fix: give the ARG a pinned default or pass it as a build arg.`];
      return ref.digest === undefined ? [`${u.where}: image ${u.ref} is not pinned by digest. Fix: use ${u.ref}@sha256:<digest>.`] : [];
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
  (args) =>
    imageUses(args.type, args.props).flatMap((u) => {
      const ref = parseImageRef(u.ref);
      if (!ref) return [];
      if (ref.tag === "latest") return [`${u.where}: image ${u.ref} uses the latest tag. Fix: name an exact tag and pin it by digest.`];
      if (ref.tag === undefined && ref.digest === undefined) return [`${u.where}: image ${u.ref} has neither tag nor digest (it means latest). Fix: name an exact tag and pin it by digest.`];
      return [];
    }),
);
