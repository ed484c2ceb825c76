// npm run docs: regenerates the README's generated sections.
import * as fs from "fs";
import * as path from "path";
import { applySections } from "../cli/docs";

const file = path.join(__dirname, "..", "README.md");
fs.writeFileSync(file, applySections(fs.readFileSync(file, "utf8")));
console.log("README.md generated sections updated");
