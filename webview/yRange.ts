/**
 * The y range a curve is drawn over. Many losses diverge at the edge of their domain (log p as
 * p -> 0 has curvature 1/p^2), and a range set by that one point flattens everything else into a
 * line. When the extremes dwarf the bulk, the range is clipped to the 2nd-98th percentiles; the
 * caption says so, and the hover read-out still gives the true values.
 */
export interface DisplayRange {
  readonly min: number;
  readonly max: number;
  readonly clipped: boolean;
}

const TAIL = 0.02;
/** How much wider than the bulk the full range must be before clipping is worth it. */
const CLIP_RATIO = 8;
const PAD = 0.08;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] ?? 0;
}

function padded(min: number, max: number, clipped: boolean): DisplayRange {
  const span = max - min;
  if (span === 0) {
    const half = min === 0 ? 1 : Math.abs(min) * 0.1;
    return { min: min - half, max: max + half, clipped };
  }
  return { min: min - span * PAD, max: max + span * PAD, clipped };
}

export function displayRange(series: readonly (readonly (number | null)[])[]): DisplayRange {
  const values = series.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return { min: -1, max: 1, clipped: false };
  const sorted = [...values].sort((a, b) => a - b);
  const min = sorted[0] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  const low = quantile(sorted, TAIL);
  const high = quantile(sorted, 1 - TAIL);
  if (high > low && max - min > CLIP_RATIO * (high - low)) return padded(low, high, true);
  return padded(min, max, false);
}

/**
 * The threshold c of the symmetric log scale sign(y)·asinh(|y|/c): linear within about c of zero,
 * logarithmic beyond, so zero and negative values (a gradient changes sign) have a place, which
 * log(y) would not give them. c is the 10th percentile of the nonzero |y|, down to a power of
 * ten, so that the small values of this curve are not all squeezed into the linear part.
 */
export function symlogThreshold(series: readonly (readonly (number | null)[])[]): number {
  const magnitudes = series
    .flat()
    .filter((v): v is number => v !== null && Number.isFinite(v) && v !== 0)
    .map(Math.abs)
    .sort((a, b) => a - b);
  if (magnitudes.length === 0) return 1;
  const low = quantile(magnitudes, 0.1);
  return 10 ** Math.floor(Math.log10(low));
}

/** The whole finite range, unclipped: on a log scale the extremes no longer dwarf the rest. */
export function fullRange(series: readonly (readonly (number | null)[])[]): DisplayRange {
  const values = series.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return { min: -1, max: 1, clipped: false };
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? padded(min, max, false) : { min, max, clipped: false };
}
