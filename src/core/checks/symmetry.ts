/**
 * symmetry: a multiclass loss is symmetric when sum_k l(s, k) = C for every logit vector s, the
 * condition under which minimising it is tolerant to symmetric label noise of rate below
 * (K - 1)/K (Ghosh, Kumar & Sastry 2017, "Robust Loss Functions under Label Noise for Deep Neural
 * Networks", Theorem 1). The sum is computed in float64 at seeded and very large logits.
 */
import type { Check, CheckContext } from './context';
import { lossValues64 } from './float64';
import { everyClassBatch, LARGE_LOGIT_SCALES, logitPoints, showVector as show } from './multiclassBatch';
import type { CheckResult } from './report';

const CITE = 'Ghosh, Kumar & Sastry 2017, "Robust Loss Functions under Label Noise for Deep Neural Networks"';
const TYPICAL = 48;
/** The sum may differ from the constant by rounding: this much of the largest term. */
const RELATIVE_TOLERANCE = 1e-9;

async function checkSymmetry({ loss, params }: CheckContext): Promise<CheckResult> {
  const K = loss.info.classes;
  const points = logitPoints(K, TYPICAL, 17);
  const batch = everyClassBatch(loss, points);
  const values = lossValues64(loss, params, batch.rows, batch.inputs);
  const sums: { point: number; sum: number; tolerance: number }[] = [];
  for (let i = 0; i < points.length; i++) {
    const terms = values.subarray(i * K, (i + 1) * K);
    if (!terms.every(Number.isFinite)) continue;
    const largest = terms.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    sums.push({ point: i, sum: terms.reduce((a, b) => a + b, 0), tolerance: RELATIVE_TOLERANCE * (1 + K * largest) });
  }
  const skipped = points.length - sums.length;
  const metrics: Record<string, number> = { points: points.length, undefined_points: skipped };
  const reference = sums[0];
  if (reference === undefined) {
    return { id: 'symmetry', verdict: 'inconclusive', summary: 'the loss is not finite at any of the logits tried', metrics, cite: CITE };
  }
  const lo = sums.reduce((a, b) => (b.sum < a.sum ? b : a));
  const hi = sums.reduce((a, b) => (b.sum > a.sum ? b : a));
  metrics.spread = hi.sum - lo.sum;
  const skippedNote = skipped > 0 ? `; ${skipped} logits where the loss is not finite in float64 were skipped` : '';
  // Typical logits come first, so the first departure from the reference is the plainest witness.
  const departure = sums.find((x) => Math.abs(x.sum - reference.sum) > x.tolerance + reference.tolerance);
  if (departure === undefined) {
    metrics.constant = reference.sum;
    return {
      id: 'symmetry',
      verdict: 'pass',
      summary: `symmetric: sum_k l(s, k) = ${reference.sum.toPrecision(6)} at all ${sums.length} logits tried (|s| up to ${(LARGE_LOGIT_SCALES[LARGE_LOGIT_SCALES.length - 1] as number).toExponential().replace('+', '')}), so the loss is noise-tolerant under symmetric label noise of rate below ${K - 1}/${K}${skippedNote}`,
      metrics,
      cite: CITE,
    };
  }
  const a = points[reference.point] as Float64Array;
  const b = points[departure.point] as Float64Array;
  return {
    id: 'symmetry',
    verdict: 'fail',
    summary: `not symmetric: sum_k l(s, k) is ${reference.sum.toPrecision(6)} at s = ${show(a)} but ${departure.sum.toPrecision(6)} at s = ${show(b)} (spread ${metrics.spread.toPrecision(3)} over ${sums.length} logits)${skippedNote}`,
    metrics,
    witness: { logits: Array.from(b), sum: departure.sum, reference_logits: Array.from(a), reference_sum: reference.sum },
    cite: CITE,
  };
}

export const symmetryCheck: Check = {
  id: 'symmetry',
  title: 'Symmetry (label-noise robustness)',
  applies: (kind) => kind === 'multiclass',
  run: checkSymmetry,
};
