/**
 * The library losses a comparison can train beside a loss of a given kind: those of the same
 * kind (a binary loss meets the model through its margin or probability, a multiclass loss
 * through K logits, so kinds do not mix in one experiment). Read from the library's text with
 * the parser alone, so listing them costs no checking.
 */
import { inferKind, type Kind } from '../lang/kinds';
import { defaultLibraryDirectory, readLibraryFiles } from '../lang/library';
import { parseLossText } from '../lang/parse';
import { isTrainableKind } from './objective';

// The library ships with LossLab and does not change while it runs; the panel asks on every edit.
const listed = new Map<string, readonly string[]>();

/** The library's losses of `kind`, in library order; none for a kind experiments cannot train. */
export function libraryLossesOfKind(kind: Kind, directory = defaultLibraryDirectory()): readonly string[] {
  if (!isTrainableKind(kind)) return [];
  const key = `${directory}\u0000${kind}`;
  const known = listed.get(key);
  if (known) return known;
  const files = readLibraryFiles(directory);
  if (!files.ok) return [];
  const names = files.files.flatMap(({ text }) =>
    parseLossText(text)
      // As the checker decides (check.ts): tensor arguments make a batch loss, whatever their names.
      .definitions.filter((d) => !d.helper && (d.declaredKind ?? (d.tensors.length > 0 ? 'batch' : inferKind(d.args))) === kind)
      .map((d) => d.name),
  );
  listed.set(key, names);
  return names;
}
