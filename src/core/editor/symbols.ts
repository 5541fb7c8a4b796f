/** The Outline: the losses, helpers and params of every .loss source in a document. */
import type { SourceRange } from '../lang/diagnostics';
import { definitionSignature, describeDefinition, isLossDefinition } from './describe';
import type { LossDocument } from './document';

export interface LossSymbol {
  readonly name: string;
  readonly kind: 'loss' | 'helper' | 'param';
  /** Beside the name: `probability loss`, `= 2 in [0, 5]`. */
  readonly detail: string;
  /** The whole statement, and the name in it. */
  readonly range: SourceRange;
  readonly selectionRange: SourceRange;
}

export function documentSymbols(document: LossDocument): LossSymbol[] {
  return document.all().flatMap((model) => {
    const params = model.checked.file.parsed.params.map((p): LossSymbol => ({
      name: p.name,
      kind: 'param',
      detail: `= ${p.value} in [${p.min}, ${p.max}]`,
      range: statementRange(model.lines[p.range.startLine] ?? '', p.range),
      selectionRange: p.range,
    }));
    const definitions = model.checked.file.parsed.definitions.map((d): LossSymbol => ({
      name: definitionSignature(d),
      kind: isLossDefinition(d) ? 'loss' : 'helper',
      detail: describeDefinition(d),
      range: d.range,
      selectionRange: d.nameRange,
    }));
    const uses = model.checked.file.parsed.uses.flatMap((u): LossSymbol[] => {
      const d = model.checked.file.definitions.get(u.name);
      if (d?.line !== u.line) return [];
      return [
        {
          name: definitionSignature(d),
          kind: isLossDefinition(d) ? 'loss' : 'helper',
          detail: `${describeDefinition(d)}, from the library`,
          range: u.range,
          selectionRange: u.nameRange,
        },
      ];
    });
    return [...params, ...definitions, ...uses].sort((a, b) => a.range.startLine - b.range.startLine);
  });
}

/** The statement on the line of `name`, without its indentation or trailing comment. */
function statementRange(line: string, name: SourceRange): SourceRange {
  const hash = line.indexOf('#', name.endColumn);
  const end = (hash < 0 ? line : line.slice(0, hash)).trimEnd().length;
  return { startLine: name.startLine, startColumn: line.length - line.trimStart().length, endLine: name.startLine, endColumn: end };
}
