import { bundledCatalog } from "../../components/toolchain/bundled";
import { athensEnv, goBinarySettings, ProxySpec, validateProxySpec } from "../../components/module-proxy/settings";
import {
  consumerNamespaceManifest,
  deploymentManifest,
  goEnvConfigMapManifest,
  ingressManifest,
  namespaceManifest,
  networkPolicyManifest,
  pdbManifest,
  pvcManifest,
  serviceAccountManifest,
  serviceManifest,
} from "../../components/module-proxy/manifests";
import { checkGoSettings } from "../../components/toolchain/goenv";
import { validateKubernetesObject } from "../helpers/k8s-schema";

const catalog = bundledCatalog();
const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/goguard/athens@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";

function spec(over: Partial<ProxySpec> = {}): ProxySpec {
  return {
    namespace: "goproxy",
    name: "athens",
    url: "http://athens.goproxy.svc.cluster.local",
    productionMode: true,
    strictSpread: true,
    allowEphemeralStorage: false,
    requireImageDigest: true,
    storage: { kind: "s3", bucketName: "acme-goproxy-prod", region: "eu-west-1" },
    replicas: 2,
    singleFlight: { kind: "redis", port: 6379, tls: true },
    upstream: "https://proxy.golang.org",
    privatePrefixes: ["git.corp.example"],
    goBinarySettings: {},
    downloadMode: "sync",
    timeoutSeconds: 300,
    shutdownTimeoutSeconds: 60,
    hasNetrc: true,
    ...over,
  };
}

describe("Athens settings", () => {
  test("prod on S3 with IRSA, Redis single-flight (its URL only from the Secret), private prefixes: exactly the settings Athens reads", () => {
    expect(athensEnv(spec())).toEqual({
      ATHENS_DOWNLOAD_MODE: "sync",
      ATHENS_ENABLE_PPROF: "false",
      ATHENS_GOGET_DIR: "/tmp",
      ATHENS_GONOSUM_PATTERNS: "git.corp.example",
      ATHENS_GO_BINARY_ENV_VARS: "GONOSUMDB=git.corp.example;GOPRIVATE=git.corp.example;GOPROXY=https://proxy.golang.org;GOSUMDB=sum.golang.org;GOTOOLCHAIN=local",
      ATHENS_LOG_FORMAT: "json",
      ATHENS_LOG_LEVEL: "info",
      ATHENS_NETRC_PATH: "/etc/athens/netrc/.netrc",
      ATHENS_NETWORK_MODE: "strict",
      ATHENS_S3_BUCKET_NAME: "acme-goproxy-prod",
      ATHENS_SHUTDOWN_TIMEOUT: "60",
      ATHENS_SINGLE_FLIGHT_TYPE: "redis",
      ATHENS_STORAGE_TYPE: "s3",
      ATHENS_SUM_DBS: "https://sum.golang.org",
      ATHENS_TIMEOUT: "300",
      AWS_REGION: "eu-west-1",
      AWS_USE_DEFAULT_CONFIGURATION: "true",
      GO_ENV: "production",
      HOME: "/home/athens",
    });
  });

  test("dev on disk: development mode, disk root, no AWS settings", () => {
    const env = athensEnv(spec({ productionMode: false, storage: { kind: "disk", size: "20Gi" }, replicas: 1, hasNetrc: false }));
    expect(env).toMatchObject({ ATHENS_STORAGE_TYPE: "disk", ATHENS_DISK_STORAGE_ROOT: "/var/lib/athens", GO_ENV: "development" });
    expect(Object.keys(env).filter((k) => k.startsWith("AWS_") || k === "ATHENS_NETRC_PATH")).toEqual([]);
  });

  test("no static AWS keys, no plain GOPROXY/GONOSUMDB pod env (Athens' go ignores them)", () => {
    const env = athensEnv(spec());
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GOPROXY", "GONOSUMDB", "GOSUMDB"]) expect(env).not.toHaveProperty(k);
  });

  test("the go binary settings pass the shared rules (upstream first, checksum database on)", () => {
    const policy = { proxies: ["https://proxy.golang.org"], allowDirectFallback: false, privatePrefixes: ["git.corp.example"], sumdbAllowlist: [], allowInsecureInternal: false, allowedVersions: [], allowPrereleases: false, release: false };
    expect(checkGoSettings(goBinarySettings(spec()), policy, catalog, { complete: true })).toEqual([]);
  });

  test.each<[string, Partial<ProxySpec>, string | undefined, string[]]>([
    ["memory storage without allowEphemeralStorage", { storage: { kind: "memory" }, replicas: 1, singleFlight: undefined }, IMAGE, ['storage.kind: "memory" loses the cache on every restart; use { kind: "s3", bucketName, region } (or set allowEphemeralStorage: true for a throwaway proxy)']],
    ["more than one replica on disk", { storage: { kind: "disk", size: "20Gi" } }, IMAGE, ["replicas: 2 replicas need shared storage; disk storage is a ReadWriteOnce volume: use S3 storage or 1 replica"]],
    ["S3 without a bucket name", { storage: { kind: "s3", bucketName: "", region: "eu-west-1" } }, IMAGE, ["storage.bucketName: S3 storage needs a bucket name (Athens never creates the bucket)"]],
    ["replicas without single-flight", { singleFlight: undefined }, IMAGE, ["redis: 2 replicas need a single-flight backend so they do not fetch the same module at once; set redis { address, tls, password }"]],
    ["a Redis port out of range", { singleFlight: { kind: "redis", port: 70000, tls: true } }, IMAGE, ["redis.address: port 70000 is outside 1-65535"]],
    ["a plain-http URL to a public host", { url: "http://goproxy.example.com" }, IMAGE, ['url: "http://goproxy.example.com" must be an https:// URL, or http:// to a cluster-internal service name (such as http://athens.goproxy.svc.cluster.local)']],
    ["an Ingress for another host than the URL's", { url: "https://goproxy.corp.example", ingress: { host: "proxy.corp.example", className: "nginx", tls: { secretName: "goproxy-tls" }, controllerNamespace: "ingress-nginx" } }, IMAGE, ['ingress.host: the Ingress serves https://proxy.corp.example, but the proxy\'s url is "https://goproxy.corp.example"; consumers would be sent elsewhere: give the ingress the url\'s host']],
    ["upstream turns the checksum database off", { goBinarySettings: { GOSUMDB: "off" } }, IMAGE, ["goBinarySettings.GOSUMDB: GOSUMDB=off turns off checksum verification of every module not already in go.sum. Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."]],
    ["upstream widens GONOSUMDB to everything", { goBinarySettings: { GONOSUMDB: "*" } }, IMAGE, ['goBinarySettings.GONOSUMDB: GONOSUMDB pattern "*" matches every module path (such as github.com/stretchr/testify); Go skips the checksum database for every module it matches. Set GONOSUMDB=git.corp.example.']],
    ["direct as the only upstream", { goBinarySettings: { GOPROXY: "direct" } }, IMAGE, ["goBinarySettings.GOPROXY: GOPROXY=direct starts with direct: Go fetches every module straight from its version control host, bypassing the environment's proxy. Set GOPROXY=https://proxy.golang.org."]],
    ["an image without digest", {}, "docker.io/gomods/athens:v0.18.1", ['image: "docker.io/gomods/athens:v0.18.1" has no digest; the proxy image is deployed by digest (mirror it, or resolve it with `goguard lock resolve-images`), or set requireImageDigest: false for a local proxy']],
    ["a plain-http upstream", { upstream: "http://proxy.example.com" }, IMAGE, [
      'upstream: "http://proxy.example.com" must be an https:// module proxy, such as https://proxy.golang.org',
      "goBinarySettings.GOPROXY: GOPROXY=http://proxy.example.com has the entry http://proxy.example.com: plain http:// to a host outside the cluster. Set GOPROXY=http://proxy.example.com.",
    ]],
  ])("refuses %s", (_n, over, image, problems) => {
    expect(validateProxySpec(spec(over), image, catalog)).toEqual(problems);
  });

  test("a tag alone is accepted without requireImageDigest, memory storage with allowEphemeralStorage", () => {
    expect(validateProxySpec(spec({ requireImageDigest: false, allowEphemeralStorage: true, storage: { kind: "memory" }, replicas: 1, singleFlight: undefined }), "docker.io/gomods/athens:v0.18.1", catalog)).toEqual([]);
  });
});

describe("manifests", () => {
  const s = spec();
  const inputs = { image: IMAGE, roleArn: "arn:aws:iam::123456789012:role/athens-irsa", netrcSecretName: "athens-netrc", redisSecretName: "athens-redis" };
  const ingressSpec = (tls: { secretName: string } | { clusterIssuer: string }) => spec({ url: "https://goproxy.corp.example", ingress: { host: "goproxy.corp.example", className: "nginx", tls, controllerNamespace: "ingress-nginx" } });
  const all = [
    namespaceManifest(s),
    serviceAccountManifest(s, inputs),
    deploymentManifest(s, inputs),
    serviceManifest(s),
    pdbManifest(s),
    networkPolicyManifest(s),
    goEnvConfigMapManifest(s, "builds"),
    pvcManifest(spec({ storage: { kind: "disk", size: "20Gi" }, replicas: 1 }))!,
    ingressManifest(ingressSpec({ secretName: "goproxy-tls" }))!,
    ingressManifest(ingressSpec({ clusterIssuer: "letsencrypt" }))!,
    consumerNamespaceManifest("builds"),
  ];

  test.each(all.map((m) => [`${m.kind} ${(m.metadata as { name: string }).name}`, m]))("%s validates against the Kubernetes API schema", (_n, m) => {
    expect(() => validateKubernetesObject(m as { apiVersion: string; kind: string })).not.toThrow();
  });

  const d = deploymentManifest(s, inputs) as any;
  const pod = d.spec.template.spec;
  const c = pod.containers[0];

  test.each<[string, () => void]>([
    ["runAsNonRoot (pod and container)", () => expect([pod.securityContext.runAsNonRoot, c.securityContext.runAsNonRoot]).toEqual([true, true])],
    ["numeric non-zero runAsUser", () => expect(pod.securityContext.runAsUser).toBe(1000)],
    ["allowPrivilegeEscalation: false", () => expect(c.securityContext.allowPrivilegeEscalation).toBe(false)],
    ["capabilities drop ALL, add none", () => expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"] })],
    ["seccomp RuntimeDefault", () => expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" })],
    ["not privileged", () => expect(c.securityContext.privileged).toBeUndefined()],
    ["no host namespaces", () => expect([pod.hostNetwork, pod.hostPID, pod.hostIPC]).toEqual([undefined, undefined, undefined])],
    ["no hostPath volumes", () => expect(pod.volumes.filter((v: any) => v.hostPath)).toEqual([])],
    ["no hostPort", () => expect(c.ports.filter((p: any) => p.hostPort)).toEqual([])],
    ["volume types allowed by restricted", () => expect(pod.volumes.map((v: any) => Object.keys(v).filter((k) => k !== "name")[0]).sort()).toEqual(["emptyDir", "emptyDir", "secret"])],
  ])("Pod Security restricted: %s", (_n, check) => check());

  test("read-only root filesystem with writable emptyDirs for /tmp and $HOME; netrc mounted read-only from the Secret", () => {
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts).toEqual([
      { name: "tmp", mountPath: "/tmp" },
      { name: "home", mountPath: "/home/athens" },
      { name: "netrc", mountPath: "/etc/athens/netrc", readOnly: true },
    ]);
    expect(c.env.filter((e: any) => /NETRC|TOKEN|PASS|SECRET/.test(e.name)).map((e: any) => e.name)).toEqual(["ATHENS_NETRC_PATH"]);
  });

  test("the Redis URL (address and password) reaches Athens only through the Secret", () => {
    expect(c.env.filter((e: any) => e.name.startsWith("ATHENS_REDIS"))).toEqual([{ name: "ATHENS_REDIS_ENDPOINT", valueFrom: { secretKeyRef: { name: "athens-redis", key: "endpoint" } } }]);
    expect(c.env.find((e: any) => e.name === "ATHENS_SINGLE_FLIGHT_TYPE")).toEqual({ name: "ATHENS_SINGLE_FLIGHT_TYPE", value: "redis" });
  });

  test.each<[string, boolean, string]>([
    ["strict", true, "DoNotSchedule"],
    ["preferred", false, "ScheduleAnyway"],
  ])("topology spread %s", (_n, strictSpread, when) => {
    expect((deploymentManifest(spec({ strictSpread }), inputs) as any).spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe(when);
  });

  test.each<[string, { secretName: string } | { clusterIssuer: string }, Record<string, string>, string]>([
    ["an existing TLS Secret", { secretName: "goproxy-tls" }, { "nginx.ingress.kubernetes.io/proxy-read-timeout": "300", "nginx.ingress.kubernetes.io/ssl-redirect": "true" }, "goproxy-tls"],
    ["a cert-manager ClusterIssuer", { clusterIssuer: "letsencrypt" }, { "cert-manager.io/cluster-issuer": "letsencrypt", "nginx.ingress.kubernetes.io/proxy-read-timeout": "300", "nginx.ingress.kubernetes.io/ssl-redirect": "true" }, "athens-tls"],
  ])("Ingress with %s: TLS for the URL's host, forwarding to the Service", (_n, tls, annotations, secretName) => {
    const ing = ingressManifest(ingressSpec(tls)) as any;
    expect(ing.metadata.annotations).toEqual(annotations);
    expect(ing.spec).toEqual({
      ingressClassName: "nginx",
      tls: [{ hosts: ["goproxy.corp.example"], secretName }],
      rules: [{ host: "goproxy.corp.example", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "athens", port: { name: "http" } } } }] } }],
    });
    expect(ingressManifest(spec())).toBeUndefined();
  });

  test("NetworkPolicy with an Ingress also admits the ingress controller's namespace", () => {
    const np = networkPolicyManifest(ingressSpec({ secretName: "goproxy-tls" })) as any;
    expect(np.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { "goguard.dev/go-consumer": "true" } } }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }]);
  });

  test("a consumer namespace carries the label the proxy's NetworkPolicy admits", () => {
    const np = networkPolicyManifest(s) as any;
    const ns = consumerNamespaceManifest("builds") as any;
    expect(ns).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "builds", labels: { "goguard.dev/go-consumer": "true" } } });
    expect(np.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual(ns.metadata.labels);
  });

  test("requests and limits, three distinct probes, rolling update without unavailability, spread across nodes", () => {
    expect(c.resources).toEqual({ requests: { cpu: "100m", memory: "256Mi", "ephemeral-storage": "1Gi" }, limits: { memory: "1Gi", "ephemeral-storage": "5Gi" } });
    expect([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path, c.startupProbe.httpGet.path]).toEqual(["/readyz", "/healthz", "/healthz"]);
    expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).toBe(150);
    expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(pod.topologySpreadConstraints[0]).toMatchObject({ topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" });
    expect(pod.terminationGracePeriodSeconds).toBe(75);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test("NetworkPolicy: ingress only from consumer namespaces; egress DNS, HTTPS and Redis", () => {
    const np = networkPolicyManifest(s) as any;
    expect(np.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { "goguard.dev/go-consumer": "true" } } }], ports: [{ protocol: "TCP", port: 3000 }] }]);
    expect(np.spec.egress.map((e: any) => e.ports.map((p: any) => `${p.protocol}/${p.port}`).join(","))).toEqual(["UDP/53,TCP/53", "TCP/443", "TCP/6379"]);
  });

  test("the ServiceAccount carries the IRSA role and no token", () => {
    expect(serviceAccountManifest(s, inputs)).toMatchObject({ metadata: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/athens-irsa" } }, automountServiceAccountToken: false });
  });

  test("the published go-env carries the proxy's one URL (an external one as well)", () => {
    expect((goEnvConfigMapManifest(spec({ url: "https://goproxy.corp.example" }), "builds") as any).data).toMatchObject({ GOPROXY: "https://goproxy.corp.example", GOSUMDB: "sum.golang.org https://goproxy.corp.example/sumdb/sum.golang.org" });
  });

  test("the published go-env is the foundation's baseline with the proxy's in-cluster URL", () => {
    expect((goEnvConfigMapManifest(s, "builds") as any).data).toEqual({
      CGO_ENABLED: "0",
      GOFLAGS: "-mod=readonly -trimpath",
      GONOPROXY: "none",
      GONOSUMDB: "git.corp.example",
      GOPRIVATE: "git.corp.example",
      GOPROXY: "http://athens.goproxy.svc.cluster.local",
      GOSUMDB: "sum.golang.org http://athens.goproxy.svc.cluster.local/sumdb/sum.golang.org",
      GOTOOLCHAIN: "local",
    });
  });
});
