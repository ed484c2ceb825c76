// The `$GITHUB_ENV` file a `run:` step appends to: GitHub sets each NAME=value written there for
// every later step of the job (docs.github.com, workflow commands, "Setting an environment
// variable"). Read by lines, not by a shell: `echo`/`printf` of a literal NAME=value redirected with
// `>>`/`tee -a` to it, alone or in a `{ …; }` group (one line or several). A value the step
// computes (`$X`, a command substitution, the NAME<<DELIMITER multi-line form) cannot be read
// statically and comes back unresolved, so it is reported as not checkable offline.

export interface GithubEnvWrite {
  readonly name: string;
  /** Undefined when the value is known only when the step runs. */
  readonly value?: string;
  /** The text that sets it, for the message and the column. */
  readonly raw: string;
  /** 0-based line of the script. */
  readonly index: number;
}

const TARGET = /(?:>>|\btee\s+(?:-a|--append)\s+)\s*"?\$\{?GITHUB_ENV\}?"?/;
const MAX_LINES = 2000;

function unquote(arg: string): { text: string; literal: boolean } {
  const a = arg.trim();
  if (/^'[^']*'$/.test(a)) return { text: a.slice(1, -1), literal: true };
  if (/^"[^"]*"$/.test(a)) return { text: a.slice(1, -1), literal: !/[$`\\]/.test(a) };
  return { text: a, literal: !/[$`\\'"\s]/.test(a) };
}

function commandWrite(cmd: string, index: number): GithubEnvWrite | undefined {
  const m = /^\s*(?:echo|printf)\s+(?:-[neE]+\s+)?(.*?)\s*$/.exec(cmd);
  if (!m) return undefined;
  const { text, literal } = unquote(m[1]);
  const kv = /^([A-Za-z_][A-Za-z0-9_]*)(=|<<)(.*)$/s.exec(text);
  if (!kv) return undefined;
  const value = literal && kv[2] === "=" ? kv[3].replace(/\\n$/, "") : undefined;
  return { name: kv[1], value, raw: m[1].trim(), index };
}

export function githubEnvWrites(script: string): GithubEnvWrite[] {
  const lines = script.split("\n").slice(0, MAX_LINES);
  const out: GithubEnvWrite[] = [];
  let groupStart: number | undefined;
  lines.forEach((line, i) => {
    if (/^\s*\{\s*$/.test(line)) groupStart = i;
    const t = TARGET.exec(line);
    if (!t) return;
    const before = line.slice(0, t.index).replace(/\|\s*$/, "");
    let cmds: Array<[string, number]>;
    const inline = /\{(.*)\}\s*$/.exec(before);
    if (inline) cmds = inline[1].split(";").map((c) => [c, i]);
    else if (/^\s*\}\s*$/.test(before) && groupStart !== undefined) cmds = lines.slice(groupStart + 1, i).flatMap((l, k) => l.split(";").map((c): [string, number] => [c, groupStart! + 1 + k]));
    else cmds = [[before, i]];
    for (const [c, at] of cmds) {
      const w = commandWrite(c, at);
      if (w) out.push(w);
    }
    groupStart = undefined;
  });
  return out;
}
