/**
 * calibration: a margin loss phi is classification-calibrated when, for every eta != 1/2, the
 * conditional risk C_eta(a) = eta*phi(a) + (1 - eta)*phi(-a) is lower somewhere on the sign of
 * 2*eta - 1 than anywhere on the other: H^-(eta) > H(eta). The psi-transform, the convex closure
 * of H^-((1 + theta)/2) - H((1 + theta)/2), bounds the excess 0-1 risk by the excess phi-risk.
 * Bartlett, Jordan & McAuliffe (2006), "Convexity, Classification, and Risk Bounds".
 */
import type { Check, CheckContext } from './context';
import { conditionalRisk, minimizeConditionalRisks, type PartialLosses } from './conditionalRisk';
import { lossValues64 } from './float64';
import type { CheckPlot, CheckResult } from './report';

const CITE = 'Bartlett, Jordan & McAuliffe (2006), "Convexity, Classification, and Risk Bounds", JASA 101(473)';

/**
 * Scores are a = sinh(u) for |u| <= U: the grid is fine (da = 0.03) where losses bend, near 0,
 * and still reaches |a| = sinh(12) = 8.1e4, far enough that exp(-a) and log(1 + exp(-a)), whose
 * infimum for eta -> 1 is only approached as a -> infinity, are within 1e-300 of it.
 */
const U = 12;
const A = Math.sinh(U);
const GRID = 401;
/** theta = 2*eta - 1. C_eta(a) = C_{1-eta}(-a), so eta in (1/2, 1] covers every eta != 1/2. */
const THETAS = [1 / 128, ...Array.from({ length: 64 }, (_, k) => (k + 1) / 64)];
/** psi~ is decided positive above this, relative to the loss's scale at the optimum. */
const TOLERANCE = 1e-10;
/** Truncation that changes the published psi values by less than this is not mentioned. */
const NEGLIGIBLE = 1e-12;

export interface PsiTransform {
  readonly thetas: readonly number[];
  /** H((1 + theta)/2): the infimum of C_eta over |a| <= A. */
  readonly bayesRisk: readonly number[];
  /** H^-((1 + theta)/2): the infimum over the scores a <= 0 of the wrong sign. */
  readonly wrongSignRisk: readonly number[];
  /** psi~(theta) = H^- - H, and psi, its convex closure (the psi-transform). */
  readonly psiTilde: readonly number[];
  readonly psi: readonly number[];
  /** The minimisers over all scores and over the wrong sign. */
  readonly bestScore: readonly number[];
  readonly wrongScore: readonly number[];
  /** How much lower C_eta would go beyond |a| = A, estimated as C(A/2) - C(A) where the infimum is at the edge. */
  readonly truncation: readonly number[];
  readonly wrongTruncation: readonly number[];
  /** A score at which phi is NaN or -Infinity, where it has one. */
  readonly undefinedAt?: number;
}

/** The conditional risks' infima and the psi-transform of `phi` (the loss's single input), in float64. */
export function psiTransform(ctx: Pick<CheckContext, 'loss' | 'params'>): PsiTransform {
  const { loss, params } = ctx;
  const z = (loss.inputs[0] as (typeof loss.inputs)[number]).spec.name;
  const phi = (as: readonly number[]): Float64Array => lossValues64(loss, params, as.length, { [z]: Float64Array.from(as) });
  // u -> a = sinh(u); l1(a) = phi(a) (label +1), l0(a) = phi(-a) (label -1).
  const partials: PartialLosses = (us) => {
    const n = us.length;
    const both = new Float64Array(2 * n);
    us.forEach((u, i) => {
      both[i] = Math.sinh(u);
      both[n + i] = -Math.sinh(u);
    });
    const values = lossValues64(loss, params, 2 * n, { [z]: both });
    return { l1: values.subarray(0, n), l0: values.subarray(n) };
  };
  const etas = THETAS.map((t) => (1 + t) / 2);
  const right = minimizeConditionalRisks(partials, etas, 0, U, GRID);
  const wrong = minimizeConditionalRisks(partials, etas, -U, 0, GRID);

  let undefinedAt: number | undefined;
  for (const side of [right, wrong]) {
    side.grid.forEach((u, i) => {
      for (const [value, a] of [
        [side.l1[i] as number, Math.sinh(u)],
        [side.l0[i] as number, -Math.sinh(u)],
      ] as const) {
        if (undefinedAt === undefined && (Number.isNaN(value) || value === -Infinity)) undefinedAt = a;
      }
    });
  }

  const tails = phi([A / 2, -A / 2, A, -A]);
  const [phiHalf, phiMinusHalf, phiFar, phiMinusFar] = [0, 1, 2, 3].map((i) => tails[i] as number) as [number, number, number, number];
  const edge = U - U / (GRID - 1);
  const bayesRisk: number[] = [];
  const wrongSignRisk: number[] = [];
  const bestScore: number[] = [];
  const wrongScore: number[] = [];
  const truncation: number[] = [];
  const wrongTruncation: number[] = [];
  etas.forEach((eta, k) => {
    const r = right.minima[k] as { x: number; value: number };
    const w = wrong.minima[k] as { x: number; value: number };
    const rightTail = r.x > edge ? decrease(conditionalRisk(eta, phiHalf, phiMinusHalf), conditionalRisk(eta, phiFar, phiMinusFar)) : 0;
    const wrongTail = w.x < -edge ? decrease(conditionalRisk(eta, phiMinusHalf, phiHalf), conditionalRisk(eta, phiMinusFar, phiFar)) : 0;
    const rightIsBest = r.value < w.value;
    bayesRisk.push(rightIsBest ? r.value : w.value);
    bestScore.push(Math.sinh(rightIsBest ? r.x : w.x));
    truncation.push(rightIsBest ? rightTail : wrongTail);
    wrongSignRisk.push(w.value);
    wrongScore.push(Math.sinh(w.x));
    wrongTruncation.push(wrongTail);
  });
  const psiTilde = wrongSignRisk.map((h, k) => h - (bayesRisk[k] as number));
  const psi = lowerConvexEnvelope([0, ...THETAS], [0, ...psiTilde]).slice(1);
  return {
    thetas: THETAS,
    bayesRisk,
    wrongSignRisk,
    psiTilde,
    psi,
    bestScore,
    wrongScore,
    truncation,
    wrongTruncation,
    ...(undefinedAt !== undefined ? { undefinedAt } : {}),
  };
}

/** How much a risk falls from `before` to `after`; 0 when it does not fall (or is not a number). */
function decrease(before: number, after: number): number {
  const d = before - after;
  return d > 0 ? d : 0;
}

/**
 * The greatest convex function below the points (xs sorted), at each x: the lower hull by
 * Andrew's monotone chain, interpolated. Points that are not finite do not constrain it.
 */
export function lowerConvexEnvelope(xs: readonly number[], ys: readonly number[]): number[] {
  const hull: [number, number][] = [];
  xs.forEach((x, i) => {
    const y = ys[i] as number;
    if (!Number.isFinite(y)) return;
    while (hull.length >= 2) {
      const [x0, y0] = hull[hull.length - 2] as [number, number];
      const [x1, y1] = hull[hull.length - 1] as [number, number];
      // Drop the last hull point when it lies on or above the chord from its predecessor to (x, y).
      if ((x1 - x0) * (y - y0) - (y1 - y0) * (x - x0) <= 0) hull.pop();
      else break;
    }
    hull.push([x, y]);
  });
  return xs.map((x) => {
    const j = hull.findIndex(([hx]) => hx >= x);
    if (j < 0) return NaN;
    const [x1, y1] = hull[j] as [number, number];
    if (j === 0 || x1 === x) return x1 === x ? y1 : NaN;
    const [x0, y0] = hull[j - 1] as [number, number];
    return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  });
}

/** Six significant digits, without trailing zeros: 0 rather than 0.00000. */
function fmt(v: number): string {
  return String(Number(v.toPrecision(6)));
}

function psiAt(t: PsiTransform, theta: number): number {
  return t.psi[t.thetas.indexOf(theta)] as number;
}

async function checkCalibration(ctx: CheckContext): Promise<CheckResult> {
  const t = psiTransform(ctx);
  const metrics: Record<string, number> = {};
  for (const theta of [0.25, 0.5, 0.75]) {
    const v = psiAt(t, theta);
    if (Number.isFinite(v)) metrics[`psi@${theta}`] = v;
  }
  const maxTruncation = Math.max(...t.truncation, ...t.wrongTruncation);
  if (Number.isFinite(maxTruncation)) metrics.truncation = maxTruncation;
  const plot: CheckPlot = {
    title: 'psi-transform: psi(R(f) - R*) <= R_phi(f) - R_phi*',
    x: { label: 'theta = 2 eta - 1', values: t.thetas },
    series: [
      { label: 'H-(eta) - H(eta)', values: t.psiTilde },
      { label: 'psi (convex closure)', values: t.psi },
    ],
  };
  const base = { id: 'calibration', cite: CITE, metrics, plot };
  if (t.undefinedAt !== undefined) {
    return {
      ...base,
      verdict: 'inconclusive',
      summary: `phi is undefined or -Infinity at z = ${fmt(t.undefinedAt)}: the conditional risk needs phi on all of R`,
    };
  }

  // Truncating the scores at |a| = A can only over-estimate H and H^-. So at each eta the loss is
  // calibrated when the gap exceeds what H^-'s truncation could take away, not calibrated when
  // even H's truncation could not open it, and undecided in between (or when the gap is NaN).
  const failing: number[] = [];
  const undecided: number[] = [];
  t.thetas.forEach((_, k) => {
    const gap = t.psiTilde[k] as number;
    const tol = TOLERANCE * (1 + Math.abs(t.wrongSignRisk[k] as number));
    if (gap + (t.truncation[k] as number) <= tol) failing.push(k);
    else if (!(gap - (t.wrongTruncation[k] as number) > tol)) undecided.push(k);
  });

  const range = `scores |a| <= ${A.toPrecision(2)}`;
  const truncationNote =
    maxTruncation > NEGLIGIBLE
      ? `; the conditional risk still falls beyond |a| = ${A.toPrecision(2)} (by about ${maxTruncation.toPrecision(2)}), so H is over-estimated and the psi values are lower bounds`
      : `; beyond them the conditional risk falls by less than ${NEGLIGIBLE} (estimated), so the psi values hold to that`;
  const psiText = [0.25, 0.5, 0.75].map((theta) => `psi(${theta}) = ${fmt(psiAt(t, theta))}`).join(', ');

  if (failing.length > 0) {
    // The failing eta nearest 3/4 is a typical witness, away from the degenerate eta = 1/2 and eta = 1.
    const k = failing.reduce((a, b) => (Math.abs((t.thetas[b] as number) - 0.5) < Math.abs((t.thetas[a] as number) - 0.5) ? b : a));
    const eta = (1 + (t.thetas[k] as number)) / 2;
    return {
      ...base,
      verdict: 'fail',
      summary:
        `not classification-calibrated: at eta = ${eta} the best score of the wrong sign, a = ${fmt(t.wrongScore[k] as number)}, ` +
        `does as well as the best score overall: H^-(eta) = ${fmt(t.wrongSignRisk[k] as number)}, H(eta) = ${fmt(t.bayesRisk[k] as number)}` +
        ` (${failing.length} of ${t.thetas.length} eta in (1/2, 1] fail; ${range})`,
      witness: {
        eta,
        H: t.bayesRisk[k] as number,
        H_minus: t.wrongSignRisk[k] as number,
        best_score: t.bestScore[k] as number,
        wrong_sign_score: t.wrongScore[k] as number,
      },
    };
  }
  if (undecided.length > 0) {
    const k = undecided[0] as number;
    const eta = (1 + (t.thetas[k] as number)) / 2;
    return {
      ...base,
      verdict: 'inconclusive',
      summary:
        `at eta = ${eta}, H^-(eta) - H(eta) = ${fmt(t.psiTilde[k] as number)} cannot be told from 0: the conditional risk still falls ` +
        `at |a| = ${A.toPrecision(2)}, by about ${fmt(Math.max(t.truncation[k] as number, t.wrongTruncation[k] as number))}, and truncating the scores there could account for the gap`,
    };
  }
  return {
    ...base,
    verdict: 'pass',
    summary:
      `classification-calibrated: H^-(eta) > H(eta) at ${t.thetas.length} eta in (1/2, 1] (and by symmetry below 1/2); ${psiText}, ` +
      `so psi(R(f) - R*) <= R_phi(f) - R_phi*. Infima over ${range}${truncationNote}`,
  };
}

export const calibrationCheck: Check = {
  id: 'calibration',
  title: 'Classification-calibration',
  applies: (kind) => kind === 'margin',
  run: checkCalibration,
};
