// Go settings delivered the ways the kubelet builds a container's environment (envFrom with and
// without prefix, secretKeyRef, $(VAR), ephemeral containers, *Patch kinds, objects outside the
// stack), each weakness next to a compliant twin. Expected findings: test/policies/k8s-env.test.ts.
import * as k8s from "@pulumi/kubernetes";

const image = "registry.corp.example/ci@sha256:7b140f374b289a7c2befc338f42ebe6441b7ea838a042bbd5acbfca6ec875818";
const job = (name: string, container: Record<string, unknown>): k8s.batch.v1.Job =>
  new k8s.batch.v1.Job(name, { metadata: { namespace: "ci" }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "build", image, ...container }] } } } });

// envFrom with prefix "GO": key SUMDB becomes GOSUMDB. Without the prefix it stays SUMDB (not Go's).
new k8s.core.v1.ConfigMap("sumdb-choice", { metadata: { namespace: "ci", name: "sumdb-choice" }, data: { SUMDB: "off" } });
job("envfrom-prefix", { envFrom: [{ prefix: "GO", configMapRef: { name: "sumdb-choice" } }] });
job("envfrom-no-prefix", { envFrom: [{ configMapRef: { name: "sumdb-choice" } }] });

// secretKeyRef: a Secret's data is base64, stringData plain. (Secret values are masked in every
// message, as the engine masks them, so the twins use GOFLAGS rather than a sum.golang.org value.)
new k8s.core.v1.Secret("go-secret-bad", { metadata: { namespace: "ci", name: "go-secret-bad" }, data: { flags: Buffer.from("-insecure").toString("base64") } });
new k8s.core.v1.Secret("go-secret-ok", { metadata: { namespace: "ci", name: "go-secret-ok" }, stringData: { flags: "-mod=readonly" } });
job("secret-ref-bad", { env: [{ name: "GOFLAGS", valueFrom: { secretKeyRef: { name: "go-secret-bad", key: "flags" } } }] });
job("secret-ref-ok", { env: [{ name: "GOFLAGS", valueFrom: { secretKeyRef: { name: "go-secret-ok", key: "flags" } } }] });

// $(VAR) takes a variable defined earlier; $$(VAR) is the literal text.
job("expand-off", { env: [{ name: "CHOICE", value: "off" }, { name: "GOSUMDB", value: "$(CHOICE)" }] });
job("expand-ok", { env: [{ name: "CHOICE", value: "sum.golang.org" }, { name: "GOSUMDB", value: "$(CHOICE)" }] });

// An ephemeral (debug) container runs with its own env.
for (const [name, sumdb] of [["ephemeral-off", "off"], ["ephemeral-ok", "sum.golang.org"]]) {
  new k8s.core.v1.Pod(name, {
    metadata: { namespace: "ci" },
    spec: { containers: [{ name: "app", image }], ephemeralContainers: [{ name: "debug", image, env: [{ name: "GOSUMDB", value: sumdb }] }] },
  });
}

// Server-side apply patches change running workloads too.
for (const [name, sumdb] of [["patch-off", "off"], ["patch-ok", "sum.golang.org"]]) {
  new k8s.apps.v1.DeploymentPatch(name, {
    metadata: { namespace: "ci", name: "builder" },
    spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "GOSUMDB", value: sumdb }] }] } } },
  });
}

// References to objects this stack does not create cannot be checked offline.
job("outside-envfrom", { envFrom: [{ configMapRef: { name: "team-go-env" } }] });
job("outside-keyref", { env: [{ name: "GOPROXY", valueFrom: { configMapKeyRef: { name: "team-go-env", key: "GOPROXY" } } }] });
// A non-Go variable from outside the stack is not a Go setting: quiet.
job("outside-non-go", { env: [{ name: "DB_HOST", valueFrom: { configMapKeyRef: { name: "team-db", key: "host" } } }] });
