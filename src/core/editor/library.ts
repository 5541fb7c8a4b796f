/**
 * The built-in library as the editor needs it: the losses `use NAME from "library"` can bring in,
 * with their kind, signature and citation (for completion), and where each is defined (for go to
 * definition). The files are parsed, not checked, and read again only when they change.
 */
import type { SourceRange } from '../lang/diagnostics';
import { subexpressions, type Expr } from '../lang/expression';
import { defaultLibraryDirectory, readLibraryFiles } from '../lang/library';
import { parseLossText, type Definition } from '../lang/parse';
import { describeDefinition, definitionSignature, isLossDefinition } from './describe';

export interface LibraryLoss {
  readonly name: string;
  readonly signature: string;
  /** `probability loss` */
  readonly description: string;
  readonly cite?: string;
  readonly params: readonly string[];
  /** The library file and the loss's name in it. */
  readonly file: string;
  readonly range: SourceRange;
}

let cached: { readonly key: string; readonly losses: readonly LibraryLoss[] } | undefined;

/** The losses of the library directory (LossLab's own by default), in file order. */
export function libraryLosses(directory = defaultLibraryDirectory()): readonly LibraryLoss[] {
  const files = readLibraryFiles(directory);
  if (!files.ok) return [];
  const key = `${directory}\u0000${files.files.map((f) => f.text).join('\u0000')}`;
  if (cached?.key === key) return cached.losses;
  const losses = files.files.flatMap(({ file, text }) => {
    const parsed = parseLossText(text);
    return parsed.definitions.filter(isLossDefinition).map((d: Definition): LibraryLoss => {
      const used = new Set<string>();
      for (const body of [d.body, ...d.locals.map((l) => l.body)]) collectNames(body, used, parsed.definitions);
      return {
        name: d.name,
        signature: definitionSignature(d),
        description: describeDefinition(d),
        ...(d.cite !== undefined ? { cite: d.cite } : {}),
        params: parsed.params.filter((p) => used.has(p.name)).map((p) => p.name),
        file,
        range: d.nameRange,
      };
    });
  });
  cached = { key, losses };
  return losses;
}

/** The names a body reads, through the helpers of its file. */
function collectNames(e: Expr, into: Set<string>, definitions: readonly Definition[]): void {
  if (e.tag === 'name') into.add(e.name);
  const helper = e.tag === 'call' ? definitions.find((d) => d.name === e.name) : undefined;
  if (helper && !into.has(`${helper.name}()`)) {
    into.add(`${helper.name}()`);
    for (const body of [helper.body, ...helper.locals.map((l) => l.body)]) collectNames(body, into, definitions);
  }
  for (const c of subexpressions(e)) collectNames(c, into, definitions);
}
