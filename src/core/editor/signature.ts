/**
 * Signature help: inside the parentheses of a call, the called function's signature with the
 * argument under the cursor, for built-ins (from their table) and for the definitions of the file.
 */
import { BUILTINS } from '../lang/builtins';
import { definitionSignature, describeDefinition } from './describe';
import { textBefore, type LossDocument, type SourcePosition } from './document';

export interface SignatureInfo {
  readonly label: string;
  readonly parameters: readonly string[];
  readonly documentation: string;
}

export interface SignatureHelpResult {
  readonly signatures: readonly SignatureInfo[];
  readonly activeSignature: number;
  readonly activeParameter: number;
}

/** The innermost call whose parentheses are open at the end of the expression `text`: its name and the argument index. */
export function openCall(text: string): { name: string; argument: number } | undefined {
  let depth = 0;
  let argument = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const ch = text[i];
    if (ch === ')' || ch === ']') depth++;
    else if (ch === '[') {
      if (depth === 0) return undefined;
      depth--;
    } else if (ch === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const name = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(0, i))?.[1];
      if (name !== undefined) return { name, argument };
      // A parenthesised group, not a call: the call, if any, is further out.
      argument = 0;
    } else if (ch === ',' && depth === 0) argument++;
  }
  return undefined;
}

/** `clip(x, lo, hi)` -> ['x', 'lo', 'hi']. */
function parametersOf(signature: string): string[] {
  const inside = /\(([^()]*)\)/.exec(signature)?.[1] ?? '';
  return inside
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

export function signatureHelpAt(document: LossDocument, position: SourcePosition): SignatureHelpResult | undefined {
  const model = document.at(position);
  if (!model) return undefined;
  const before = textBefore(model, position);
  const header = /^\s*[A-Za-z_][A-Za-z0-9_]*\s*\([^()]*\)\s*=(?!=)/.exec(before);
  if (!header || before.includes('#')) return undefined;
  const call = openCall(before.slice(header[0].length));
  if (!call) return undefined;
  const builtin = Object.hasOwn(BUILTINS, call.name) ? BUILTINS[call.name] : undefined;
  let signatures: SignatureInfo[];
  if (builtin) {
    signatures = builtin.signature.split(' or ').map((label) => ({ label, parameters: parametersOf(label), documentation: builtin.doc }));
  } else {
    const d = model.checked.file.parsed.definitions.find((x) => x.name === call.name && x.line < position.line);
    if (!d) return undefined;
    const source = (model.lines[d.line] ?? '').trim();
    signatures = [{ label: definitionSignature(d), parameters: [...d.args], documentation: `${describeDefinition(d)}: ${source}` }];
  }
  // A variadic form (`max(a, b, ...)`) when there are several arguments, the one-vector form otherwise.
  const active = signatures.length > 1 ? (call.argument > 0 ? 0 : signatures.length - 1) : 0;
  const params = (signatures[active] as SignatureInfo).parameters;
  return { signatures, activeSignature: active, activeParameter: Math.min(call.argument, Math.max(0, params.length - 1)) };
}
