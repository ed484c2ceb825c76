import { bundledCatalog } from "../../components/toolchain/bundled";
import { athensEnv, goBinarySettings, ProxySpec, validateProxySpec } from "../../components/module-proxy/settings";
import {
  deploymentManifest,
  goEnvConfigMapManifest,
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
    environment: "prod",
    namespace: "goproxy",
    name: "athens",
    storage: { kind: "s3", bucketName: "acme-goproxy-prod", region: "eu-west-1" },
    replicas: 2,
    singleFlight: { kind: "redis", endpoint: "redis.goproxy.svc.cluster.local:6379" },
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
  test("prod on S3 with IRSA, Redis single-flight, private prefixes: exactly the settings Athens reads", () => {
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
      ATHENS_REDIS_ENDPOINT: "redis.goproxy.svc.cluster.local:6379",
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
    const env = athensEnv(spec({ environment: "dev", storage: { kind: "disk", size: "20Gi" }, replicas: 1, hasNetrc: false }));
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
    ["memory storage in staging", { environment: "staging", storage: { kind: "memory" }, replicas: 1, singleFlight: undefined }, IMAGE, ['storage.kind: "memory" loses the cache on every restart and is allowed only in dev; use { kind: "s3", bucketName, region } in staging']],
    ["more than one replica on disk", { environment: "staging", storage: { kind: "disk", size: "20Gi" } }, IMAGE, ["replicas: 2 replicas need shared storage; disk storage is a ReadWriteOnce volume: use S3 storage or 1 replica"]],
    ["S3 without a bucket name", { storage: { kind: "s3", bucketName: "", region: "eu-west-1" } }, IMAGE, ["storage.bucketName: S3 storage needs a bucket name (Athens never creates the bucket)"]],
    ["replicas without single-flight", { singleFlight: undefined }, IMAGE, ['singleFlight: 2 replicas need a single-flight backend so they do not fetch the same module at once; set { kind: "redis", endpoint }']],
    ["one replica in prod", { replicas: 1 }, IMAGE, ["replicas: prod runs at least 2 replicas (with a PodDisruptionBudget); got 1"]],
    ["upstream turns the checksum database off", { goBinarySettings: { GOSUMDB: "off" } }, IMAGE, ["goBinarySettings.GOSUMDB: GOSUMDB=off turns off checksum verification of every module not already in go.sum. Set GOSUMDB=sum.golang.org (or \"sum.golang.org <proxy>/sumdb/sum.golang.org\" through the environment's proxy)."]],
    ["upstream widens GONOSUMDB to everything", { goBinarySettings: { GONOSUMDB: "*" } }, IMAGE, ['goBinarySettings.GONOSUMDB: GONOSUMDB pattern "*" matches every module path (such as github.com/stretchr/testify); Go skips the checksum database for every module it matches. Set GONOSUMDB=git.corp.example.']],
    ["direct as the only upstream", { goBinarySettings: { GOPROXY: "direct" } }, IMAGE, ["goBinarySettings.GOPROXY: GOPROXY=direct starts with direct: Go fetches every module straight from its version control host, bypassing the environment's proxy. Set GOPROXY=https://proxy.golang.org."]],
    ["an image without digest in prod", {}, "docker.io/gomods/athens:v0.18.1", ['image: "docker.io/gomods/athens:v0.18.1" has no digest; outside dev the proxy image is deployed by digest (mirror it, or resolve it with `goguard lock resolve-images`)']],
    ["a plain-http upstream", { upstream: "http://proxy.example.com" }, IMAGE, [
      'upstream: "http://proxy.example.com" must be an https:// module proxy, such as https://proxy.golang.org',
      "goBinarySettings.GOPROXY: GOPROXY=http://proxy.example.com has the entry http://proxy.example.com: plain http:// to a host outside the cluster. Set GOPROXY=http://proxy.example.com.",
    ]],
  ])("refuses %s", (_n, over, image, problems) => {
    expect(validateProxySpec(spec(over), image, catalog)).toEqual(problems);
  });

  test("a tag alone is accepted in dev, with memory storage", () => {
    expect(validateProxySpec(spec({ environment: "dev", storage: { kind: "memory" }, replicas: 1, singleFlight: undefined }), "docker.io/gomods/athens:v0.18.1", catalog)).toEqual([]);
  });
});

describe("manifests", () => {
  const s = spec();
  const inputs = { image: IMAGE, roleArn: "arn:aws:iam::123456789012:role/athens-irsa", netrcSecretName: "athens-netrc" };
  const all = [
    namespaceManifest(s),
    serviceAccountManifest(s, inputs),
    deploymentManifest(s, inputs),
    serviceManifest(s),
    pdbManifest(s),
    networkPolicyManifest(s),
    goEnvConfigMapManifest(s, "builds"),
    pvcManifest(spec({ environment: "dev", storage: { kind: "disk", size: "20Gi" }, replicas: 1 }))!,
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
