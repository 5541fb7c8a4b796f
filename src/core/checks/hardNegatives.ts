/**
 * hard-negatives: how a contrastive loss shares its gradient between hard and easy negatives.
 * On the loss's B × B matrix of pairs S (engine/pairGradient.ts: InfoNCE's z1 z2' / tau; the
 * diagonal holds the positives), the negatives of anchor i are S_ij, j != i, and the hardest are
 * the quarter most similar to it. The share is the hardest negatives' part of the gradient's
 * mass on all negatives, sum |dL/dS_ij| over hard j / sum over all j != i, pooled over anchors
 * and seeded batches. Uniform weighting gives the hardest quarter a quarter of it; a loss is
 * hardness-aware (Wang & Liu 2021) when the hardest get more, as InfoNCE's softmax weights,
 * exp(S_ij) / sum_k exp(S_ik), give them, and more still as tau falls (the share tends to 1 as
 * tau -> 0). With a param tau or temperature, the share is also reported at tau / 4 and 4 tau.
 * Evaluated in float64.
 */
import { gradient } from '../ir/autodiff';
import type { NodeId } from '../ir/graph';
import type { LoweredLoss } from '../lang/lower';
import { batchSize, gradientMatrix } from '../engine/pairGradient';
import type { Check, CheckContext } from './context';
import { evaluate64 } from './float64';
import type { CheckResult } from './report';
import { typicalSample } from './sampling';

const CITE =
  'Wang & Liu 2021, "Understanding the Behaviour of Contrastive Loss" (the hardness-aware property: the gradient on a negative grows with its similarity)';
const ID = 'hard-negatives';
/** Batches drawn (typicalSample) and their seed: exported for the tests that recompute the share by hand. */
export const POINTS = 8;
export const SEED = 43;
/** The hardest quarter of each anchor's negatives. */
export const HARD_FRACTION = 0.25;
/** A share this far above uniform (relative) counts as favouring the hard negatives; below it, float64 noise and ties. */
const MARGIN = 1e-6;
const TEMPERATURES = ['tau', 'temperature'];

export interface NegativeShare {
  /** The hardest negatives' part of the gradient's mass on negatives. */
  readonly share: number;
  /** What uniform weighting would give them: their number over B - 1. */
  readonly uniform: number;
  readonly hardPerAnchor: number;
}

/**
 * The share over `points` batches of pairs `s` and their gradient `g` (each B × B, row-major,
 * one batch after another). Ties in similarity are broken by column, so the count is exact.
 */
export function negativeShare(s: Float64Array, g: Float64Array, B: number, points: number): NegativeShare | undefined {
  const hard = Math.max(1, Math.round(HARD_FRACTION * (B - 1)));
  let hardMass = 0;
  let mass = 0;
  for (let p = 0; p < points; p++)
    for (let i = 0; i < B; i++) {
      const row = (p * B + i) * B;
      const negatives = Array.from({ length: B }, (_, j) => j).filter((j) => j !== i);
      negatives.sort((a, b) => (s[row + b] as number) - (s[row + a] as number) || a - b);
      negatives.forEach((j, rank) => {
        const w = Math.abs(g[row + j] as number);
        mass += w;
        if (rank < hard) hardMass += w;
      });
    }
  if (!(mass > 0) || !Number.isFinite(mass)) return undefined;
  return { share: hardMass / mass, uniform: hard / (B - 1), hardPerAnchor: hard };
}

function shareAt(loss: LoweredLoss, matrix: NodeId, dMatrix: NodeId, params: Readonly<Record<string, number>>, B: number): NegativeShare | undefined {
  const sample = typicalSample(loss, POINTS, SEED);
  const [s, g] = evaluate64(loss, [matrix, dMatrix], params, POINTS, sample.values) as [Float64Array, Float64Array];
  return negativeShare(s, g, B, POINTS);
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;

async function checkHardNegatives({ loss, params }: CheckContext): Promise<CheckResult> {
  const batch = batchSize(loss);
  const matrix = batch === undefined ? undefined : gradientMatrix(loss, batch.size);
  if (batch === undefined || matrix === undefined || matrix.of === 'input')
    return {
      id: ID,
      verdict: 'inconclusive',
      summary: 'no B × B matrix of pairs in the loss (anchors by candidates, positives on the diagonal): no negatives to weigh',
      metrics: {},
    };
  if (batch.size < 3)
    return {
      id: ID,
      verdict: 'inconclusive',
      summary: `the batch ${batch.name} = ${batch.size} leaves one negative per anchor: none harder than another`,
      metrics: { batch: batch.size },
    };
  const [dMatrix] = gradient(loss.graph, loss.value, [matrix.node]) as [NodeId];
  const at = shareAt(loss, matrix.node, dMatrix, params, batch.size);
  if (at === undefined)
    return {
      id: ID,
      verdict: 'inconclusive',
      summary: `the gradient with respect to ${matrix.name} is zero or not finite on the negatives at every batch tried`,
      metrics: { batch: batch.size },
    };
  const tau = loss.params.find((p) => TEMPERATURES.includes(p.decl.name))?.decl.name;
  const trend =
    tau === undefined
      ? []
      : [0.25, 4].flatMap((f) => {
          const t = (params[tau] as number) * f;
          const s = shareAt(loss, matrix.node, dMatrix, { ...params, [tau]: t }, batch.size);
          return s === undefined ? [] : [{ tau: t, share: s.share }];
        });
  const metrics: Record<string, number> = { batch: batch.size, points: POINTS, hard_per_anchor: at.hardPerAnchor, share: at.share, uniform_share: at.uniform };
  for (const t of trend) metrics[`share_at_${tau as string}_${t.tau}`] = t.share;
  const trendText = trend.length === 0 ? '' : `; at ${trend.map((t) => `${tau as string} = ${t.tau.toPrecision(3)}: ${percent(t.share)}`).join(', ')}`;
  const of = `the hardest ${at.hardPerAnchor} of each anchor's ${batch.size - 1} negatives in ${matrix.name}`;
  const aware = at.share > at.uniform * (1 + MARGIN);
  return {
    id: ID,
    verdict: aware ? 'pass' : 'fail',
    summary: aware
      ? `hardness-aware: ${of} get ${percent(at.share)} of the gradient on negatives, against ${percent(at.uniform)} under uniform weighting${trendText}`
      : `not hardness-aware: ${of} get ${percent(at.share)} of the gradient on negatives, no more than their ${percent(at.uniform)} under uniform weighting: easy negatives pull as hard as hard ones${trendText}`,
    metrics,
    cite: CITE,
  };
}

export const hardNegativesCheck: Check = {
  id: ID,
  title: 'Hard vs easy negatives',
  applies: (kind) => kind === 'batch',
  run: checkHardNegatives,
};
