// Kubernetes manifests for the module proxy (pure). Values that come from other resources at
// deploy time (the image digest, the IRSA role ARN) are type parameters, so the component can pass
// outputs while tests pass strings. Every pod setting closes a gap of the upstream chart: numeric
// non-root user, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp,
// read-only root filesystem with writable emptyDirs, requests and limits, three distinct probes.

import { resolveGoEnvBaseline } from "../toolchain/goenv";
import { ATHENS_PORT, ATHENS_UID, athensEnv, DISK_ROOT, HOME_DIR, NETRC_DIR, NETRC_SECRET_KEY, ProxySpec, REDIS_ENDPOINT_ENV, REDIS_ENDPOINT_SECRET_KEY } from "./settings";

export const CONSUMER_LABEL = "goguard.dev/go-consumer";
export const GO_ENV_CONFIGMAP = "go-env";

export interface ManifestInputs<V> {
  readonly image: V;
  /** The IRSA role ARN for the ServiceAccount (S3 storage). */
  readonly roleArn?: V;
  /** Name of the Secret holding `.netrc` (when private credentials are configured). */
  readonly netrcSecretName?: string;
  /** Name of the Secret holding the Redis URL with its password (key `endpoint`). */
  readonly redisSecretName?: string;
}

/**
 * A Secret holding credentials under `data` (base64), the form every consumer of a manifest accepts.
 * `V` is the base64 text: an Output marked secret in the component, a redacted placeholder in tests.
 */
export function credentialSecretManifest<V>(spec: ProxySpec, name: string, key: string, base64Value: V): Obj {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: spec.namespace, labels: labelsFor(spec) }, type: "Opaque", data: { [key]: base64Value } };
}

export function netrcSecretName(spec: ProxySpec): string {
  return `${spec.name}-netrc`;
}

export function redisSecretName(spec: ProxySpec): string {
  return `${spec.name}-redis`;
}

export { NETRC_SECRET_KEY, REDIS_ENDPOINT_SECRET_KEY };

type Obj = Record<string, unknown>;

export function labelsFor(spec: ProxySpec): Record<string, string> {
  return { "app.kubernetes.io/name": "athens", "app.kubernetes.io/instance": spec.name, "app.kubernetes.io/managed-by": "goguard" };
}

/** The Service's in-cluster URL (what an Ingress forwards to; consumers use `spec.url`). */
export function proxyServiceUrl(spec: Pick<ProxySpec, "name" | "namespace">): string {
  return `http://${spec.name}.${spec.namespace}.svc.cluster.local`;
}

/**
 * A namespace that consumes the proxy, labelled so the proxy's NetworkPolicy admits it. Created
 * here, or (adopt) the label alone applied to a namespace that exists (a server-side apply patch).
 */
export function consumerNamespaceManifest(namespace: string): Obj {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: { [CONSUMER_LABEL]: "true" } } };
}

/** The Ingress serving the proxy's URL over TLS; cert-manager issues the certificate when a ClusterIssuer is named. */
export function ingressManifest(spec: ProxySpec): Obj | undefined {
  const ing = spec.ingress;
  if (!ing) return undefined;
  const secretName = "secretName" in ing.tls ? ing.tls.secretName : `${spec.name}-tls`;
  const annotations: Record<string, string> = {
    ...("clusterIssuer" in ing.tls ? { "cert-manager.io/cluster-issuer": ing.tls.clusterIssuer } : {}),
    // ingress-nginx cuts an upstream response after 60 s; a cold module fetch may take ATHENS_TIMEOUT.
    ...(ing.className === "nginx" ? { "nginx.ingress.kubernetes.io/proxy-read-timeout": String(spec.timeoutSeconds), "nginx.ingress.kubernetes.io/ssl-redirect": "true" } : {}),
  };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: spec.name, namespace: spec.namespace, labels: labelsFor(spec), ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      ingressClassName: ing.className,
      tls: [{ hosts: [ing.host], secretName }],
      rules: [{ host: ing.host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: spec.name, port: { name: "http" } } } }] } }],
    },
  };
}

export function namespaceManifest(spec: ProxySpec): Obj {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: spec.namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" } },
  };
}

export function serviceAccountManifest<V>(spec: ProxySpec, inputs: ManifestInputs<V>): Obj {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: spec.name, namespace: spec.namespace, labels: labelsFor(spec), ...(inputs.roleArn !== undefined ? { annotations: { "eks.amazonaws.com/role-arn": inputs.roleArn } } : {}) },
    // Athens never talks to the Kubernetes API; the EKS webhook mounts the IRSA token on its own.
    automountServiceAccountToken: false,
  };
}

export function deploymentManifest<V>(spec: ProxySpec, inputs: ManifestInputs<V>): Obj {
  const labels = labelsFor(spec);
  const env = athensEnv(spec);
  const volumes: Obj[] = [
    { name: "tmp", emptyDir: { sizeLimit: "4Gi" } },
    { name: "home", emptyDir: { sizeLimit: "256Mi" } },
  ];
  const mounts: Obj[] = [
    { name: "tmp", mountPath: "/tmp" },
    { name: "home", mountPath: HOME_DIR },
  ];
  if (spec.storage.kind === "disk") {
    volumes.push({ name: "storage", persistentVolumeClaim: { claimName: `${spec.name}-storage` } });
    mounts.push({ name: "storage", mountPath: DISK_ROOT });
  }
  if (spec.hasNetrc && inputs.netrcSecretName) {
    volumes.push({ name: "netrc", secret: { secretName: inputs.netrcSecretName, defaultMode: 0o400, items: [{ key: NETRC_SECRET_KEY, path: ".netrc" }] } });
    mounts.push({ name: "netrc", mountPath: NETRC_DIR, readOnly: true });
  }
  const probe = (path: string, extra: Obj): Obj => ({ httpGet: { path, port: "http" }, timeoutSeconds: 5, ...extra });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: labels },
      // A ReadWriteOnce volume cannot be attached to a second pod: disk storage replaces the pod.
      strategy: spec.storage.kind === "disk" ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: spec.name,
          automountServiceAccountToken: false,
          // Athens waits ATHENS_SHUTDOWN_TIMEOUT for in-flight downloads; give it that, plus margin.
          terminationGracePeriodSeconds: spec.shutdownTimeoutSeconds + 15,
          securityContext: { runAsNonRoot: true, runAsUser: ATHENS_UID, runAsGroup: ATHENS_UID, fsGroup: ATHENS_UID, seccompProfile: { type: "RuntimeDefault" } },
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: spec.strictSpread ? "DoNotSchedule" : "ScheduleAnyway", labelSelector: { matchLabels: labels } },
          ],
          containers: [
            {
              name: "athens",
              image: inputs.image,
              ports: [{ name: "http", containerPort: ATHENS_PORT, protocol: "TCP" }],
              env: [
                ...Object.entries(env).map(([name, value]) => ({ name, value })),
                // The Redis address and password reach Athens only through the Secret (one URL, which
                // every Athens release parses): they are in no manifest and no pod spec.
                ...(spec.singleFlight?.kind === "redis" && inputs.redisSecretName ? [{ name: REDIS_ENDPOINT_ENV, valueFrom: { secretKeyRef: { name: inputs.redisSecretName, key: REDIS_ENDPOINT_SECRET_KEY } } }] : []),
              ],
              readinessProbe: probe("/readyz", { periodSeconds: 10, failureThreshold: 3 }),
              livenessProbe: probe("/healthz", { periodSeconds: 20, failureThreshold: 3 }),
              startupProbe: probe("/healthz", { periodSeconds: 5, failureThreshold: 30 }),
              resources: {
                requests: { cpu: "100m", memory: "256Mi", "ephemeral-storage": "1Gi" },
                limits: { memory: "1Gi", "ephemeral-storage": "5Gi" },
              },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: ATHENS_UID,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  };
}

export function serviceManifest(spec: ProxySpec): Obj {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: spec.name, namespace: spec.namespace, labels: labelsFor(spec) },
    spec: { type: "ClusterIP", selector: labelsFor(spec), ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
  };
}

export function pdbManifest(spec: ProxySpec): Obj {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: spec.name, namespace: spec.namespace, labels: labelsFor(spec) },
    spec: { minAvailable: 1, selector: { matchLabels: labelsFor(spec) } },
  };
}

export function pvcManifest(spec: ProxySpec): Obj | undefined {
  if (spec.storage.kind !== "disk") return undefined;
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: `${spec.name}-storage`, namespace: spec.namespace, labels: labelsFor(spec) },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: spec.storage.size } }, ...(spec.storage.storageClassName ? { storageClassName: spec.storage.storageClassName } : {}) },
  };
}

/** Ingress only from namespaces labelled as Go build consumers (and the ingress controller's); egress only DNS, HTTPS (upstream, VCS, S3) and the single-flight backend. */
export function networkPolicyManifest(spec: ProxySpec): Obj {
  const egress: Obj[] = [
    { ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
    { ports: [{ protocol: "TCP", port: 443 }] },
  ];
  if (spec.singleFlight?.kind === "redis") egress.push({ ports: [{ protocol: "TCP", port: spec.singleFlight.port }] });
  if (spec.singleFlight?.kind === "etcd") egress.push({ ports: [{ protocol: "TCP", port: 2379 }] });
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: spec.name, namespace: spec.namespace, labels: labelsFor(spec) },
    spec: {
      podSelector: { matchLabels: labelsFor(spec) },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { [CONSUMER_LABEL]: "true" } } },
            ...(spec.ingress ? [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": spec.ingress.controllerNamespace } } }] : []),
          ],
          ports: [{ protocol: "TCP", port: ATHENS_PORT }],
        },
      ],
      egress,
    },
  };
}

/** The published Go environment consumers take with envFrom: the same baseline the rules check. */
export function goEnvConfigMapManifest(spec: ProxySpec, namespace: string): Obj {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: GO_ENV_CONFIGMAP, namespace, labels: { ...labelsFor(spec), "goguard.dev/go-env": "true" } },
    data: { ...resolveGoEnvBaseline({ proxyUrl: spec.url, privatePrefixes: spec.privatePrefixes }) },
  };
}
