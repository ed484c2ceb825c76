// go-vulnerabilities (V1) stays quiet: the only Go version named is the lock's, 1.26.7, which no
// report of the bundled snapshot affects.
import * as docker from "@pulumi/docker";

new docker.Image("v1-clean", { imageName: "registry.corp.example/svc:1", skipPush: true, build: { context: ".", args: { GO_VERSION: "1.26.7" } } });
