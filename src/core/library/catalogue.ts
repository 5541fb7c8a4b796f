/**
 * The built-in library: every `library/*.loss` file, read with the same parser as a user's
 * file. The library is data: a loss added there is listed, checked and usable like any other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeLoss } from '../analyze';
import { checkLossText } from '../lang/check';
import { formatDiagnostic } from '../lang/diagnostics';
import type { LossSummary } from '../results';

export interface LibraryEntry {
  readonly family: string;
  readonly file: string;
  readonly loss: LossSummary;
}

export type LibraryResult = { ok: true; entries: LibraryEntry[] } | { ok: false; errors: string[] };

export function loadLibrary(directory: string): LibraryResult {
  const entries: LibraryEntry[] = [];
  const errors: string[] = [];
  for (const name of readdirSync(directory)
    .filter((f) => f.endsWith('.loss'))
    .sort()) {
    const file = join(directory, name);
    const checked = checkLossText(readFileSync(file, 'utf8'), { libraryDirectory: null });
    if (!checked.ok) {
      errors.push(...checked.diagnostics.map((d) => formatDiagnostic(file, d)));
      continue;
    }
    for (const info of checked.file.losses) entries.push({ family: name.replace(/\.loss$/, ''), file, loss: summarizeLoss(info) });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries };
}
