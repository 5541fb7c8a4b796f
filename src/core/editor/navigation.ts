/**
 * Go to definition and rename, over the table of names (`lang/references.ts`). A param, a loss
 * or a helper can be renamed across its source; an argument across its definition. A new name
 * is refused, with the reason, where it would change what the file means.
 */
import { isBuiltinName } from '../lang/builtins';
import type { SourceRange, TextEdit } from '../lang/diagnostics';
import type { Definition } from '../lang/parse';
import { sameReferent, type Occurrence, type Referent } from '../lang/references';
import { occurrenceAt, type LossDocument, type SourceModel, type SourcePosition } from './document';
import { libraryLosses } from './library';

/** A place to go: in the same document, or (`file`) in a library file. */
export interface DefinitionLocation {
  readonly file?: string;
  readonly range: SourceRange;
}

/** Where the name under `position` is declared: in the document, or in the library for a loss brought in by `use`. */
export function definitionAt(document: LossDocument, position: SourcePosition): DefinitionLocation | undefined {
  const model = document.at(position);
  const occurrence = model && occurrenceAt(model, position);
  return occurrence && declarationOf(occurrence.referent);
}

function declarationOf(referent: Referent): DefinitionLocation | undefined {
  switch (referent.kind) {
    case 'param':
      return { range: referent.decl.range };
    case 'definition': {
      if (!isUsed(referent.definition)) return { range: referent.definition.nameRange };
      const entry = libraryLosses().find((l) => l.name === referent.definition.name);
      return entry ? { file: entry.file, range: entry.range } : { range: referent.definition.nameRange };
    }
    case 'argument':
      return { range: referent.declaration };
    case 'local':
      return { range: referent.local.nameRange };
    default:
      return undefined;
  }
}

/** A definition brought in by `use` carries the definitions of its own file. */
function isUsed(definition: Definition): boolean {
  return definition.scope !== undefined;
}

/** `elsewhere`: the position is not on a name of a loss at all (in a Python file, its code), so another provider may rename there. */
export type PrepareRenameResult = { ok: true; range: SourceRange; placeholder: string } | { ok: false; message: string; elsewhere: boolean };
export type RenameResult = { ok: true; edits: readonly TextEdit[] } | { ok: false; message: string };

/** mathjs reads these as operators or units, so they cannot name anything. */
const RESERVED = new Set(['and', 'or', 'not', 'xor', 'to', 'in', 'mod', 'param']);

type Refusal = { message: string; elsewhere: boolean };

function renameTarget(document: LossDocument, position: SourcePosition): { model: SourceModel; occurrence: Occurrence } | Refusal {
  const model = document.at(position);
  const occurrence = model && occurrenceAt(model, position);
  if (!model || !occurrence) return { message: 'put the cursor on a param, a loss, a helper or an argument to rename it', elsewhere: true };
  const kind = occurrence.referent.kind;
  if (kind === 'builtin' || kind === 'constant') return { message: `'${occurrence.name}' is built in and cannot be renamed`, elsewhere: false };
  if (kind === 'unknown') return { message: `'${occurrence.name}' is not defined in this file`, elsewhere: false };
  if (occurrence.referent.kind === 'definition' && isUsed(occurrence.referent.definition))
    return { message: `'${occurrence.name}' is the name of a library loss: \`use\` needs it as it is`, elsewhere: false };
  return { model, occurrence };
}

export function prepareRenameAt(document: LossDocument, position: SourcePosition): PrepareRenameResult {
  const target = renameTarget(document, position);
  if ('message' in target) return { ok: false, ...target };
  return { ok: true, range: target.occurrence.range, placeholder: target.occurrence.name };
}

export function renameAt(document: LossDocument, position: SourcePosition, newName: string): RenameResult {
  const target = renameTarget(document, position);
  if ('message' in target) return { ok: false, message: target.message };
  const { model, occurrence } = target;
  const refuse = (message: string): RenameResult => ({ ok: false, message });
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return refuse(`'${newName}' is not a name: use letters, digits and _, not starting with a digit`);
  if (newName === occurrence.name) return { ok: true, edits: [] };
  if (isBuiltinName(newName) || RESERVED.has(newName)) return refuse(`'${newName}' is built in`);
  const same = model.occurrences.filter((o) => sameReferent(o.referent, occurrence.referent));
  const clash = clashOf(model, occurrence.referent, same, newName);
  if (clash) return refuse(clash);
  return { ok: true, edits: same.map((o) => ({ range: o.range, newText: newName })) };
}

/** Why `newName` would change the meaning of the file, if it would. */
function clashOf(model: SourceModel, referent: Referent, occurrences: readonly Occurrence[], newName: string): string | undefined {
  const parsed = model.checked.file.parsed;
  if (referent.kind === 'argument' || referent.kind === 'local') {
    if (referent.definition.args.includes(newName)) return `'${referent.definition.name}' already has an argument '${newName}'`;
    if (referent.definition.locals.some((l) => l.name === newName)) return `'${referent.definition.name}' already has a \`where\` name '${newName}'`;
    if (referent.kind === 'local') {
      if (parsed.params.some((p) => p.name === newName)) return `a param is already named '${newName}'`;
      if (parsed.definitions.some((d) => d.name === newName)) return `a definition is already named '${newName}'`;
      return undefined;
    }
    if (parsed.params.some((p) => p.name === newName)) return `'${newName}' is a param: an argument of that name would hide it`;
    const used = model.occurrences.some((o) => o.name === newName && o.range.startLine === referent.definition.line && !o.declaration);
    return used ? `'${referent.definition.name}' already uses a name '${newName}'` : undefined;
  }
  if (parsed.params.some((p) => p.name === newName)) return `a param is already named '${newName}'`;
  if (parsed.definitions.some((d) => d.name === newName)) return `a definition is already named '${newName}'`;
  if (referent.kind === 'param') {
    // A definition with an argument of the new name would read it instead of the param.
    const lines = new Set(occurrences.map((o) => o.range.startLine));
    const captor = parsed.definitions.find((d) => lines.has(d.line) && d.args.includes(newName));
    if (captor) return `'${newName}' is an argument of '${captor.name}', which uses '${referent.decl.name}'`;
  }
  return undefined;
}
