// A program that refuses its input the way GoGuard's own components do.
import * as pulumi from "@pulumi/pulumi";

class Strict extends pulumi.ComponentResource {
  constructor(name: string, goVersion: string) {
    super("test:index:Strict", name, {}, {});
    throw new pulumi.ResourceError(`goVersion must be an exact patch release such as "1.26.7"; got "${goVersion}"`, this);
  }
}
new Strict("x", "1.26");
