/**
 * The numbers behind the batch views (webview/batch.ts), apart from drawing: a diverging colour
 * scale symmetric about zero (a gradient's sign is its meaning: a positive dL/dS_ij pushes S_ij
 * down under gradient descent, a negative one pulls it up), the ticks of a B-long axis, and the
 * sentences that say what each view shows.
 */
import type { BatchViewsResult, PairGradient, PerSampleLoss } from '../src/protocol';
import { formatNumber } from './format';
import type { Rgb } from './landscapeHeatmap';

/** Values in [-bound, bound], zero in the middle; bound is the largest finite |v| (1 when all are 0). */
export interface DivergingScale {
  readonly bound: number;
  /** -1 at -bound, 0 at zero, 1 at bound; non-finite values are undefined (left as the background). */
  unit(v: number): number | undefined;
}

export function divergingScale(values: ArrayLike<number>): DivergingScale {
  let bound = 0;
  for (let k = 0; k < values.length; k++) {
    const v = Math.abs(values[k] as number);
    if (Number.isFinite(v) && v > bound) bound = v;
  }
  if (bound === 0) bound = 1;
  return { bound, unit: (v) => (Number.isFinite(v) ? Math.max(-1, Math.min(1, v / bound)) : undefined) };
}

/** Negative towards `low`, positive towards `high`, zero at `mid`. */
export function divergingColour(t: number, low: Rgb, mid: Rgb, high: Rgb): Rgb {
  const [to, f] = t < 0 ? [low, -t] : [high, t];
  return [mid[0] + (to[0] - mid[0]) * f, mid[1] + (to[1] - mid[1]) * f, mid[2] + (to[2] - mid[2]) * f];
}

/** 1-based positions to label along an axis of n cells: every one up to 16, else about 8 round ones with 1 and n. */
export function indexTicks(n: number): number[] {
  if (n <= 16) return Array.from({ length: n }, (_, k) => k + 1);
  const step = [2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 256].find((s) => n / s <= 8) ?? Math.ceil(n / 8);
  const ticks = [1];
  for (let k = step; k < n; k += step) ticks.push(k);
  ticks.push(n);
  return ticks;
}

/** What the heatmap is the gradient of, in words: never one matrix passed off as another. */
export function pairsCaption(pairs: Omit<PairGradient, 'values'>, batch: BatchViewsResult['batch']): string {
  const size = `${pairs.rows} × ${pairs.cols}`;
  switch (pairs.of) {
    case 'local':
      return `∂L/∂${pairs.name}_ij: the gradient with respect to ${pairs.name} (${size}, its where line), row i the anchor, column j the candidate`;
    case 'intermediate':
      return `∂L/∂M_ij for M = ${pairs.name}, the first ${batch.name} × ${batch.name} value the loss reads (${size}), row i the anchor, column j the candidate`;
    case 'input':
      return `no ${batch.name} × ${batch.name} matrix in the loss: ∂L/∂${pairs.name}, the gradient with respect to its first input (${size}, a row per sample)`;
  }
}

/** How the bars make the loss, or why there are none. */
export function samplesCaption(samples: PerSampleLoss, value: number, batch: BatchViewsResult['batch']): string {
  if (!samples.ok) return `No per-sample bars: ${samples.reason}.`;
  const offset = samples.offset !== 0 ? ` + ${formatNumber(samples.offset)}` : '';
  return samples.reduction === 'mean'
    ? `Per-sample loss l_i, i = 1…${batch.size}: L = mean_i l_i${offset} = ${formatNumber(value)}`
    : `Each sample's share c_i of the sum, i = 1…${batch.size}: L = Σ_i c_i${offset} = ${formatNumber(value)}`;
}

/** The entries of a view that are not finite numbers, said once, so NaN bars are not read as 0. */
export function nonFiniteNote(values: readonly number[], what: string): string {
  const bad = values.filter((v) => !Number.isFinite(v)).length;
  return bad === 0 ? '' : `${bad} of ${values.length} ${what} are not finite (left blank).`;
}
