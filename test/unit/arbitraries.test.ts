// The test helper's binary strings are fast-check's own, value for value.
import fc from "fast-check";
import { binaryString } from "../helpers/arbitraries";

test.each([0, 1, 42, -7, 2 ** 31 - 1])("seed %d: binaryString(n) gives exactly what fc.string({ unit: 'binary', maxLength: n }) gives", (seed) => {
  for (const n of [1, 20, 200]) {
    const theirs = fc.sample(fc.string({ unit: "binary", maxLength: n }), { seed, numRuns: 300 });
    const ours = fc.sample(binaryString(n), { seed, numRuns: 300 });
    expect(ours).toEqual(theirs);
  }
});

test("the samples are not trivial: strings of several code points, astral code points, controls, and fast-check's dangerous strings", () => {
  const all = fc.sample(binaryString(40), { seed: 3, numRuns: 3000 });
  expect(all.some((s) => [...s].length >= 5)).toBe(true);
  expect(all.some((s) => /[\u{10000}-\u{10FFFF}]/u.test(s))).toBe(true);
  expect(all.some((s) => /[\u0000-\u001f]/.test(s))).toBe(true);
  expect(all.some((s) => s.includes("__proto__") || s.includes("constructor") || s.includes("valueOf"))).toBe(true);
});
