/**
 * Inputs for the multiclass checks: seeded logit vectors (typical and very large, where softmax
 * saturates) and the batch that evaluates l(s, k) for every point s and every class k, one row
 * per (point, class), so that a whole conditional risk or class sum is one batched call.
 */
import type { LeafValue } from '../ir/bindings';
import type { LoweredLoss } from '../lang/lower';
import { normal, seededRandom } from './random';

/** The names of the logits and class inputs of a multiclass loss. */
export function multiclassInputs(loss: LoweredLoss): { readonly logits: string; readonly label: string } {
  const logits = loss.inputs.find((i) => i.spec.role === 'logits')?.spec.name;
  const label = loss.inputs.find((i) => i.spec.role === 'classIndex')?.spec.name;
  if (logits === undefined || label === undefined) throw new Error('bug: a multiclass loss without logits and a class');
  return { logits, label };
}

/** Row i * K + k holds the logits of point i and class k + 1 (classes are 1-based). */
export function everyClassBatch(loss: LoweredLoss, points: readonly Float64Array[]): { rows: number; inputs: Record<string, LeafValue> } {
  const K = loss.info.classes;
  const { logits, label } = multiclassInputs(loss);
  const rows = points.length * K;
  const s = new Float64Array(rows * K);
  const y = new Float64Array(rows);
  points.forEach((p, i) => {
    for (let k = 0; k < K; k++) {
      s.set(p, (i * K + k) * K);
      y[i * K + k] = k + 1;
    }
  });
  return { rows, inputs: { [logits]: s, [label]: y } };
}

export const LARGE_LOGIT_SCALES = [10, 30, 100, 1e3, 1e6] as const;

/** `typical` seeded logits (2 * N(0, 1) entries), then large ones along a few directions. */
export function logitPoints(K: number, typical: number, seed: number): Float64Array[] {
  const random = seededRandom(seed);
  const points = Array.from({ length: typical }, () => Float64Array.from({ length: K }, () => 2 * normal(random)));
  const directions = [
    Float64Array.from({ length: K }, (_, j) => (j === 0 ? 1 : 0)),
    Float64Array.from({ length: K }, (_, j) => (j === 0 ? -1 : 0)),
    Float64Array.from({ length: K }, (_, j) => (j === 0 ? 1 : j === 1 ? -1 : 0)),
    Float64Array.from({ length: K }, () => normal(random)),
  ];
  for (const scale of LARGE_LOGIT_SCALES) for (const d of directions) points.push(d.map((x) => x * scale));
  return points;
}

/** A vector for a summary line, to four significant digits. */
export function showVector(v: ArrayLike<number>): string {
  return `(${Array.from(v, (x) => +x.toPrecision(4)).join(', ')})`;
}
