/**
 * shift: invariance of a multiclass loss under s -> s + c 1, which holds when the loss sees the
 * logits only through softmax or the differences s_k - s_y, as comp-sum losses do (Mao, Mohri &
 * Zhong 2023, "Cross-Entropy Loss Functions: Theoretical Analysis and Applications"). Compares
 * l(s + c, y) with l(s, y) in float64 at seeded s, y and c up to 1e6, allowing the rounding that
 * adding c to s causes: the gradient's size times a few ulps of |s + c|.
 */
import type { Check, CheckContext } from './context';
import { evaluate64, inputGradients } from './float64';
import { logitPoints, multiclassInputs, showVector as show } from './multiclassBatch';
import type { CheckResult } from './report';

const CITE = 'Mao, Mohri & Zhong 2023, "Cross-Entropy Loss Functions: Theoretical Analysis and Applications" (comp-sum losses depend on s_k - s_y only)';
const TYPICAL = 32;
const SHIFTS = [0.5, -0.5, 3, -3, 30, -30, 1e3, -1e3, 1e6, -1e6];
const RELATIVE_TOLERANCE = 1e-9;
const ULPS = 16;

async function checkShift({ loss, params }: CheckContext): Promise<CheckResult> {
  const K = loss.info.classes;
  const { logits, label } = multiclassInputs(loss);
  const grad = inputGradients(loss).find((g) => g.name === logits);
  if (!grad) throw new Error('bug: no gradient with respect to the logits');
  const points = logitPoints(K, TYPICAL, 23);
  // Rows come in pairs: (s, y) then (s + c, y), with y cycling through the classes.
  const pairs = points.flatMap((s, i) => SHIFTS.map((c, j) => ({ s, c, y: 1 + ((i + j) % K) })));
  const rows = 2 * pairs.length;
  const sIn = new Float64Array(rows * K);
  const yIn = new Float64Array(rows);
  pairs.forEach(({ s, c, y }, i) => {
    sIn.set(s, 2 * i * K);
    sIn.set(
      s.map((x) => x + c),
      (2 * i + 1) * K,
    );
    yIn[2 * i] = y;
    yIn[2 * i + 1] = y;
  });
  const [values, grads] = evaluate64(loss, [loss.value, grad.node], params, rows, { [logits]: sIn, [label]: yIn }) as [Float64Array, Float64Array];

  const l1 = (r: number): number => {
    let t = 0;
    for (let k = 0; k < K; k++) t += Math.abs(grads[r * K + k] as number);
    return t;
  };
  let compared = 0;
  let maxChange = 0;
  let witness: { pair: number; change: number; magnitude: number } | undefined;
  pairs.forEach(({ s, c }, i) => {
    const a = values[2 * i] as number;
    const b = values[2 * i + 1] as number;
    // Where the loss overflows, float64 decides nothing about invariance (that is stability's job).
    if (!Number.isFinite(a) || !Number.isFinite(b)) return;
    compared++;
    const change = Math.abs(b - a);
    maxChange = Math.max(maxChange, change);
    const magnitude = s.reduce((m, x) => Math.max(m, Math.abs(x), Math.abs(x + c)), 0);
    const slope = Math.max(l1(2 * i), l1(2 * i + 1));
    const tolerance = RELATIVE_TOLERANCE * (1 + Math.abs(a)) + ULPS * Number.EPSILON * magnitude * (Number.isFinite(slope) ? slope : 0);
    if (change <= tolerance) return;
    // The plainest witness: the smallest logits and shift that break invariance, then the largest change.
    if (witness === undefined || magnitude < witness.magnitude || (magnitude === witness.magnitude && change > witness.change))
      witness = { pair: i, change, magnitude };
  });
  const metrics = { pairs: pairs.length, compared, max_abs_change: maxChange };
  if (compared === 0) return { id: 'shift', verdict: 'inconclusive', summary: 'the loss is not finite at any of the logits tried', metrics, cite: CITE };
  const skipped = compared < pairs.length ? `; ${pairs.length - compared} pairs where the loss is not finite in float64 were skipped` : '';
  if (witness === undefined) {
    return {
      id: 'shift',
      verdict: 'pass',
      summary: `shift-invariant: l(s + c, y) = l(s, y) to float64 rounding at ${compared} (s, y, c) with |c| up to 1e6${skipped}`,
      metrics,
      cite: CITE,
    };
  }
  const { s, c, y } = pairs[witness.pair] as (typeof pairs)[number];
  const before = values[2 * witness.pair] as number;
  const after = values[2 * witness.pair + 1] as number;
  return {
    id: 'shift',
    verdict: 'fail',
    summary: `not shift-invariant: l(s, ${y}) = ${before.toPrecision(6)} at s = ${show(s)} but ${after.toPrecision(6)} after adding c = ${c} to every logit`,
    metrics,
    witness: { logits: Array.from(s), class: y, shift: c, loss: before, shifted_loss: after },
    cite: CITE,
  };
}

export const shiftCheck: Check = {
  id: 'shift',
  title: 'Shift invariance',
  applies: (kind) => kind === 'multiclass',
  run: checkShift,
};
