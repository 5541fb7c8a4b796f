/**
 * Every loss the export tests cover: each loss of `examples/*.loss`, `library/*.loss` and
 * `test/fixtures/*.loss` (primitives no library loss uses yet), whatever files exist when the
 * tests run (the library grows; the tests follow it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findLoss } from '../../../src/core/analyze';
import { checkLossText } from '../../../src/core/lang/check';
import type { LoweredLoss } from '../../../src/core/lang/lower';

export const ROOT = join(__dirname, '..', '..', '..');

export interface CorpusLoss {
  /** `library/regression.loss:huber`, for messages. */
  readonly id: string;
  readonly file: string;
  readonly text: string;
  readonly loss: LoweredLoss;
}

/** `includeBatch`: also the batch losses (tensor arguments), which only the LaTeX export takes so far. */
export function exportCorpus(options: { readonly includeBatch?: boolean } = {}): CorpusLoss[] {
  const out: CorpusLoss[] = [];
  for (const dir of ['examples', 'library', 'test/fixtures']) {
    for (const name of readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.loss'))
      .sort()) {
      const file = `${dir}/${name}`;
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const info of checkLossText(text).file.losses.filter((l) => options.includeBatch === true || l.kind !== 'batch')) {
        const found = findLoss(text, info.name);
        if (!found.ok) throw new Error(`${file}: ${info.name} does not lower: ${JSON.stringify(found.diagnostics)}`);
        out.push({ id: `${file}:${info.name}`, file, text, loss: found.loss });
      }
    }
  }
  return out;
}
