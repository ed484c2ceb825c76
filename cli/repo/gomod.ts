// go.mod and go.work judged against the environment's lock (pure), read with the modfile parser.
//
// - `go` line: the minimum Go the module needs. The governed builder sets GOTOOLCHAIN=local, so a go
//   line newer than the lock's default toolchain makes every build stop ("go.mod requires go >= …
//   (running go …; GOTOOLCHAIN=local)") instead of downloading another toolchain.
// - `godebug default=goX.Y`: a default newer than the toolchain also stops every build.
// - `toolchain` line: the toolchain the module suggests; with GOTOOLCHAIN=auto Go would switch to
//   it, and setup-go installs it, so it must name a release the environment allows. `default` names
//   no release and is left alone.
import { GoModSyntaxError, ModFile, ModFileKind, parseModFile } from "../../components/toolchain/gomod";
import { compareGoVersions, formatGoVersion, parseGoVersion, parseReleaseName, toolchainName } from "../../components/toolchain/version";
import { findingFor, READABLE_RULE, RepoContext, RepoFinding } from "./types";
import { ALLOWED_RULE, EXACT_RULE, judgeRelease } from "./versions";

export type ParsedMod = { readonly ok: true; readonly file: ModFile } | { readonly ok: false; readonly findings: RepoFinding[] };

/** Parses, or turns Go's refusal into positioned findings (one per error Go would print). */
export function readModFile(file: string, kind: ModFileKind, text: string, ctx: RepoContext): ParsedMod {
  try {
    return { ok: true, file: parseModFile(text, { kind, filename: file }) };
  } catch (err) {
    if (!(err instanceof GoModSyntaxError)) throw err;
    return {
      ok: false,
      findings: err.errors.flatMap((e) =>
        findingFor(ctx, READABLE_RULE, file, e.position.line, e.position.column, `${file}:${e.position.line}:${e.position.column}: ${e.message}: the go command refuses this ${kind}, so every build of the module fails, and its go and toolchain lines cannot be judged. Fix: correct the line (go mod edit -fmt shows Go's reading).`),
      ),
    };
  }
}

export function checkModFile(file: string, kind: ModFileKind, text: string, ctx: RepoContext): RepoFinding[] {
  const parsed = readModFile(file, kind, text, ctx);
  if (!parsed.ok) return parsed.findings;
  const mod = parsed.file;
  const out: RepoFinding[] = [];
  if (mod.go !== undefined) {
    const { value, token } = mod.go;
    const where = `${file} line ${token.start.line}: go ${value}`;
    const v = parseGoVersion(value);
    const locked = parseGoVersion(ctx.defaultVersion)!;
    if (v === undefined) {
      out.push(...findingFor(ctx, EXACT_RULE, file, token.start.line, token.start.column, `${where} is not a Go version the go command can compare with a toolchain (such as 1.26 or 1.26.7). Fix: write go ${ctx.defaultVersion} or an older language version.`));
    } else if (compareGoVersions(v, locked) > 0) {
      out.push(
        ...findingFor(
          ctx,
          ALLOWED_RULE,
          file,
          token.start.line,
          token.start.column,
          `${where} is newer than Go ${ctx.defaultVersion}, the ${ctx.env} lock's default toolchain: with GOTOOLCHAIN=local (as the governed builder sets it) every build stops with "${kind} requires go >= ${value} (running go ${ctx.defaultVersion}; GOTOOLCHAIN=local)". Fix: lower the go line to ${ctx.defaultVersion} or older, or have the platform team lock and promote a newer Go first.`,
        ),
      );
    }
  }
  // `godebug default=goX.Y`: the GODEBUG defaults of that Go; a toolchain older than it refuses the
  // file ("default=go1.27 too new (toolchain is go1.26.7)"), so it is held to the go line's rule.
  for (const g of mod.godebug) {
    if (g.key !== "default") continue;
    const v = /^go(.+)$/.exec(g.value) ? parseGoVersion(g.value.slice(2)) : undefined;
    if (v === undefined || compareGoVersions(v, parseGoVersion(ctx.defaultVersion)!) <= 0) continue;
    const token = g.line.tokens[g.line.tokens.length - 1];
    out.push(
      ...findingFor(
        ctx,
        ALLOWED_RULE,
        file,
        token.start.line,
        token.start.column,
        `${file} line ${token.start.line}: godebug default=${g.value} is newer than Go ${ctx.defaultVersion}, the ${ctx.env} lock's default toolchain: the go command stops with "${kind}:${token.start.line}: default=${g.value} too new (toolchain is go${ctx.defaultVersion})". Fix: set default to go${ctx.defaultVersion} or older, or drop it.`,
      ),
    );
  }
  if (mod.toolchain !== undefined && mod.toolchain.value !== "default") {
    const { value, token } = mod.toolchain;
    const where = `${file} line ${token.start.line}: toolchain ${value}`;
    const release = parseReleaseName(value);
    if (release === undefined || toolchainName(release) !== value) {
      out.push(
        ...findingFor(ctx, EXACT_RULE, file, token.start.line, token.start.column, `${where} does not name a Go release (a release is named like go${ctx.defaultVersion}; a language version such as go1.26 or a suffixed name is not one), so Go would look for or download a toolchain the lock does not hold. Fix: write toolchain ${toolchainName(ctx.defaultVersion)}.`),
      );
    } else {
      const verdict = judgeRelease(formatGoVersion(release), where, ctx, (v) => `toolchain ${toolchainName(v)}`);
      if (verdict) out.push(...findingFor(ctx, verdict.rule, file, token.start.line, token.start.column, verdict.message));
    }
  }
  return out;
}
