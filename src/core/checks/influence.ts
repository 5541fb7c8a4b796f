/**
 * influence: whether one outlier can move the estimate arbitrarily far. The influence function of
 * the M-estimator of a loss l is proportional to psi(r) = dl/dr (Hampel 1974), so influence is
 * bounded exactly when sup_r |dl/dr| is finite: |dl/dr| is scanned from |r| = 1e-15 to 1e15 and its
 * growth measured over the last decades at each end (r -> +-infinity, and r -> 0, where losses
 * such as sqrt(|r|) have an infinite slope). Huber (1964), "Robust Estimation of a Location Parameter".
 */
import { bracketAround, indexOfMinimum, minimizeInBrackets } from './bracketSearch';
import type { Check, CheckContext } from './context';
import { evaluate64, inputGradients } from './float64';
import type { CheckResult } from './report';

const CITE =
  'Hampel (1974), "The Influence Curve and Its Role in Robust Estimation", JASA 69(346); Huber (1964), "Robust Estimation of a Location Parameter", Ann. Math. Statist. 35(1)';

/** Residuals: a fine grid where losses bend, then quarter-decades from 1e-15 to 1e15. */
const NEAR = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
const FAR = Array.from({ length: 121 }, (_, k) => 10 ** (-15 + k / 4)).flatMap((r) => [r, -r]);
/** For l(yhat, y), psi is taken along yhat = y - r at these targets. */
const TARGETS = [0, 1, 10];
/**
 * |psi| at three points towards each end decides: flat at the end is bounded; increments that do
 * not shrink (growth at least like log |r|) are unbounded; shrinking increments cannot be decided.
 */
const ENDS = [
  { name: 'r -> +infinity', residuals: [1e9, 1e12, 1e15] },
  { name: 'r -> -infinity', residuals: [-1e9, -1e12, -1e15] },
  { name: 'r -> 0+', residuals: [1e-9, 1e-12, 1e-15] },
  { name: 'r -> 0-', residuals: [-1e-9, -1e-12, -1e-15] },
] as const;
const FLAT = 1e-9;
const NOT_SHRINKING = 0.9;

export interface InfluenceCurve {
  /** Residuals and |dl/dr| there (the largest over the targets for l(yhat, y); NaN where undefined). */
  readonly residuals: Float64Array;
  readonly magnitude: Float64Array;
}

/** |dl/dr| at the residuals `rs`, in float64. */
function influenceAt({ loss, params }: Pick<CheckContext, 'loss' | 'params'>, rs: readonly number[]): Float64Array {
  const [first, second] = loss.inputs.map((i) => i.spec.name) as [string, string | undefined];
  const d = inputGradients(loss)[0];
  if (d === undefined) return new Float64Array(rs.length).fill(NaN);
  if (second === undefined) return (evaluate64(loss, [d.node], params, rs.length, { [first]: Float64Array.from(rs) })[0] as Float64Array).map(Math.abs);
  // l(yhat, y): r = y - yhat, so dl/dr = -dl/dyhat; the largest magnitude over the targets counts.
  const n = rs.length;
  const ys = Float64Array.from({ length: n * TARGETS.length }, (_, i) => TARGETS[Math.floor(i / n)] as number);
  const yhats = ys.map((y, i) => y - (rs[i % n] as number));
  const g = evaluate64(loss, [d.node], params, ys.length, { [first]: yhats, [second]: ys })[0] as Float64Array;
  return Float64Array.from(rs, (_, i) => {
    let m = NaN;
    for (let t = 0; t < TARGETS.length; t++) {
      const v = Math.abs(g[t * n + i] as number);
      if (!Number.isNaN(v) && (Number.isNaN(m) || v > m)) m = v;
    }
    return m;
  });
}

export function influenceCurve(ctx: Pick<CheckContext, 'loss' | 'params'>): InfluenceCurve {
  const residuals = Float64Array.from([...NEAR, ...FAR]).sort();
  return { residuals, magnitude: influenceAt(ctx, Array.from(residuals)) };
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(6)));
}

async function checkInfluence(ctx: CheckContext): Promise<CheckResult> {
  const { residuals, magnitude } = influenceCurve(ctx);
  const base = { id: 'influence', cite: CITE };

  const infinite = magnitude.findIndex((v) => v === Infinity);
  if (infinite >= 0) {
    const r = residuals[infinite] as number;
    return {
      ...base,
      verdict: 'fail',
      summary: `unbounded influence: |dl/dr| is infinite, or beyond float64, at r = ${fmt(r)}`,
      metrics: {},
      witness: { r, psi: 'Infinity' },
    };
  }

  // The supremum over the scan, polished by golden section on -|psi| when it lies inside it.
  const k = indexOfMinimum(magnitude.map((v) => -v));
  if (k < 0) return { ...base, verdict: 'inconclusive', summary: 'dl/dr is undefined (NaN) at every residual scanned', metrics: {} };
  let supPsi = magnitude[k] as number;
  let supAt = residuals[k] as number;
  if (k > 0 && k < residuals.length - 1) {
    const [m] = minimizeInBrackets((xs) => influenceAt(ctx, Array.from(xs)).map((v) => -v), [bracketAround(residuals, k)]);
    if (m !== undefined && -m.value > supPsi) [supPsi, supAt] = [-m.value, m.x];
  }

  const atEnds = influenceAt(
    ctx,
    ENDS.flatMap((e) => e.residuals),
  );
  const ends = ENDS.map(({ name, residuals: rs }, e) => {
    const [a1, a2, a3] = [0, 1, 2].map((i) => atEnds[3 * e + i] as number) as [number, number, number];
    const [last, previous] = [a3 - a2, a2 - a1];
    const state = [a1, a2, a3].some(Number.isNaN)
      ? 'undefined'
      : last <= FLAT * (1 + supPsi)
        ? 'bounded'
        : last >= NOT_SHRINKING * previous
          ? 'unbounded'
          : 'undecided';
    return { name, state, at: rs[2], limit: a3, growth: Math.log(a3 / a2) / Math.log(Math.abs(rs[2] / rs[1])) };
  });

  const unbounded = ends.find((e) => e.state === 'unbounded');
  if (unbounded) {
    return {
      ...base,
      verdict: 'fail',
      summary:
        `unbounded influence: |dl/dr| keeps growing as ${unbounded.name}, like |r|^${unbounded.growth.toFixed(2)} over the last decades ` +
        `(|dl/dr| = ${fmt(unbounded.limit)} at r = ${fmt(unbounded.at)}), so a single observation can move the estimate without bound`,
      metrics: { growth: unbounded.growth },
      witness: { r: unbounded.at, psi: unbounded.limit },
    };
  }
  const open = ends.find((e) => e.state !== 'bounded');
  if (open) {
    return {
      ...base,
      verdict: 'inconclusive',
      summary:
        open.state === 'undefined'
          ? `dl/dr is undefined (NaN) as ${open.name}, where boundedness is decided`
          : `|dl/dr| still increases as ${open.name} (at r = ${fmt(open.at)}), but by less each decade: bounded, or growing more slowly than a logarithm; the scan cannot tell`,
      metrics: { sup_psi: supPsi },
    };
  }
  const [up, down] = ends as [(typeof ends)[number], (typeof ends)[number]];
  const attained = Math.abs(supPsi - Math.max(up.limit, down.limit)) > FLAT * (1 + supPsi);
  const where = attained ? `at r = ${fmt(supAt)}` : `reached as ${up.limit >= down.limit ? up.name : down.name}`;
  const tail =
    Math.max(up.limit, down.limit) <= 1e-6 * supPsi
      ? '; dl/dr returns to 0 for large |r| (redescending: gross outliers are ignored)'
      : `; for large |r| it levels off at ${fmt(up.limit)} (r -> +infinity) and ${fmt(down.limit)} (r -> -infinity)`;
  return {
    ...base,
    verdict: 'pass',
    summary: `bounded influence: sup |dl/dr| = ${fmt(supPsi)}, ${where}${tail}`,
    metrics: { sup_psi: supPsi },
    ...(attained ? { witness: { r: supAt, psi: supPsi } } : {}),
  };
}

export const influenceCheck: Check = {
  id: 'influence',
  title: 'Bounded influence',
  applies: (kind) => kind === 'regression',
  run: checkInfluence,
};
