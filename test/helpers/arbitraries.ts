// fast-check's `fc.string({ unit: "binary" })` (any code point but the surrogate halves), without its
// start-up cost: building that arbitrary tokenizes fast-check's "dangerous strings" (`__proto__`,
// `constructor`, …) against the unit, which for the built-in binary unit first maps all 1,112,064
// code points into a Map: ~0.7 s of CPU and a GC-heavy heap in every test file that builds one (jest
// loads fast-check afresh per file). This unit is the same arbitrary, built as fast-check builds it
// (mapToConstant over [0, 0xD7FF] and [0xE000, 0x10FFFF]: a `nat` index mapped to its code point),
// with an unmapper that computes the index instead of looking it up: the same values for the same
// seed (test/unit/arbitraries.test.ts), the same shrinking, the same dangerous-string slices.
import fc from "fast-check";

const SURROGATES = 0xe000 - 0xd800;

/** One code point, any but a surrogate half, as fast-check's binary unit. */
export const binaryUnit: fc.Arbitrary<string> = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (i) => String.fromCodePoint(i < 0xd800 ? i : i + SURROGATES),
  (value) => {
    if (typeof value !== "string") throw new Error("not a string");
    const cp = value.codePointAt(0);
    if (cp === undefined || String.fromCodePoint(cp) !== value || (cp >= 0xd800 && cp < 0xe000)) throw new Error("not exactly one code point of the unit");
    return cp < 0xd800 ? cp : cp - SURROGATES;
  },
);

/** `fc.string({ unit: "binary", maxLength })`, the same values for the same seed. */
export function binaryString(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: binaryUnit, maxLength });
}
