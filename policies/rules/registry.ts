// Every rule of the pack, in one list: the entry point builds the pack from it, the policy config
// and the README table are generated from its metadata.
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RuleDoc } from "../lib/meta";
import { GO_SETTINGS_RULES, goSettingsDoc, goSettingsPolicy } from "./go-settings";
import { copiedImageSourcePinned, goImageFullPatch, imageNoLatest, imagePinnedByDigest } from "./images";
import { dockerfileReadable, goInstallPinned, toolchainDownloadVerified } from "./dockerfile";
import { athensChecksums, athensCredentials, athensOperations, athensReplicas, athensStorage } from "./athens";
import { highAvailability, notDefaultNamespace, podSecurityRestricted, probesSet, proxyNetworkPolicy, readOnlyRoot, resourcesSet, serviceAccountDedicated } from "./workloads";
import { bucketHardened, ecrRepository, imagesByDigestOutput, redisEncrypted, statefulProtected } from "./aws";
import { oneGoVersion } from "./stack";
import { goSupportWindow, goVulnerabilities } from "./vulns";
import { goArchiveSignature } from "./signatures";

export const RULES: ReadonlyArray<{ doc: RuleDoc; policy: ResourceValidationPolicy | StackValidationPolicy }> = [
  ...GO_SETTINGS_RULES.map((m) => ({ doc: goSettingsDoc(m), policy: goSettingsPolicy(m) })),
  goImageFullPatch,
  imagePinnedByDigest,
  copiedImageSourcePinned,
  imageNoLatest,
  goInstallPinned,
  toolchainDownloadVerified,
  dockerfileReadable,
  oneGoVersion,
  athensChecksums,
  athensStorage,
  athensReplicas,
  athensCredentials,
  athensOperations,
  podSecurityRestricted,
  readOnlyRoot,
  resourcesSet,
  probesSet,
  highAvailability,
  proxyNetworkPolicy,
  serviceAccountDedicated,
  notDefaultNamespace,
  ecrRepository,
  bucketHardened,
  redisEncrypted,
  statefulProtected,
  imagesByDigestOutput,
  goVulnerabilities,
  goSupportWindow,
  goArchiveSignature,
];

export const RULE_DOCS: readonly RuleDoc[] = RULES.map((r) => r.doc);
