/**
 * The commands of a Markdown document's shell blocks, with the marker that
 * says where each block is typed. A block's info string is the language and
 * `key=value` attributes (values may be double-quoted):
 *
 * - `where=clone|repo|any` — typed in the clone, in the agent's repository,
 *   or in a directory outside both;
 * - `until="regex"` — one command that runs until Ctrl-C: run until its
 *   output matches, then interrupted;
 * - `norun=ci|script` — the CI command itself, or workspace scripts (build,
 *   test, bench) that must not run nested inside the test run: checked, not run;
 * - `scene=A|B|C|E` — the session is put into that failure mode first.
 *
 * A trailing `# (exit N)` comment is the exit status the command must have.
 * A trailing comment (after `(exit N)`, if any) that starts with a check
 * mark (`✔`, `✖`, `!`) is a line the command must print; `…` in it stands
 * for anything on that line.
 */

/** Where a block is typed. */
export type Where = 'clone' | 'repo' | 'any';

/** One command of a block. */
export interface DocCommand {
  /** The command as typed (continuation lines joined; its trailing comment kept: bash ignores it). */
  readonly text: string;
  /** 1-based line in the document where it starts. */
  readonly line: number;
  /** The exit status it must have. */
  readonly exit: number;
  /** A line it must print, when its comment shows one (a check mark first, `…` for anything). */
  readonly shows?: RegExp;
}

/** One shell block of a document. */
export interface DocBlock {
  /** The document's name (for messages). */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly where?: Where;
  readonly until?: RegExp;
  readonly norun?: 'ci' | 'script';
  readonly scene?: string;
  readonly commands: readonly DocCommand[];
}

/** The languages that hold commands someone types; every block in one of them needs a marker. */
export const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'zsh', 'console']);
const KEYS = new Set(['where', 'until', 'norun', 'scene']);

function attributes(info: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of info.matchAll(/(\S+?)=(?:"([^"]*)"|(\S+))/g)) {
    const key = m[1] as string;
    if (!KEYS.has(key)) throw new Error(`${where}: unknown block attribute ${key}`);
    out[key] = m[2] ?? (m[3] as string);
  }
  const rest = info.replace(/(\S+?)=(?:"([^"]*)"|(\S+))/g, '').trim();
  if (rest !== '') throw new Error(`${where}: cannot read "${rest}" in the info string`);
  return out;
}

/** The line a command's trailing comment shows: `# (exit 1) ✖ Title … [failure mode B]` → /✖ Title[^\n]*\[failure mode B\]/. */
function shownLine(command: string): RegExp | undefined {
  const shown = /\s#\s*(?:\(exit \d+\)\s*)?([✔✖!].*)$/.exec(command)?.[1];
  if (shown === undefined) return undefined;
  const parts = shown.split('…').map((p) => p.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('[^\\n]*'));
}

function commandsOf(body: readonly string[], firstLine: number): DocCommand[] {
  const commands: DocCommand[] = [];
  let pending: { text: string; line: number } | undefined;
  body.forEach((raw, i) => {
    const text = raw.trim();
    if (pending === undefined && (text === '' || text.startsWith('#'))) return;
    const joined = pending ? `${pending.text}\n${text}` : text;
    const line = pending?.line ?? firstLine + i;
    if (text.endsWith('\\')) {
      pending = { text: joined, line };
      return;
    }
    pending = undefined;
    const exit = /#.*\(exit (\d+)\)/.exec(joined)?.[1];
    const shows = shownLine(joined);
    commands.push({ text: joined, line, exit: exit === undefined ? 0 : Number(exit), ...(shows ? { shows } : {}) });
  });
  if (pending) commands.push({ ...pending, exit: 0 });
  return commands;
}

/**
 * Every fenced block of `markdown` whose language is a shell (indented fences
 * included), with its marker and commands. Throws for a shell block without a
 * `where` or `norun`, an unknown attribute or value, an `until` block of more
 * than one command, or an unclosed fence.
 */
export function shellBlocks(doc: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(.*)$/.exec(lines[i] as string);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const end = lines.findIndex((l, j) => j > i && l.trim() === fence);
    const where = `${doc}:${i + 1}`;
    if (end < 0) throw new Error(`${where}: unclosed code fence`);
    const [language = '', ...rest] = info.trim().split(/\s+/);
    if (SHELL_LANGUAGES.has(language)) {
      const attrs = attributes(rest.join(' '), where);
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      const block: DocBlock = {
        doc,
        line: i + 1,
        commands: commandsOf(body, i + 2),
        ...(attrs.where ? { where: attrs.where as Where } : {}),
        ...(attrs.until ? { until: new RegExp(attrs.until) } : {}),
        ...(attrs.norun ? { norun: attrs.norun as 'ci' | 'script' } : {}),
        ...(attrs.scene ? { scene: attrs.scene } : {}),
      };
      if (block.where === undefined && block.norun === undefined) throw new Error(`${where}: a ${language} block needs where=… or norun=…`);
      if (block.where !== undefined && !['clone', 'repo', 'any'].includes(block.where)) throw new Error(`${where}: where=${block.where}?`);
      if (block.norun !== undefined && !['ci', 'script'].includes(block.norun)) throw new Error(`${where}: norun=${block.norun}?`);
      if (block.until && block.commands.length !== 1) throw new Error(`${where}: an until block holds exactly one command`);
      if (block.commands.length === 0) throw new Error(`${where}: a ${language} block without a command`);
      blocks.push(block);
    }
    i = end;
  }
  return blocks;
}
