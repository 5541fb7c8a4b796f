/** A .loss text's loss lowered to the IR, its float64 value, and its errors, for tests. */
import { analyzeLossText, findLoss } from '../../src/core/analyze';
import { runReference } from '../../src/core/engine/reference';
import { lowerToProgram } from '../../src/core/ir/program';
import type { LoweredLoss } from '../../src/core/lang/lower';

/** The loss called `name` (the first when absent); the text is expected to be sound. */
export function lowered(text: string, name?: string): LoweredLoss {
  const f = findLoss(text, name);
  if (!f.ok) throw new Error(JSON.stringify(f.diagnostics));
  return f.loss;
}

/** The loss's value at one point, by the float64 reference. */
export function valueAt(text: string, at: Readonly<Record<string, number | readonly number[]>>, name?: string): number {
  const l = lowered(text, name);
  return (runReference(lowerToProgram(l.graph, [l.value]), { rows: 1, values: at })[0] as Float64Array)[0] as number;
}

/** The text's errors as `line:column message`, 1-based, in the checker's order. */
export function errorLines(text: string): string[] {
  return analyzeLossText(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.range.startLine + 1}:${d.range.startColumn + 1} ${d.message}`);
}
