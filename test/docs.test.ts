import * as fs from "fs";
import * as path from "path";
import { applySections, DocsError, normaliseConsoleOutput, parseConsoleBlocks, regenerateConsoleBlocks } from "../cli/docs";
import { main } from "../cli/main";

test("the README's generated sections (policy table, prod Dockerfile) match the code; run `npm run docs` after a change", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  expect(applySections(readme)).toBe(readme);
});

describe("the README's console blocks are real runs", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  const blocks = parseConsoleBlocks(readme);
  const commands = blocks.flatMap((b) => b.commands);

  test("every console block is marked and runs goguard", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    expect(commands.every((c) => c.args.length > 0)).toBe(true);
  });

  test.each(commands.map((c) => [c.args.join(" "), c] as const))("goguard %s shows what a run prints (`npm run docs` reruns them)", async (_name, c) => {
    let output = "";
    const code = await main(c.args, { out: (t) => (output += t), err: (t) => (output += t) });
    expect({ exit: code, output: normaliseConsoleOutput(output) }).toEqual({ exit: c.exit, output: normaliseConsoleOutput(c.shown) });
  }, 180000);
});

describe("console block parsing", () => {
  test.each<[string, string, string]>([
    ["an unmarked block", "text\n```console\n$ npx goguard --version\n0.1.0\n```\n", "README.md:2: a console block without <!-- console --> before it; every console block must be a real, drift-tested run"],
    ["another command", "<!-- console -->\n```console\n$ ls\n```\n", 'README.md:2: console blocks run goguard only ("$ npx goguard …"); got "$ ls"'],
    ["output before any command", "<!-- console -->\n```console\nhello\n```\n", 'README.md:2: a console block must start with a "$ npx goguard …" line'],
  ])("%s is refused", (_name, text, message) => {
    expect(() => parseConsoleBlocks(text)).toThrow(new DocsError(message));
  });

  test("commands, exit annotations and outputs are read; regeneration replaces only outputs", async () => {
    const text = "a\n<!-- console -->\n```console\n$ npx goguard x y   # exit 1\nold\n$ npx goguard z\n```\nb\n";
    expect(parseConsoleBlocks(text)[0].commands).toEqual([
      { line: "$ npx goguard x y   # exit 1", args: ["x", "y"], exit: 1, shown: "old" },
      { line: "$ npx goguard z", args: ["z"], exit: 0, shown: "" },
    ]);
    const out = await regenerateConsoleBlocks(text, async (args) => ({ code: args[0] === "x" ? 1 : 0, output: `ran ${args.join(" ")}\n` }));
    expect(out).toBe("a\n<!-- console -->\n```console\n$ npx goguard x y   # exit 1\nran x y\n$ npx goguard z\nran z\n```\nb\n");
    await expect(regenerateConsoleBlocks(text, async () => ({ code: 0, output: "" }))).rejects.toThrow('README console `goguard x y` exits 0, the README says 1: fix the command or its "# exit N"');
  });

  test("only timings are normalised", () => {
    expect(normaliseConsoleOutput("took 12 ms and 3.5 s; 15 resources\n\n")).toBe("took <time> and <time>; 15 resources");
  });
});
