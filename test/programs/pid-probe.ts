// For the worker tests: which process ran the program. GOGUARD_TEST_LEAVE=timer leaves a timer
// running past the run's end (it would register a resource 0.5 s later), =socket a listening
// server, as a program that forgot to clean up might.
import * as pulumi from "@pulumi/pulumi";
import * as net from "net";

export const pid = process.pid;
new pulumi.ComponentResource("test:index:Marker", "marker", {}, {});
if (process.env.GOGUARD_TEST_LEAVE === "timer") setTimeout(() => new pulumi.ComponentResource("test:index:Marker", "late", {}, {}), 500);
if (process.env.GOGUARD_TEST_LEAVE === "socket") {
  const server = net.createServer().listen(0, "127.0.0.1");
  setTimeout(() => server.close(), 2000).unref();
}
