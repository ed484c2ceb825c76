// `goguard export --format gomod --fix DIR` (pure): the locked toolchain set in a go.mod with the
// go.mod reader (gomod.ts, golang.org/x/mod/modfile's grammar) and its byte-keeping edit; refused
// when the module's `go` line asks for a newer Go than the lock holds.

import { ExportError } from "./export";
import { GoModSyntaxError, parseModFile, setToolchain } from "./gomod";
import { EnvironmentName } from "./lock";
import { ResolvedToolchain } from "./toolchain";
import { compareGoVersions, parseGoVersion } from "./version";

export interface GoModFix {
  readonly text: string;
  readonly changed: boolean;
}

/**
 * The go.mod `text` with its `toolchain` line naming `t` (added after the go line when absent),
 * every other byte unchanged. Refuses (ExportError, naming file:line, both versions and the fix):
 * a go.mod Go cannot parse, and a `go` line newer than the locked version — with GOTOOLCHAIN=local
 * (what the exports and the builder set) such a module does not build ("go.mod requires go >= …").
 */
export function fixGoModToolchain(text: string, t: ResolvedToolchain, env: EnvironmentName, filename = "go.mod"): GoModFix {
  let goLine;
  try {
    goLine = parseModFile(text, { kind: "go.mod", filename }).go;
  } catch (err) {
    if (err instanceof GoModSyntaxError) throw new ExportError(`${err.message}\n(the go command refuses this go.mod too; fix it before setting the toolchain)`);
    throw err;
  }
  if (goLine !== undefined) {
    const at = `${filename}:${goLine.token.start.line}`;
    const asked = parseGoVersion(goLine.value);
    const locked = parseGoVersion(t.version)!;
    if (asked === undefined) {
      throw new ExportError(`${at}: the go line "${goLine.value}" is not a Go version goguard can compare with the locked ${t.version} (${env}); write it as a release such as ${t.version} or a language version such as ${locked.major}.${locked.minor}`);
    }
    if (compareGoVersions(asked, locked) > 0) {
      throw new ExportError(
        `${at}: go ${goLine.value} is newer than the locked Go ${t.version} (${env}): with GOTOOLCHAIN=local the build stops ("go.mod requires go >= ${goLine.value}"); lower the go line to ${t.version} or below, or allow Go ${goLine.value} in the lock and promote it to ${env}`,
      );
    }
  }
  const next = setToolchain(text, t.toolchain, { kind: "go.mod", filename });
  return { text: next, changed: next !== text };
}
