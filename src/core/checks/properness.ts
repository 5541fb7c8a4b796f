/**
 * properness: a loss of a predicted probability q is strictly proper when, for every eta in (0, 1),
 * the expected loss eta*l1(q) + (1 - eta)*l0(q) under a label that is 1 with probability eta is
 * minimised at q = eta and only there. Gneiting & Raftery (2007), "Strictly Proper Scoring Rules,
 * Prediction, and Estimation". For l(p) the partial losses are l1(q) = l(q), l0(q) = l(1 - q).
 */
import type { Check, CheckContext } from './context';
import { conditionalRisk, minimizeConditionalRisks, type PartialLosses } from './conditionalRisk';
import { lossValues64 } from './float64';
import type { CheckPlot, CheckResult } from './report';

const CITE = 'Gneiting & Raftery (2007), "Strictly Proper Scoring Rules, Prediction, and Estimation", JASA 102(477)';

const ETAS = Array.from({ length: 63 }, (_, k) => (k + 1) / 64);
/** Predictions q in [EDGE, 1 - EDGE]: inside (0, 1), where log(q) and log(1 - q) are finite. */
const EDGE = 1e-9;
const GRID = 801;
/** A minimiser this close to eta is eta; one farther away but with the same risk shows a flat risk. */
const ARGMIN_TOLERANCE = 1e-6;
const FLAT_DISTANCE = 1e-3;
/** Risks equal to this, relative to the risk's scale, are equal. */
const RISK_TOLERANCE = 1e-11;

export interface PropernessCurve {
  readonly etas: readonly number[];
  /** The minimiser over q of the expected loss, and the expected loss there and at q = eta. */
  readonly minimizer: readonly number[];
  readonly riskAtMinimizer: readonly number[];
  readonly riskAtEta: readonly number[];
  /** The spread of the expected loss over q, for scale-free tolerances. */
  readonly riskScale: readonly number[];
  /** A prediction at which a partial loss is NaN, where there is one. */
  readonly undefinedAt?: number;
}

/** The partial losses of a probability loss: l(p, y) at y = 1 and y = 0, or l(q) and l(1 - q). */
function partialLossesOf({ loss, params }: Pick<CheckContext, 'loss' | 'params'>): PartialLosses {
  const [p, y] = loss.inputs.map((i) => i.spec.name) as [string, string | undefined];
  return (qs) => {
    const n = qs.length;
    const ps = new Float64Array(2 * n);
    ps.set(qs);
    if (y === undefined)
      ps.set(
        qs.map((q) => 1 - q),
        n,
      );
    else ps.set(qs, n);
    const inputs = y === undefined ? { [p]: ps } : { [p]: ps, [y]: Float64Array.from({ length: 2 * n }, (_, i) => (i < n ? 1 : 0)) };
    const values = lossValues64(loss, params, 2 * n, inputs);
    return { l1: values.subarray(0, n), l0: values.subarray(n) };
  };
}

/** The minimiser of the expected loss against eta, the curve that the panel plots. */
export function propernessCurve(ctx: Pick<CheckContext, 'loss' | 'params'>): PropernessCurve {
  const partials = partialLossesOf(ctx);
  const { minima, grid, l1, l0 } = minimizeConditionalRisks(partials, ETAS, EDGE, 1 - EDGE, GRID);
  const atEta = partials(Float64Array.from(ETAS));
  let undefinedAt: number | undefined;
  grid.forEach((q, i) => {
    if (undefinedAt === undefined && (Number.isNaN(l1[i] as number) || Number.isNaN(l0[i] as number))) undefinedAt = q;
  });
  const riskScale = ETAS.map((eta) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < grid.length; i++) {
      const r = conditionalRisk(eta, l1[i] as number, l0[i] as number);
      if (Number.isFinite(r)) [lo, hi] = [Math.min(lo, r), Math.max(hi, r)];
    }
    return hi >= lo ? Math.max(hi - lo, Math.abs(lo)) : NaN;
  });
  return {
    etas: ETAS,
    minimizer: minima.map((m) => m.x),
    riskAtMinimizer: minima.map((m) => m.value),
    riskAtEta: ETAS.map((eta, k) => conditionalRisk(eta, atEta.l1[k] as number, atEta.l0[k] as number)),
    riskScale,
    ...(undefinedAt !== undefined ? { undefinedAt } : {}),
  };
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(6)));
}

async function checkProperness(ctx: CheckContext): Promise<CheckResult> {
  const c = propernessCurve(ctx);
  const metrics: Record<string, number> = {};
  for (const eta of [0.25, 0.5, 0.75]) metrics[`minimizer@${eta}`] = c.minimizer[c.etas.indexOf(eta)] as number;
  metrics.max_deviation = Math.max(...c.etas.map((eta, k) => Math.abs((c.minimizer[k] as number) - eta)));
  const plot: CheckPlot = {
    title: 'the minimiser of the conditional risk against eta (strictly proper: on the diagonal)',
    x: { label: 'eta', values: c.etas },
    series: [
      { label: 'argmin_q risk', values: c.minimizer },
      { label: 'eta', values: c.etas },
    ],
  };
  const base = { id: 'properness', cite: CITE, metrics, plot };
  if (c.undefinedAt !== undefined) {
    return { ...base, verdict: 'inconclusive', summary: `the loss is undefined (NaN) at q = ${fmt(c.undefinedAt)}, inside (0, 1) where it must be defined` };
  }

  // Per eta: eta is not a minimiser (improper), the minimiser is eta (strict), or the risk is flat.
  const improper: number[] = [];
  const flat: number[] = [];
  const undecided: number[] = [];
  c.etas.forEach((eta, k) => {
    const atEta = c.riskAtEta[k] as number;
    const best = c.riskAtMinimizer[k] as number;
    const distance = Math.abs((c.minimizer[k] as number) - eta);
    const tol = RISK_TOLERANCE * (c.riskScale[k] as number);
    if (!Number.isFinite(atEta) || !Number.isFinite(best) || !Number.isFinite(tol)) undecided.push(k);
    else if (best < atEta - tol) improper.push(k);
    else if (distance <= ARGMIN_TOLERANCE) return;
    else if (distance > FLAT_DISTANCE) flat.push(k);
    else undecided.push(k);
  });

  const witnessAt = (k: number) => ({
    eta: c.etas[k] as number,
    minimizer: c.minimizer[k] as number,
    risk_at_eta: c.riskAtEta[k] as number,
    risk_at_minimizer: c.riskAtMinimizer[k] as number,
  });
  if (improper.length > 0) {
    // The most improper eta: where reporting eta costs the most over the best report.
    const k = improper.reduce((a, b) =>
      (c.riskAtEta[b] as number) - (c.riskAtMinimizer[b] as number) > (c.riskAtEta[a] as number) - (c.riskAtMinimizer[a] as number) ? b : a,
    );
    return {
      ...base,
      verdict: 'fail',
      summary:
        `not proper: when the label is 1 with probability eta = ${c.etas[k]}, the expected loss is lowest at q = ${fmt(c.minimizer[k] as number)} ` +
        `(${fmt(c.riskAtMinimizer[k] as number)}), not at q = eta (${fmt(c.riskAtEta[k] as number)}); ${improper.length} of ${c.etas.length} eta fail`,
      witness: witnessAt(k),
    };
  }
  if (flat.length > 0) {
    const k = flat[0] as number;
    return {
      ...base,
      verdict: 'fail',
      summary: `proper but not strictly: at eta = ${c.etas[k]} the expected loss is as low at q = ${fmt(c.minimizer[k] as number)} as at q = eta, so the loss does not single out eta`,
      witness: witnessAt(k),
    };
  }
  if (undecided.length > 0) {
    const k = undecided[0] as number;
    return {
      ...base,
      verdict: 'inconclusive',
      summary: `at eta = ${c.etas[k]} the expected loss is too flat near its minimum, or not finite, to tell whether it is minimised at q = eta (found q = ${fmt(c.minimizer[k] as number)})`,
    };
  }
  return {
    ...base,
    verdict: 'pass',
    summary: `strictly proper: at each of ${c.etas.length} eta in (0, 1) the expected loss eta*l(q, 1) + (1 - eta)*l(q, 0) is minimised at q = eta (to ${ARGMIN_TOLERANCE.toExponential()}, q in [${EDGE.toExponential()}, 1 - ${EDGE.toExponential()}])`,
  };
}

export const propernessCheck: Check = {
  id: 'properness',
  title: 'Strict properness',
  applies: (kind) => kind === 'probability',
  run: checkProperness,
};
