#!/usr/bin/env node
"use strict";
// node bench/cpuprofile.js FILE.cpuprofile [--phases PHASES.json] [function ...]: where a V8 CPU
// profile's time went. Self time by area (the package or project folder a sampled frame's script
// belongs to), and inclusive time of named functions (outermost call only, so recursion is not
// counted twice). With --phases (the JSON line bench/phases.ts prints, saved to a file), the same
// per phase: samples are assigned by their timestamp to the phase that was running.
// Used to write bench/PROFILE.md; not part of the CLI.
const fs = require("fs");

const argv = process.argv.slice(2);
const pi = argv.indexOf("--phases");
const phasesFile = pi >= 0 ? argv.splice(pi, 2)[1] : undefined;
const [file, ...names] = argv;
const prof = JSON.parse(fs.readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dts = prof.timeDeltas;

/** Self time (ms) per node id of the samples taken between fromUs and toUs (the profile's clock). */
function selfTimes(fromUs, toUs) {
  const out = new Map();
  let t = prof.startTime;
  prof.samples.forEach((id, i) => {
    t += dts[i] ?? 0;
    if (t >= fromUs && t < toUs) out.set(id, (out.get(id) ?? 0) + (dts[i + 1] ?? 0) / 1000);
  });
  return out;
}

function area(n) {
  const url = n.callFrame.url || "";
  const fn = n.callFrame.functionName;
  if (!url) return fn.startsWith("(") ? fn : "(native/builtin)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.replace(/^file:\/\//, ""));
  if (m) return m[1];
  if (url.startsWith("node:")) return /node:internal\/modules/.test(url) ? "node: module loader" : "node: other";
  const p = /\/work\/main\/([^/]+)(\/[^/]+)?/.exec(url);
  return p ? `project: ${p[1]}${p[1] === "cli" || p[1] === "components" ? p[2] ?? "" : ""}` : url;
}

function report(title, self) {
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const areas = new Map();
  for (const [id, ms] of self) {
    const a = area(byId.get(id));
    areas.set(a, (areas.get(a) ?? 0) + ms);
  }
  console.log(`${title}: ${total.toFixed(0)} ms sampled`);
  for (const [a, ms] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${a}`);

  // Inclusive time per named function: a sample counts once if any ancestor frame has the name.
  if (names.length > 0) {
    const incl = new Map(names.map((n) => [n, 0]));
    for (const [id, ms] of self) {
      const seen = new Set();
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
        const fn = byId.get(cur).callFrame.functionName;
        if (incl.has(fn) && !seen.has(fn)) {
          seen.add(fn);
          incl.set(fn, incl.get(fn) + ms);
        }
      }
    }
    console.log("  inclusive:");
    for (const [n, ms] of incl) console.log(`  ${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${n}`);
  }
}

if (phasesFile === undefined) report(file, selfTimes(-Infinity, Infinity));
else {
  const phases = Object.entries(JSON.parse(fs.readFileSync(phasesFile, "utf8")).phases).filter(([, v]) => typeof v.endUs === "number");
  for (let i = 1; i < phases.length; i++) report(`${phases[i][0]}`, selfTimes(phases[i - 1][1].endUs, phases[i][1].endUs));
}
