/**
 * The conditional risk of a binary decision x when the label is 1 with probability eta,
 * C_eta(x) = eta*l1(x) + (1 - eta)*l0(x), minimised over x in [lo, hi] for many eta at once.
 * Calibration (a margin loss: l1(a) = phi(a), l0(a) = phi(-a)) and properness (the partial losses
 * of a probability) both reduce to it. C_eta is linear in eta, so the partial losses are evaluated
 * once on a grid shared by every eta; only the refinement inside each eta's best cell
 * evaluates them per eta (bracketSearch.ts).
 */
import { bracketAround, indexOfMinimum, minimizeInBrackets } from './bracketSearch';
import type { Minimum } from './minimize';

/** The partial losses l1 and l0 at each point of `xs`, in float64. */
export type PartialLosses = (xs: Float64Array) => { readonly l1: Float64Array; readonly l0: Float64Array };

export interface ConditionalRiskMinima {
  /** The minimum over [lo, hi] for each eta, in the order of `etas`. */
  readonly minima: readonly Minimum[];
  /** The shared grid and the partial losses on it, for callers that inspect the loss there. */
  readonly grid: Float64Array;
  readonly l1: Float64Array;
  readonly l0: Float64Array;
}

/** eta*l1 + (1 - eta)*l0, where a label of probability 0 contributes nothing (not 0 * Inf = NaN). */
export function conditionalRisk(eta: number, l1: number, l0: number): number {
  return (eta > 0 ? eta * l1 : 0) + (eta < 1 ? (1 - eta) * l0 : 0);
}

export function minimizeConditionalRisks(partials: PartialLosses, etas: readonly number[], lo: number, hi: number, gridSize = 401): ConditionalRiskMinima {
  const grid = Float64Array.from({ length: gridSize }, (_, i) => lo + ((hi - lo) * i) / (gridSize - 1));
  const { l1, l0 } = partials(grid);
  const risks = new Float64Array(gridSize);
  const brackets = etas.map((eta) => {
    for (let i = 0; i < gridSize; i++) risks[i] = conditionalRisk(eta, l1[i] as number, l0[i] as number);
    return bracketAround(grid, Math.max(0, indexOfMinimum(risks)));
  });
  const minima = minimizeInBrackets((xs, block) => {
    const p = partials(xs);
    return xs.map((_, i) => conditionalRisk(etas[Math.floor(i / block)] as number, p.l1[i] as number, p.l0[i] as number));
  }, brackets);
  return { minima, grid, l1, l0 };
}
