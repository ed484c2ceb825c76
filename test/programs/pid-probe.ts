// For the worker tests: which process ran the program. GOGUARD_TEST_LEAVE=timer leaves a timer
// running past the run's end (it would register a resource 0.5 s later), =socket a listening
// server, as a program that forgot to clean up might (=unref-timer, =unref-interval: the same
// unref'd, so they do not keep Node's loop alive; =cleared-timer: one set and cleared); =throw fails after its registration started
// (it ends at once), =throw-pending fails with a registration that never ends (an input that
// never resolves).
import * as pulumi from "@pulumi/pulumi";
import * as net from "net";

export const pid = process.pid;
new pulumi.ComponentResource("test:index:Marker", "marker", {}, {});
if (process.env.GOGUARD_TEST_LEAVE === "timer") setTimeout(() => new pulumi.ComponentResource("test:index:Marker", "late", {}, {}), 500);
if (process.env.GOGUARD_TEST_LEAVE === "unref-timer") setTimeout(() => new pulumi.ComponentResource("test:index:Marker", "late", {}, {}), 500).unref();
if (process.env.GOGUARD_TEST_LEAVE === "unref-interval") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const timers = require("timers") as typeof import("timers");
  const t = timers.setInterval(() => new pulumi.ComponentResource("test:index:Marker", "late", {}, {}), 300);
  t.unref();
}
if (process.env.GOGUARD_TEST_LEAVE === "cleared-timer") clearTimeout(setTimeout(() => undefined, 10_000));
if (process.env.GOGUARD_TEST_LEAVE === "socket") {
  const server = net.createServer().listen(0, "127.0.0.1");
  setTimeout(() => server.close(), 2000).unref();
}
if (process.env.GOGUARD_TEST_LEAVE === "throw") throw new Error("the program failed");
if (process.env.GOGUARD_TEST_LEAVE === "throw-pending") {
  new pulumi.ComponentResource("test:index:Marker", "waiting", { never: new Promise<string>(() => undefined) }, {});
  throw new Error("the program failed");
}
