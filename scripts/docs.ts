// npm run docs: regenerates the README's generated sections and reruns its console blocks.
import * as fs from "fs";
import * as path from "path";
import { applySections, regenerateConsoleBlocks } from "../cli/docs";
import { main } from "../cli/main";

async function run(): Promise<void> {
  const file = path.join(__dirname, "..", "README.md");
  const withSections = applySections(fs.readFileSync(file, "utf8"));
  const readme = await regenerateConsoleBlocks(withSections, async (args) => {
    let output = "";
    const code = await main(args, { out: (t) => (output += t), err: (t) => (output += t) });
    return { code, output };
  });
  fs.writeFileSync(file, readme);
  console.log("README.md generated sections and console blocks updated");
}

run().catch((err) => {
  console.error(`docs: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
});
