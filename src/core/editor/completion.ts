/**
 * Completion in a .loss source: in an expression, the definition's arguments, the params and the
 * definitions declared above (what the checker accepts there), the built-in functions with their
 * signature and one-line doc, and the constants; at the start of a line, `param` and the
 * directives; after `@kind`, the kinds.
 */
import { BUILTINS, CONSTANTS } from '../lang/builtins';
import type { SourceRange } from '../lang/diagnostics';
import { KINDS } from '../lang/kinds';
import { definitionSignature, describeDefinition, isLossDefinition } from './describe';
import { basename } from 'node:path';
import { textBefore, type LossDocument, type SourcePosition } from './document';
import { libraryLosses } from './library';

export type CompletionKind = 'function' | 'loss' | 'helper' | 'param' | 'argument' | 'constant' | 'keyword' | 'directive' | 'kind';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line beside the label: a signature, a param's range. */
  readonly detail: string;
  readonly documentation?: string;
  /** A snippet in VS Code's syntax (`$1`, `${1:name}`), when inserting more than the label. */
  readonly snippet?: string;
  /** Sorts before other items: the names of the file before the built-ins. */
  readonly sortText: string;
}

export interface CompletionResult {
  /** The word being completed, which an item replaces. */
  readonly range: SourceRange;
  readonly items: readonly CompletionItem[];
}

const DIRECTIVES: readonly CompletionItem[] = [
  {
    label: '@kind',
    kind: 'directive',
    detail: '@kind K',
    documentation: `the kind of the next definition: ${KINDS.join(', ')}`,
    snippet: '@kind ${1|' + KINDS.join(',') + '|}',
    sortText: '1',
  },
  {
    label: '@cite',
    kind: 'directive',
    detail: '@cite "title" (authors, year)',
    documentation: 'the source of the next definition, shown with its checks',
    snippet: '@cite "${1:title}" (${2:authors}, ${3:year})',
    sortText: '1',
  },
  {
    label: '@classes',
    kind: 'directive',
    detail: '@classes N',
    documentation: 'the number of classes K of the next multiclass or distribution loss (default 3)',
    snippet: '@classes ${1:3}',
    sortText: '1',
  },
  {
    label: '@helper',
    kind: 'directive',
    detail: '@helper',
    documentation: 'the next definition is callable from later lines but is not a loss of its own',
    sortText: '1',
  },
];

const PARAM_KEYWORD: CompletionItem = {
  label: 'param',
  kind: 'keyword',
  detail: 'param name = value in [lo, hi]',
  documentation: 'a hyperparameter: its default and the range of its slider',
  snippet: 'param ${1:name} = ${2:1} in [${3:0}, ${4:10}]',
  sortText: '0',
};

const USE_KEYWORD: CompletionItem = {
  label: 'use',
  kind: 'keyword',
  detail: 'use name from "library" with param = value',
  documentation: "a loss of LossLab's library, callable here; `with` sets its params' defaults",
  snippet: 'use ${1:name} from "library"',
  sortText: '0',
};

const OPERATOR_WORDS: readonly CompletionItem[] = ['and', 'or', 'not'].map((w) => ({ label: w, kind: 'keyword', detail: `logical ${w}`, sortText: '4' }));

export function completeAt(document: LossDocument, position: SourcePosition): CompletionResult | undefined {
  const model = document.at(position);
  if (!model) return undefined;
  const before = textBefore(model, position);
  if (before.includes('#')) return undefined;
  const word = /[A-Za-z_@][A-Za-z0-9_]*$/.exec(before)?.[0] ?? '';
  const range: SourceRange = { startLine: position.line, startColumn: position.column - word.length, endLine: position.line, endColumn: position.column };
  const stmt = before.trimStart();
  const result = (items: readonly CompletionItem[]): CompletionResult => ({ range, items });

  const use = completeUse(stmt);
  if (use) return result(use);
  if (/^@kind\s+[A-Za-z]*$/.test(stmt)) {
    return result(KINDS.map((k) => ({ label: k, kind: 'kind', detail: `@kind ${k}`, sortText: '0' })));
  }
  if (stmt.startsWith('@') && !/\s/.test(stmt)) return result(DIRECTIVES);
  if (/^(@|param\b)/.test(stmt)) return result([]);
  const header = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(([^()]*)\)\s*=(?!=)/.exec(stmt);
  if (!header) {
    // The start of a statement: a definition's name is the writer's, so offer only keywords.
    if (/^[A-Za-z_]*$/.test(stmt) && model.source.form !== 'comments') return result([PARAM_KEYWORD, USE_KEYWORD, ...DIRECTIVES]);
    return result([]);
  }

  const line = position.line;
  const args = (header[2] as string)
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const parsed = model.checked.file.parsed;
  const items: CompletionItem[] = [];
  for (const a of new Set(args)) items.push({ label: a, kind: 'argument', detail: `argument of ${header[1]}`, sortText: '0' });
  for (const p of parsed.params) {
    if (p.range.startLine >= line || args.includes(p.name)) continue;
    items.push({ label: p.name, kind: 'param', detail: `param ${p.name} = ${p.value} in [${p.min}, ${p.max}]`, sortText: '1' });
  }
  const seen = new Set<string>();
  // The file's definitions and the losses its `use` lines bring in, above the cursor.
  const callable = [...parsed.definitions, ...model.checked.file.definitions.values()].sort((a, b) => a.line - b.line);
  for (const d of callable) {
    if (d.line >= line || seen.has(d.name)) continue;
    seen.add(d.name);
    items.push({
      label: d.name,
      kind: isLossDefinition(d) ? 'loss' : 'helper',
      detail: definitionSignature(d),
      documentation: `${describeDefinition(d)}, ${d.scope ? 'from the library, used' : 'defined'} on line ${d.line + 1}${d.cite ? `\n\n${d.cite}` : ''}`,
      snippet: `${d.name}(${d.args.map((a, k) => `\${${k + 1}:${a}}`).join(', ')})`,
      sortText: '2',
    });
  }
  for (const [name, b] of Object.entries(BUILTINS)) {
    items.push({ label: name, kind: 'function', detail: b.signature, documentation: b.doc, snippet: `${name}($1)`, sortText: '3' });
  }
  for (const [name, value] of Object.entries(CONSTANTS)) items.push({ label: name, kind: 'constant', detail: `${name} = ${value}`, sortText: '3' });
  items.push(...OPERATOR_WORDS);
  return result(items);
}

/** After `use`: the library's losses; after `from`: "library"; after `with`: the loss's params. */
function completeUse(stmt: string): CompletionItem[] | undefined {
  if (/^use\s+[A-Za-z_0-9]*$/.test(stmt)) {
    return libraryLosses().map((l) => ({
      label: l.name,
      kind: 'loss',
      detail: l.signature,
      documentation: `${l.description} of the library (${basename(l.file)})${l.cite ? `\n\n${l.cite}` : ''}`,
      snippet: `${l.name} from "library"`,
      sortText: '0',
    }));
  }
  if (/^use\s+[A-Za-z_][A-Za-z0-9_]*\s+(f|fr|fro|from)?$/.test(stmt)) {
    return [{ label: 'from "library"', kind: 'keyword', detail: "LossLab's built-in losses", sortText: '0' }];
  }
  const withParams = /^use\s+([A-Za-z_][A-Za-z0-9_]*)\s+from\s+"library"\s+with\b(.*)$/.exec(stmt);
  if (withParams) {
    if (!/(^|,)\s*[A-Za-z_0-9]*$/.test(withParams[2] as string)) return [];
    const loss = libraryLosses().find((l) => l.name === withParams[1]);
    return (loss?.params ?? []).map((p) => ({ label: p, kind: 'param', detail: `a param of ${loss?.name}`, snippet: `${p} = $1`, sortText: '0' }));
  }
  return /^use\b/.test(stmt) ? [] : undefined;
}
