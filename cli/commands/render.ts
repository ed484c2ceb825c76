import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { Io } from "../io";
import { UsageError } from "../files";
import { jobFor, runStacks } from "./check";
import { STACKS } from "../stack-files";
import { renderStack } from "../render";
import { toDisplay } from "../harness/wire";

export function registerRender(program: Command, io: Io, setCode: (c: number) => void): void {
  program
    .command("render")
    .description("Write what a stack would deploy, offline: Kubernetes YAML (one file per object), Dockerfiles, a summary.")
    .requiredOption("--stack <name>", "dev, staging or prod")
    .requiredOption("--out <dir>", "output directory")
    .option("--program <file>", "another program file (.ts or .js) inside the project")
    .option("--config <file>", "another stack config file")
    .action(async (opts: { stack: string; out: string; program?: string; config?: string }) => {
      if (!(STACKS as readonly string[]).includes(opts.stack)) throw new UsageError(`unknown stack "${opts.stack}"; use one of ${STACKS.join(", ")}`);
      const [result] = await runStacks([jobFor(opts.stack, opts, true)]);
      if (result.error !== null) {
        io.err(`goguard: stack ${opts.stack}: the program refused its input: ${result.error}\n`);
        setCode(1);
        return;
      }
      const dockerfiles = new Map<string, string>();
      for (const r of result.captured ?? []) {
        if (r.type !== "docker:index/image:Image") continue;
        const build = toDisplay(r.inputs.build) as { context?: string; dockerfile?: string } | undefined;
        const file = build?.dockerfile ? path.resolve(build.context ?? ".", build.dockerfile) : undefined;
        if (file && fs.existsSync(file)) dockerfiles.set(r.name, fs.readFileSync(file, "utf8"));
      }
      const files = renderStack(result, dockerfiles);
      const out = path.resolve(opts.out);
      fs.mkdirSync(out, { recursive: true });
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(out, f.path)), { recursive: true });
        fs.writeFileSync(path.join(out, f.path), f.text);
      }
      io.out(`wrote ${files.length} file(s) to ${out}\n${files.map((f) => `  ${f.path}`).join("\n")}\n`);
      setCode(result.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0);
    });
}
