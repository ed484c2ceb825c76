import * as fs from "fs";
import * as path from "path";
import { applySections } from "../cli/docs";

test("the README's generated sections (policy table, prod Dockerfile) match the code; run `npm run docs` after a change", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  expect(applySections(readme)).toBe(readme);
});
