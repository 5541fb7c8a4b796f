/** A definition in a few words, the same in completion, hover, signature help and the Outline. */
import { inferKind } from '../lang/kinds';
import type { Definition } from '../lang/parse';

/** A definition is a loss when it is not marked @helper and has a kind, declared or inferred. */
export function isLossDefinition(d: Definition): boolean {
  return !d.helper && (d.declaredKind ?? inferKind(d.args)) !== undefined;
}

/** What a definition is, in a few words: `probability loss`, `helper`. */
export function describeDefinition(d: Definition): string {
  if (d.helper) return 'helper';
  const kind = d.declaredKind ?? inferKind(d.args);
  return kind ? `${kind} loss` : 'helper (its arguments name no kind)';
}

export function definitionSignature(d: Definition): string {
  return `${d.name}(${d.args.join(', ')})`;
}
