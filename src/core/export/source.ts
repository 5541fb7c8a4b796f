/**
 * The lines of a .loss file that make up one loss: the params it uses, the helpers it calls
 * (transitively) and its own definition, each with the directives above it, in file order. A
 * definition brought in by `use` is shown by its `use` line: its own lines are in another file.
 */
import { checkLossText, walk } from '../lang/check';
import type { Definition } from '../lang/parse';

/** `undefined` when the file has no loss of that name. */
export function lossSourceLines(text: string, name: string): string[] | undefined {
  const { file } = checkLossText(text);
  const info = file.losses.find((l) => l.name === name);
  if (!info) return undefined;
  const lines = text.split(/\r?\n/);
  // Ranges of params and definitions that come from another file (`use`) are not this file's
  // lines: a line is taken only if it says what it should.
  const says = (line: number, pattern: string): boolean => new RegExp(`^\\s*${pattern}\\b`).test(lines[line] ?? '');
  const wanted = new Set<number>(info.params.map((p) => p.range.startLine).filter((l, k) => says(l, `param\\s+${info.params[k]?.name}`)));

  const seen = new Set<Definition>();
  const pending: Definition[] = [info.definition];
  while (pending.length > 0) {
    const d = pending.pop() as Definition;
    if (seen.has(d)) continue;
    seen.add(d);
    if (d.scope !== undefined || !says(d.range.startLine, `${d.name}\\s*\\(`)) {
      for (const u of file.parsed.uses.filter((x) => x.name === d.name)) wanted.add(u.range.startLine);
      continue;
    }
    wanted.add(d.range.startLine);
    for (const local of d.locals) wanted.add(local.line);
    // Directives (@kind, @cite, @helper, ...) sit on the lines just above their definition.
    for (let l = d.range.startLine - 1; l >= 0 && /^\s*@/.test(lines[l] ?? ''); l--) wanted.add(l);
    for (const body of [d.body, ...d.locals.map((l) => l.body)]) {
      walk(body, (e) => {
        const helper = e.tag === 'call' ? file.definitions.get(e.name) : undefined;
        if (helper) pending.push(helper);
      });
    }
  }
  return [...wanted].sort((a, b) => a - b).map((l) => (lines[l] ?? '').trimEnd());
}
