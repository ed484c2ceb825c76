// The kubelet's environment rules, row by row, each with the Kubernetes source it comes from:
//   [E] third_party/forked/golang/expansion/expand.go (Expand, tryReadVariableName) and its
//       expand_test.go cases;
//   [K] pkg/kubelet/kubelet_pods.go makeEnvironmentVariables (envFrom then env, later wins,
//       invalid keys skipped, optional refs, valueFrom never expanded);
//   [D] kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables
//       ("$(VAR)" takes variables defined earlier; "$$" escapes; undefined stays as written);
//   [V] apimachinery validation IsEnvVarName: [-._a-zA-Z][-._a-zA-Z0-9]*;
//   [S] Secret API: data is base64, stringData is merged over data on write.
import fc from "fast-check";
import { describeProvenance, EnvLookup, EnvObject, expand, isEnvVarName, resolveContainerEnv, secretData, UNKNOWN } from "../../components/toolchain/k8s-env";

const vars = (m: Record<string, string>) => (n: string): string | undefined => m[n];

describe("expand: $(VAR) as the kubelet expands it", () => {
  test.each<[string, string, Record<string, string>, string, string[]]>([
    ["[E] a defined variable", "$(VAR_A)", { VAR_A: "A" }, "A", ["VAR_A"]],
    ["[E] inside text", "___$(VAR_B)___", { VAR_B: "B" }, "___B___", ["VAR_B"]],
    ["[E] two references", "$(VAR_A)-$(VAR_B)", { VAR_A: "A", VAR_B: "B" }, "A-B", ["VAR_A", "VAR_B"]],
    ["[E][D] undefined stays as written", "$(UNKNOWN)", {}, "$(UNKNOWN)", ["UNKNOWN"]],
    ["[E][D] $$ escapes: $$(VAR) is the literal $(VAR)", "$$(VAR_A)", { VAR_A: "A" }, "$(VAR_A)", []],
    ["[E] $$ alone is one $", "foo$$bar", {}, "foo$bar", []],
    ["[E] $$$$ is two $", "$$$$(VAR_A)", { VAR_A: "A" }, "$$(VAR_A)", []],
    ["[E] $$$( escaped then a reference", "$$$(VAR_A)", { VAR_A: "A" }, "$A", ["VAR_A"]],
    ["[E] $ before another character stays", "$VAR_A", { VAR_A: "A" }, "$VAR_A", []],
    ["[E] trailing $ stays", "foo$", {}, "foo$", []],
    ["[E] unclosed $( stays", "$(VAR_A", { VAR_A: "A" }, "$(VAR_A", []],
    ["[E] empty name $() stays", "$()", {}, "$()", [""]],
    ["[E] value containing $(…) is not expanded again", "$(VAR_A)", { VAR_A: "$(VAR_B)", VAR_B: "B" }, "$(VAR_B)", ["VAR_A"]],
    ["[E] closes at the first )", "$(VAR_A))", { VAR_A: "A" }, "A)", ["VAR_A"]],
    ["[E] no $ at all", "sum.golang.org https://x/y", {}, "sum.golang.org https://x/y", []],
  ])("%s: %j", (_label, input, mapping, value, refs) => {
    expect(expand(input, vars(mapping))).toEqual({ value, refs });
  });

  test("property: never throws, and text without $ is unchanged", () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), (s, m) => {
        const r = expand(s, (n) => (Object.prototype.hasOwnProperty.call(m, n) ? m[n] : undefined));
        if (!s.includes("$")) expect(r).toEqual({ value: s, refs: [] });
        expect(typeof r.value).toBe("string");
      }),
    );
  });

  test("property: with no variables defined, only $$ changes (each $$ → $)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z()$]{0,30}$/), (s) => {
        // With an empty mapping $(X) stays, so the only rewrite is $$ → $ (left to right).
        let want = "";
        for (let i = 0; i < s.length; i++) {
          if (s[i] === "$" && s[i + 1] === "$") {
            want += "$";
            i++;
          } else if (s[i] === "$" && s[i + 1] === "(" && s.indexOf(")", i + 2) >= 0) {
            const close = s.indexOf(")", i + 2);
            want += s.slice(i, close + 1);
            i = close;
          } else if (s[i] === "$" && i + 1 < s.length) {
            want += s.slice(i, i + 2);
            i++;
          } else want += s[i];
        }
        expect(expand(s, () => undefined).value).toBe(want);
      }),
    );
  });
});

describe("isEnvVarName [V]", () => {
  test.each<[string, boolean]>([
    ["GOSUMDB", true],
    ["_x", true],
    ["a.b-c", true],
    ["-dash-first", true],
    ["1LEADING_DIGIT", false],
    ["has space", false],
    ["has=equals", false],
    ["", false],
    ["config.toml", true],
  ])("%j → %s", (name, ok) => expect(isEnvVarName(name)).toBe(ok));
});

// namespace null: no metadata.namespace (the provider's default namespace).
const cm = (name: string, data: Record<string, string>, namespace: string | null = "ci"): EnvObject => ({ kind: "ConfigMap", name, namespace: namespace ?? undefined, data, id: `cm-${name}` });
const secret = (name: string, data: Record<string, string>, namespace: string | null = "ci"): EnvObject => ({ kind: "Secret", name, namespace: namespace ?? undefined, data, id: `secret-${name}` });
const values = (c: unknown, lookup: EnvLookup, ns: string | undefined = "ci"): Array<[string, string | undefined]> => resolveContainerEnv(c, ns, lookup).vars.map((v) => [v.name, v.value]);

describe("resolveContainerEnv: the kubelet's order and lookups", () => {
  const stack: EnvLookup = {
    objects: [
      cm("a", { GOSUMDB: "off", GOFLAGS: "-mod=mod", SHARED: "from-a" }),
      cm("b", { SHARED: "from-b", "bad key": "x", "1digit": "y" }),
      cm("prefixed", { SUMDB: "off" }),
      secret("s", secretData({ flags: Buffer.from("-insecure").toString("base64") }, { proxy: "https://proxy.corp.example" }) as Record<string, string>),
    ],
  };

  test.each<[string, unknown, Array<[string, string | undefined]>]>([
    ["[K] envFrom entries in order, a later one overrides", { envFrom: [{ configMapRef: { name: "a" } }, { configMapRef: { name: "b" } }] }, [["GOFLAGS", "-mod=mod"], ["GOSUMDB", "off"], ["SHARED", "from-b"]]],
    ["[K] env overrides envFrom", { envFrom: [{ configMapRef: { name: "a" } }], env: [{ name: "GOSUMDB", value: "sum.golang.org" }] }, [["GOFLAGS", "-mod=mod"], ["SHARED", "from-a"], ["GOSUMDB", "sum.golang.org"]]],
    ["[K] later env entry wins", { env: [{ name: "GOSUMDB", value: "off" }, { name: "GOSUMDB", value: "sum.golang.org" }] }, [["GOSUMDB", "sum.golang.org"]]],
    ["[K] prefix is prepended to every key", { envFrom: [{ prefix: "GO", configMapRef: { name: "prefixed" } }] }, [["GOSUMDB", "off"]]],
    ["[K] without prefix the key stays as is", { envFrom: [{ configMapRef: { name: "prefixed" } }] }, [["SUMDB", "off"]]],
    ["[K][V] invalid keys are skipped", { envFrom: [{ configMapRef: { name: "b" } }] }, [["SHARED", "from-b"]]],
    ["[K][S] secretRef envFrom decodes base64 and takes stringData", { envFrom: [{ secretRef: { name: "s" } }] }, [["flags", "-insecure"], ["proxy", "https://proxy.corp.example"]]],
    ["[K] configMapKeyRef", { env: [{ name: "GOSUMDB", valueFrom: { configMapKeyRef: { name: "a", key: "GOSUMDB" } } }] }, [["GOSUMDB", "off"]]],
    ["[K][S] secretKeyRef", { env: [{ name: "GOFLAGS", valueFrom: { secretKeyRef: { name: "s", key: "flags" } } }] }, [["GOFLAGS", "-insecure"]]],
    ["[K][D] $(VAR) takes an earlier env entry", { env: [{ name: "X", value: "off" }, { name: "GOSUMDB", value: "$(X)" }] }, [["X", "off"], ["GOSUMDB", "off"]]],
    ["[K][D] $(VAR) of a later entry stays as written", { env: [{ name: "GOSUMDB", value: "$(X)" }, { name: "X", value: "off" }] }, [["GOSUMDB", "$(X)"], ["X", "off"]]],
    ["[K] $(VAR) takes envFrom variables", { envFrom: [{ configMapRef: { name: "a" } }], env: [{ name: "GONOSUMDB_COPY", value: "$(GOSUMDB)" }] }, [["GOFLAGS", "-mod=mod"], ["GOSUMDB", "off"], ["SHARED", "from-a"], ["GONOSUMDB_COPY", "off"]]],
    ["[K] self-reference takes the earlier (envFrom) value", { envFrom: [{ configMapRef: { name: "a" } }], env: [{ name: "GOFLAGS", value: "$(GOFLAGS) -trimpath" }] }, [["GOSUMDB", "off"], ["SHARED", "from-a"], ["GOFLAGS", "-mod=mod -trimpath"]]],
    ["[K] self-reference with nothing earlier stays", { env: [{ name: "GOFLAGS", value: "$(GOFLAGS)" }] }, [["GOFLAGS", "$(GOFLAGS)"]]],
    ["[D] $$(VAR) escape is the literal text", { env: [{ name: "X", value: "off" }, { name: "GOSUMDB", value: "$$(X)" }] }, [["X", "off"], ["GOSUMDB", "$(X)"]]],
    ["[K] valueFrom values are never expanded", { env: [{ name: "X", value: "x" }, { name: "GOSUMDB", valueFrom: { configMapKeyRef: { name: "b", key: "SHARED" } } }] }, [["X", "x"], ["GOSUMDB", "from-b"]]],
    ["[K] empty value with no valueFrom sets the empty string", { env: [{ name: "GOFLAGS", value: "" }] }, [["GOFLAGS", ""]]],
  ])("%s", (_label, container, want) => {
    expect(values(container, stack)).toEqual(want);
  });

  test("[K] envFrom with no prefix and a redefinition keeps the first position", () => {
    const r = resolveContainerEnv({ envFrom: [{ configMapRef: { name: "a" } }, { configMapRef: { name: "b" } }] }, "ci", stack);
    expect(r.skippedKeys).toEqual(["1digit", "bad key"]);
  });

  test("provenance names the object, key, prefix and expansion", () => {
    const r = resolveContainerEnv(
      { envFrom: [{ prefix: "GO", configMapRef: { name: "prefixed" } }], env: [{ name: "P", valueFrom: { secretKeyRef: { name: "s", key: "proxy" } } }, { name: "GOPROXY", value: "$(P),off" }, { name: "GOFLAGS", value: "-mod=readonly" }] },
      "ci",
      stack,
    );
    expect(r.vars.map((v) => [v.name, describeProvenance(v)])).toEqual([
      ["GOSUMDB", "from ConfigMap ci/prefixed key SUMDB with prefix GO"],
      ["P", "from Secret ci/s key proxy"],
      ["GOPROXY", "expanded from $(P),off (P from Secret ci/s key proxy)"],
      ["GOFLAGS", ""],
    ]);
  });
});

test("[K] an object is consulted even when env overrides every value it gives", () => {
  const lookup: EnvLookup = { objects: [cm("old", { GOSUMDB: "off" }), cm("unused", { GOSUMDB: "off" })] };
  const r = resolveContainerEnv({ envFrom: [{ configMapRef: { name: "old" } }], env: [{ name: "GOSUMDB", value: "sum.golang.org" }] }, "ci", lookup);
  expect({ vars: r.vars.map((v) => [v.name, v.value]), consulted: r.consulted }).toEqual({ vars: [["GOSUMDB", "sum.golang.org"]], consulted: ["cm-old"] });
});

describe("references that cannot be resolved offline", () => {
  const stack: EnvLookup = { objects: [cm("a", { GOSUMDB: "off" }), cm("nons", { GOSUMDB: "off" }, null)] };
  const unresolved = (c: unknown, ns: string | null, lookup: EnvLookup) => {
    const r = resolveContainerEnv(c, ns ?? undefined, lookup);
    return { vars: r.vars.map((v) => [v.name, v.value, v.unresolved]), sources: r.unresolvedSources.map((s) => s.reason) };
  };

  test.each<[string, unknown, string | null, ReturnType<typeof unresolved>]>([
    ["an envFrom object outside the stack", { envFrom: [{ configMapRef: { name: "team" } }] }, "ci", { vars: [], sources: ["ConfigMap ci/team is not part of this stack"] }],
    ["optional, outside the stack: may still exist in the cluster", { envFrom: [{ configMapRef: { name: "team", optional: true } }] }, "ci", { vars: [], sources: ["ConfigMap ci/team is not part of this stack (optional: used when it exists in the cluster)"] }],
    ["a key ref outside the stack", { env: [{ name: "GOPROXY", valueFrom: { configMapKeyRef: { name: "team", key: "p" } } }] }, "ci", { vars: [["GOPROXY", undefined, "ConfigMap ci/team is not part of this stack"]], sources: [] }],
    ["a name unknown during preview", { env: [{ name: "GOPROXY", valueFrom: { configMapKeyRef: { name: UNKNOWN, key: "p" } } }] }, "ci", { vars: [["GOPROXY", undefined, "the ConfigMap name is not known during preview"]], sources: [] }],
    ["a value unknown during preview", { env: [{ name: "GOPROXY", value: UNKNOWN }] }, "ci", { vars: [["GOPROXY", undefined, "the value is not known during preview"]], sources: [] }],
    ["$(VAR) of an unresolved variable is unresolved", { env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "team", key: "x" } } }, { name: "GOSUMDB", value: "$(X)" }] }, "ci", { vars: [["X", undefined, "ConfigMap ci/team is not part of this stack"], ["GOSUMDB", undefined, "it takes $(X), which cannot be resolved: ConfigMap ci/team is not part of this stack"]], sources: [] }],
    ["a workload in the provider's default namespace, the object says \"default\"", { envFrom: [{ configMapRef: { name: "dflt" } }] }, null, { vars: [], sources: ["ConfigMap default/dflt is in the stack, but one side names namespace \"default\" and the other relies on the provider's default namespace"] }],
    ["the workload says \"default\", the object relies on the provider's default namespace", { envFrom: [{ configMapRef: { name: "nons" } }] }, "default", { vars: [], sources: ["ConfigMap default/nons is in the stack, but one side names namespace \"default\" and the other relies on the provider's default namespace"] }],
    ["both without namespace: the same provider default", { envFrom: [{ configMapRef: { name: "nons" } }] }, null, { vars: [["GOSUMDB", "off", undefined]], sources: [] }],
    ["fieldRef is known only in the pod", { env: [{ name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] }, "ci", { vars: [["POD", undefined, "fieldRef metadata.name is known only in the running pod"]], sources: [] }],
    ["a missing key of an object in the stack", { env: [{ name: "GOSUMDB", valueFrom: { configMapKeyRef: { name: "a", key: "nope" } } }] }, "ci", { vars: [["GOSUMDB", undefined, "ConfigMap ci/a has no key nope (the pod will not start)"]], sources: [] }],
  ])("%s", (_label, c, ns, want) => {
    const lookup: EnvLookup = { objects: [...stack.objects, cm("dflt", { GOSUMDB: "off" }, "default")] };
    expect(unresolved(c, ns, lookup)).toEqual(want);
  });

  test("[K] with a complete object set, optional references to absent objects and keys are skipped", () => {
    const complete: EnvLookup = { objects: [cm("a", { GOSUMDB: "off" })], complete: true };
    const r = resolveContainerEnv(
      {
        envFrom: [{ configMapRef: { name: "gone", optional: true } }],
        env: [
          { name: "GOSUMDB", value: "sum.golang.org" },
          { name: "GOSUMDB", valueFrom: { configMapKeyRef: { name: "a", key: "nope", optional: true } } },
          { name: "GOPROXY", valueFrom: { configMapKeyRef: { name: "gone", key: "p", optional: true } } },
        ],
      },
      "ci",
      complete,
    );
    // The optional entries are skipped: the earlier GOSUMDB stays, GOPROXY is never set.
    expect(r.vars.map((v) => [v.name, v.value])).toEqual([["GOSUMDB", "sum.golang.org"]]);
    expect(r.unresolvedSources).toEqual([]);
  });
});

describe("secretData [S]", () => {
  test("base64 data decoded, stringData merged over it", () => {
    expect(secretData({ a: Buffer.from("one").toString("base64"), b: Buffer.from("two").toString("base64") }, { b: "plain" })).toEqual({ a: "one", b: "plain" });
  });
  test("unknown values stay unknown", () => {
    expect(secretData({ a: UNKNOWN }, undefined)).toEqual({ a: UNKNOWN });
  });
});
