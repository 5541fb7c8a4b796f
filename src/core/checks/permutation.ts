/**
 * permutation: whether a batch loss is invariant to the order of the batch. Reordering the
 * samples (every axis whose declared size is the batch's, in every input at once: embeddings,
 * their labels, a B × B input along both axes) must leave a loss that averages or sums over the
 * batch unchanged, as InfoNCE, CLIP, SupCon and every mean-reduced torch.nn loss are; a loss that
 * weighs samples by their position, or pairs sample i of one input with sample j of another
 * without a label saying so, is not. The batch is the first dimension of the first tensor input.
 * Compared in float64 at seeded inputs and permutations, up to the rounding that a reordered sum
 * makes (a few ulps of the terms' size).
 */
import { isTensorRole } from '../lang/kinds';
import type { LoweredLoss } from '../lang/lower';
import type { Check, CheckContext } from './context';
import { evaluate64 } from './float64';
import { seededRandom } from './random';
import type { CheckResult } from './report';
import { inputWidths, typicalSample } from './sampling';

const CITE = 'Zaheer et al. 2017, "Deep Sets" (a loss over a batch as a set: invariant to the order of its elements)';
const POINTS = 16;
const PERMUTATIONS = 4;
const RELATIVE_TOLERANCE = 1e-10;

/** The name of the batch size: the first dimension of the first tensor input. */
export function batchSize(loss: LoweredLoss): string | undefined {
  const first = loss.inputs.find((i) => isTensorRole(i.spec.role) && (i.spec.dims?.length ?? 0) > 0);
  const d = first?.spec.dims?.[0];
  return typeof d === 'string' ? d : undefined;
}

/** A seeded permutation of 0..n-1 that moves something (n > 1). */
function permutation(n: number, random: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  if (p.every((v, i) => v === i)) [p[0], p[1]] = [p[1] as number, p[0] as number];
  return p;
}

/** `row` (one input's entries, of shape `shape`) with every axis in `axes` reordered by `perm`: entry i takes entry perm[i]. */
function permuted(row: Float64Array, shape: readonly number[], axes: readonly number[], perm: readonly number[]): Float64Array {
  const out = new Float64Array(row.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < row.length; k++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) src = src * (shape[d] as number) + (axes.includes(d) ? (perm[index[d] as number] as number) : (index[d] as number));
    out[k] = row[src] as number;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (shape[d] as number)) break;
      index[d] = 0;
    }
  }
  return out;
}

async function checkPermutation({ loss, params }: CheckContext): Promise<CheckResult> {
  const name = batchSize(loss);
  const n = name === undefined ? undefined : loss.sizes.get(name);
  if (name === undefined || n === undefined) {
    return {
      id: 'permutation',
      verdict: 'inconclusive',
      summary: 'no tensor input whose first dimension is a named size: there is no batch to reorder',
      metrics: {},
    };
  }
  if (n < 2)
    return { id: 'permutation', verdict: 'inconclusive', summary: `the batch ${name} = ${n} has one sample: nothing to reorder`, metrics: { batch: n } };
  const widths = inputWidths(loss);
  const sample = typicalSample(loss, POINTS, 31);
  const random = seededRandom(37);
  const perms = Array.from({ length: PERMUTATIONS }, () => permutation(n, random));
  // Rows: each point as drawn, then under each permutation.
  const rows = POINTS * (PERMUTATIONS + 1);
  const inputs: Record<string, Float64Array> = {};
  loss.inputs.forEach(({ spec, leaf }, i) => {
    const width = widths[i] as number;
    const shape = loss.graph.shape(leaf);
    const axes = (spec.dims ?? []).flatMap((d, a) => (d === name ? [a] : []));
    const src = sample.values[spec.name] as Float64Array;
    const col = new Float64Array(rows * width);
    for (let p = 0; p < POINTS; p++) {
      const row = src.subarray(p * width, (p + 1) * width);
      col.set(row, p * (PERMUTATIONS + 1) * width);
      perms.forEach((perm, q) => col.set(axes.length > 0 ? permuted(row, shape, axes, perm) : row, (p * (PERMUTATIONS + 1) + q + 1) * width));
    }
    inputs[spec.name] = col;
  });
  const [values] = evaluate64(loss, [loss.value], params, rows, inputs) as [Float64Array];
  let compared = 0;
  let maxChange = 0;
  let worst: { point: number; perm: number; change: number } | undefined;
  for (let p = 0; p < POINTS; p++) {
    const base = values[p * (PERMUTATIONS + 1)] as number;
    for (let q = 0; q < PERMUTATIONS; q++) {
      const v = values[p * (PERMUTATIONS + 1) + q + 1] as number;
      if (!Number.isFinite(base) || !Number.isFinite(v)) continue;
      compared++;
      const change = Math.abs(v - base);
      maxChange = Math.max(maxChange, change);
      // A reordered sum of n terms rounds differently: allow a few ulps per term of the value's size.
      const tolerance = RELATIVE_TOLERANCE * (1 + Math.abs(base)) + 8 * n * Number.EPSILON * (1 + Math.abs(base));
      if (change > tolerance && (worst === undefined || change > worst.change)) worst = { point: p, perm: q, change };
    }
  }
  const metrics = { batch: n, points: POINTS, permutations: PERMUTATIONS, compared, max_abs_change: maxChange };
  if (compared === 0) return { id: 'permutation', verdict: 'inconclusive', summary: 'the loss is not finite at any of the inputs tried', metrics, cite: CITE };
  if (worst === undefined) {
    return {
      id: 'permutation',
      verdict: 'pass',
      summary: `invariant to the order of the batch: reordering its ${n} samples (axis ${name} of every input at once) leaves the loss unchanged to float64 rounding at ${compared} (input, order) pairs`,
      metrics,
      cite: CITE,
    };
  }
  const perm = perms[worst.perm] as number[];
  const at = worst.point * (PERMUTATIONS + 1);
  const before = values[at] as number;
  const after = values[at + worst.perm + 1] as number;
  return {
    id: 'permutation',
    verdict: 'fail',
    summary: `depends on the order of the batch: ${before.toPrecision(6)} as drawn, ${after.toPrecision(6)} with its ${n} samples reordered as (${perm.map((i) => i + 1).join(', ')})`,
    metrics,
    witness: { order: perm.map((i) => i + 1), loss: before, reordered_loss: after },
    cite: CITE,
  };
}

export const permutationCheck: Check = {
  id: 'permutation',
  title: 'Batch-order invariance',
  applies: (kind) => kind === 'batch',
  run: checkPermutation,
};
