// K1–K8: the Kubernetes baseline for the proxy and any Go workload (a workload whose containers
// carry Go settings, take the go-env ConfigMap, or run Athens or a golang image).
import { StackValidationArgs, PolicyResource } from "@pulumi/policy";
import { hasGoSettings } from "../../components/toolchain/goenv";
import { imageName, parseImageRef } from "../../components/toolchain/image-ref";
import { ContainerRef, containerEnv, containerImage, containers, isWorkload, podSpec } from "../lib/sources";
import { environmentFromConfig } from "../lib/config";
import { resourceRule, stackRule } from "./common";

type Obj = Record<string, any>;

export function isGoWorkload(type: string, props: unknown): boolean {
  if (!isWorkload(type)) return false;
  return containers(type, props).some((c) => {
    const env = containerEnv(c);
    const image = containerImage(c);
    const ref = image !== undefined ? parseImageRef(image) : undefined;
    const envFrom = Array.isArray(c.spec.envFrom) ? (c.spec.envFrom as Obj[]) : [];
    return (
      hasGoSettings(env) ||
      Object.keys(env).some((k) => k.startsWith("ATHENS_")) ||
      envFrom.some((f) => f?.configMapRef?.name === "go-env") ||
      (ref !== undefined && ["golang", "athens"].includes(imageName(ref)))
    );
  });
}

const LONG_RUNNING = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1:ReplicaSet"];

const where = (c: ContainerRef): string => `${c.kind === "initContainer" ? "init container" : "container"} "${c.name}"`;

function goWorkload(args: { type: string; props: unknown }): { pod: Obj; cs: ContainerRef[] } | undefined {
  if (!isGoWorkload(args.type, args.props)) return undefined;
  return { pod: podSpec(args.type, args.props) ?? {}, cs: containers(args.type, args.props) };
}

export const podSecurityRestricted = resourceRule(
  {
    name: "pod-security-restricted",
    rows: ["K1"],
    severity: "high",
    description: "Go workloads meet Pod Security Standards restricted: runAsNonRoot, a numeric non-zero runAsUser, allowPrivilegeEscalation false, all capabilities dropped, seccomp RuntimeDefault, nothing privileged, no host namespaces, hostPath volumes or host ports.",
    remediation: "Set the pod and container securityContext as GoModuleProxy does (runAsNonRoot, runAsUser 1000+, drop ALL, RuntimeDefault seccomp, no privilege escalation).",
  },
  (args) => {
    const w = goWorkload(args);
    if (!w) return [];
    const out: string[] = [];
    const psc: Obj = w.pod.securityContext ?? {};
    for (const k of ["hostNetwork", "hostPID", "hostIPC"]) if (w.pod[k] === true) out.push(`pod sets ${k}: true. Fix: remove it.`);
    for (const v of (w.pod.volumes ?? []) as Obj[]) if (v?.hostPath) out.push(`volume "${v.name}" is a hostPath. Fix: use an emptyDir or a PersistentVolumeClaim.`);
    for (const c of w.cs) {
      const sc: Obj = c.spec.securityContext ?? {};
      const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
      const uid = sc.runAsUser ?? psc.runAsUser;
      const seccomp = (sc.seccompProfile ?? psc.seccompProfile)?.type;
      if (nonRoot !== true) out.push(`${where(c)}: runAsNonRoot is not true. Fix: set runAsNonRoot: true.`);
      if (typeof uid !== "number" || uid === 0) out.push(`${where(c)}: runAsUser is ${uid === undefined ? "unset" : uid}. Fix: set a numeric non-zero runAsUser (such as 65532).`);
      if (sc.allowPrivilegeEscalation !== false) out.push(`${where(c)}: allowPrivilegeEscalation is not false. Fix: set allowPrivilegeEscalation: false.`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${where(c)}: capabilities are not dropped. Fix: set capabilities.drop: [ALL].`);
      if ((sc.capabilities?.add ?? []).length > 0) out.push(`${where(c)}: adds capabilities ${sc.capabilities.add.join(", ")}. Fix: add none.`);
      if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") out.push(`${where(c)}: seccomp profile is ${seccomp ?? "unset"}. Fix: set seccompProfile.type: RuntimeDefault.`);
      if (sc.privileged === true) out.push(`${where(c)}: privileged. Fix: remove privileged: true.`);
      for (const p of (c.spec.ports ?? []) as Obj[]) if (p?.hostPort) out.push(`${where(c)}: hostPort ${p.hostPort}. Fix: expose it through a Service.`);
    }
    return out;
  },
);

export const readOnlyRoot = resourceRule(
  {
    name: "read-only-root-filesystem",
    rows: ["K2"],
    severity: "medium",
    description: "Go workload containers run with readOnlyRootFilesystem: true (writable emptyDirs where needed).",
    remediation: "Set readOnlyRootFilesystem: true and mount emptyDirs for /tmp and $HOME.",
  },
  (args) => goWorkload(args)?.cs.filter((c) => (c.spec.securityContext as Obj | undefined)?.readOnlyRootFilesystem !== true).map((c) => `${where(c)}: the root filesystem is writable. Fix: set readOnlyRootFilesystem: true.`) ?? [],
);

export const resourcesSet = resourceRule(
  {
    name: "resources-requests-limits",
    rows: ["K3"],
    severity: "medium",
    description: "Go workload containers request memory, CPU and ephemeral storage, and limit memory and ephemeral storage.",
    remediation: "Set resources.requests {cpu, memory, ephemeral-storage} and resources.limits {memory, ephemeral-storage}.",
  },
  (args) =>
    goWorkload(args)?.cs.flatMap((c) => {
      const r: Obj = c.spec.resources ?? {};
      const missing = [
        ...["memory", "cpu", "ephemeral-storage"].filter((k) => r.requests?.[k] === undefined).map((k) => `requests.${k}`),
        ...["memory", "ephemeral-storage"].filter((k) => r.limits?.[k] === undefined).map((k) => `limits.${k}`),
      ];
      return missing.length > 0 ? [`${where(c)}: no ${missing.join(", ")}. Fix: set them.`] : [];
    }) ?? [],
);

export const probesSet = resourceRule(
  {
    name: "probes-distinct",
    rows: ["K4"],
    severity: "medium",
    description: "Go workload containers have readiness and liveness probes, and they are not the same probe.",
    remediation: "Probe readiness on a dependency-aware endpoint (/readyz) and liveness on /healthz; add a startup probe for slow starts.",
  },
  (args) =>
    // Probes belong to long-running workloads; a Job's pod runs to completion.
    (LONG_RUNNING.includes(args.type) ? goWorkload(args)?.cs.filter((c) => c.kind === "container") ?? [] : []).flatMap((c) => {
      const { readinessProbe: r, livenessProbe: l } = c.spec as Obj;
      if (!r || !l) return [`${where(c)}: ${!r && !l ? "no readiness or liveness probe" : !r ? "no readiness probe" : "no liveness probe"}. Fix: add both, on different endpoints.`];
      return JSON.stringify(r) === JSON.stringify(l) ? [`${where(c)}: readiness and liveness are the same probe. Fix: make readiness check dependencies (/readyz) and liveness only the process (/healthz).`] : [];
    }),
);

export const serviceAccountDedicated = resourceRule(
  {
    name: "service-account-dedicated",
    rows: ["K7"],
    severity: "medium",
    description: "Go workloads run under a dedicated ServiceAccount with token automount off unless they need the Kubernetes API.",
    remediation: "Create a ServiceAccount for the workload and set automountServiceAccountToken: false.",
  },
  (args) => {
    const w = goWorkload(args);
    if (!w) return [];
    const out: string[] = [];
    const sa = w.pod.serviceAccountName;
    if (sa === undefined || sa === "default") out.push(`pod runs as the ${sa === undefined ? "default (unset)" : "default"} ServiceAccount. Fix: give it a dedicated ServiceAccount.`);
    if (w.pod.automountServiceAccountToken !== false) out.push(`pod mounts a ServiceAccount token. Fix: set automountServiceAccountToken: false.`);
    return out;
  },
);

export const notDefaultNamespace = resourceRule(
  {
    name: "not-default-namespace",
    rows: ["K8"],
    severity: "low",
    description: "Go workloads are not deployed to the default namespace.",
    remediation: "Set metadata.namespace to the team's namespace.",
  },
  (args) => {
    if (!isGoWorkload(args.type, args.props)) return [];
    const ns = (args.props as Obj).metadata?.namespace;
    return ns === undefined || ns === "default" ? [`is in the ${ns === undefined ? "default (unset)" : "default"} namespace. Fix: set metadata.namespace.`] : [];
  },
);

function labelsMatch(selector: Obj | undefined, labels: Obj | undefined): boolean {
  const want: Obj = selector?.matchLabels ?? {};
  return Object.entries(want).every(([k, v]) => labels?.[k] === v);
}

function nsOf(r: PolicyResource): string {
  return (r.props as Obj).metadata?.namespace ?? "default";
}

function podLabels(r: PolicyResource): Obj | undefined {
  const p = r.props as Obj;
  return r.type === "kubernetes:core/v1:Pod" ? p.metadata?.labels : p.spec?.template?.metadata?.labels;
}

export const highAvailability = stackRule(
  {
    name: "high-availability",
    rows: ["K5"],
    severity: "medium",
    description: "In prod, long-running Go workloads run at least two replicas, spread across nodes, with a PodDisruptionBudget selecting them.",
    remediation: "Set replicas ≥ 2, a topologySpreadConstraint on kubernetes.io/hostname, and a PodDisruptionBudget with minAvailable: 1.",
  },
  (args: StackValidationArgs, config) => {
    if (environmentFromConfig(config) !== "prod") return [];
    // PDBs indexed by (namespace, one selector label): each workload looks up a few candidates.
    const byLabel = new Map<string, PolicyResource[]>();
    for (const b of args.resources.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget")) {
      const first = Object.entries(((b.props as Obj).spec?.selector?.matchLabels ?? {}) as Obj)[0];
      const key = `${nsOf(b)}\u0000${first ? `${first[0]}=${first[1]}` : "*"}`;
      byLabel.set(key, [...(byLabel.get(key) ?? []), b]);
    }
    const candidates = (r: PolicyResource): PolicyResource[] => [
      ...(byLabel.get(`${nsOf(r)}\u0000*`) ?? []),
      ...Object.entries((podLabels(r) ?? {}) as Obj).flatMap(([k, v]) => byLabel.get(`${nsOf(r)}\u0000${k}=${v}`) ?? []),
    ];
    const out: Array<[string, string]> = [];
    for (const r of args.resources) {
      if (!["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"].includes(r.type) || !isGoWorkload(r.type, r.props)) continue;
      const p = r.props as Obj;
      if (typeof p.spec?.replicas === "number" && p.spec.replicas < 2) out.push([r.urn, `${r.name} runs ${p.spec.replicas} replica(s). Fix: run at least 2.`]);
      const pod = p.spec?.template?.spec ?? {};
      if (!(pod.topologySpreadConstraints ?? []).length && !pod.affinity?.podAntiAffinity) out.push([r.urn, `${r.name} is not spread across nodes. Fix: add a topologySpreadConstraint on kubernetes.io/hostname.`]);
      if (!candidates(r).some((b) => labelsMatch((b.props as Obj).spec?.selector, podLabels(r)))) out.push([r.urn, `${r.name} has no PodDisruptionBudget selecting its pods. Fix: add one with minAvailable: 1.`]);
    }
    return out;
  },
);

export const proxyNetworkPolicy = stackRule(
  {
    name: "proxy-network-policy",
    rows: ["K6"],
    severity: "high",
    description: "A NetworkPolicy selects the module proxy's pods and admits ingress only from allowed namespaces; an Ingress in front of the proxy serves TLS for every host it routes.",
    remediation: "Add a NetworkPolicy selecting the proxy pods with ingress from a namespaceSelector, and give the proxy's Ingress a tls entry per host (GoModuleProxy does both).",
  },
  (args) => {
    const nps = args.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    const out: Array<[string, string]> = [];
    for (const r of args.resources) {
      if (!isWorkload(r.type)) continue;
      const athens = containers(r.type, r.props).some((c) => Object.keys(containerEnv(c)).some((k) => k.startsWith("ATHENS_")));
      if (!athens) continue;
      const ok = nps.some((n) => {
        const s = (n.props as Obj).spec ?? {};
        return nsOf(n) === nsOf(r) && labelsMatch(s.podSelector, podLabels(r)) && (s.policyTypes ?? []).includes("Ingress") && (s.ingress ?? []).every((i: Obj) => (i.from ?? []).length > 0);
      });
      if (!ok) out.push([r.urn, `${r.name}: no NetworkPolicy selects the proxy pods with ingress limited to allowed namespaces. Fix: add one.`]);
      // An Ingress routing to a Service of these pods: module downloads (and private module paths)
      // would cross the network in clear on any host it serves without TLS.
      const services = args.resources.filter((x) => x.type === "kubernetes:core/v1:Service" && nsOf(x) === nsOf(r) && Object.keys((x.props as Obj).spec?.selector ?? {}).length > 0 && labelsMatch({ matchLabels: (x.props as Obj).spec.selector }, podLabels(r)));
      const names = new Set(services.map((x) => (x.props as Obj).metadata?.name).filter((n) => typeof n === "string"));
      for (const ing of args.resources.filter((x) => x.type === "kubernetes:networking.k8s.io/v1:Ingress" && nsOf(x) === nsOf(r))) {
        const spec = (ing.props as Obj).spec ?? {};
        const routed = ((spec.rules ?? []) as Obj[]).filter((rule) => ((rule.http?.paths ?? []) as Obj[]).some((pth) => names.has(pth.backend?.service?.name)));
        const tlsHosts = new Set(((spec.tls ?? []) as Obj[]).flatMap((t) => (t.hosts ?? []) as string[]));
        for (const rule of routed) {
          const host = typeof rule.host === "string" ? rule.host : "(every host)";
          if (!tlsHosts.has(host)) out.push([ing.urn, `${ing.name} routes ${host} to the module proxy without TLS. Fix: add spec.tls with that host and a certificate Secret (or a cert-manager issuer annotation).`]);
        }
      }
    }
    return out;
  },
);
