// Probe resources for the harness tests: a component parent, dependencies, a secret and a value that
// is unknown in preview (an output the provider computes; the mock, like a preview, never returns it).
import * as pulumi from "@pulumi/pulumi";

class Group extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Group", name, {}, {});
    this.registerOutputs({});
  }
}

class Probe extends pulumi.CustomResource {
  public readonly computed!: pulumi.Output<string>;
  constructor(name: string, props: Record<string, pulumi.Input<unknown>>, opts?: pulumi.CustomResourceOptions) {
    super("test:index:Probe", name, { computed: undefined, ...props }, opts);
  }
}

const group = new Group("grp");
const first = new Probe("first", { plain: "a", secret: pulumi.secret("s3cr3t") }, { parent: group, protect: true });
new Probe("second", { plain: first.urn.apply(() => "b"), later: first.computed }, { dependsOn: [first] });
