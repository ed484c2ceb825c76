// The text and markdown reports are read in terminals and CI logs: whatever a message quotes (a
// resource name, a Dockerfile word, a directory) reaches them with its control and bidirectional
// characters escaped, so it cannot recolour, move the cursor or reorder what follows.
import fc from "fast-check";
import { renderMarkdown, renderText, visible } from "../../cli/report";
import { StackResult } from "../../cli/harness/types";

const result = (message: string, urn = "urn:pulumi:prod::goguard::kubernetes:batch/v1:Job::j\u001b[2J"): StackResult => ({
  stack: "prod",
  resources: 1,
  error: null,
  violations: [{ policyName: "go-sumdb-on", enforcementLevel: "mandatory", message, urn } as StackResult["violations"][number]],
});

describe("visible", () => {
  test.each([
    ["plain text", "plain text"],
    ["a\u001b[31mred", "a\\u001b[31mred"],
    ["two\nlines\r", "two\\u000alines\\u000d"],
    ["rtl \u202eevil\u202c", "rtl \\u202eevil\\u202c"],
    ["c1 \u009b", "c1 \\u009b"],
    ["ok ünïcödé → ✓", "ok ünïcödé → ✓"],
  ])("%j → %j", (input, want) => expect(visible(input)).toBe(want));

  test("property: the output holds no control or bidirectional character, and printable text is unchanged", () => {
    const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (s) => {
        const out = visible(s);
        expect(unsafe.test(out)).toBe(false);
        if (!unsafe.test(s)) expect(out).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
});

test("the text and markdown reports escape messages and resource names", () => {
  const r = result("kustomize directory /tmp/a\u001b[31m\nb: cannot be read");
  const text = renderText([r]);
  expect(text).toBe("✗ prod: 1 resources, 1 mandatory, 0 advisory\n  kubernetes:batch/v1:Job j\\u001b[2J\n    [mandatory] go-sumdb-on: kustomize directory /tmp/a\\u001b[31m\\u000ab: cannot be read\nmandatory violations found\n");
  expect(renderMarkdown([r])).not.toContain("\u001b");
  expect(renderMarkdown([r])).toContain("/tmp/a\\u001b[31m b: cannot be read");
});
