/** A .loss text's loss lowered to the IR, for tests: the text is expected to be sound. */
import { findLoss } from '../../src/core/analyze';
import type { LoweredLoss } from '../../src/core/lang/lower';

export function lowered(text: string, name?: string): LoweredLoss {
  const f = findLoss(text, name);
  if (!f.ok) throw new Error(JSON.stringify(f.diagnostics));
  return f.loss;
}
