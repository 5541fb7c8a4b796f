/**
 * The series one chart draws, from the shown loss's curves and the compared loss's: the shown
 * curves, the compared ones on the same x grid, and, on demand, their difference (shown minus
 * compared). The charts, the CSV and the SVG export all read this one description, so what is
 * saved is what is seen. Pure: no DOM.
 */
import type { CurvesResult } from '../src/protocol';
import type { Order } from './curvesView';

export type SeriesRole = 'shown' | 'compared' | 'difference';

export interface PlotSeries {
  readonly label: string;
  readonly role: SeriesRole;
  /** Which colour of the theme's palette: the shown curve and its comparison share one. */
  readonly colorIndex: number;
  /** Non-finite values are null: a gap in the line, an empty CSV cell. */
  readonly values: readonly (number | null)[];
}

export interface PlotData {
  readonly xLabel: string;
  readonly x: readonly number[];
  readonly series: readonly PlotSeries[];
}

const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Whether two results share the x grid point for point: the compared loss is computed on the
 * shown one's range and resolution, but an answer may be one range behind while the user edits.
 * The grid is float32 and its ends come back rounded, so points within a thousandth of a grid
 * step are the same point.
 */
export function sameGrid(a: CurvesResult, b: CurvesResult): boolean {
  const x = a.axis.values;
  const y = b.axis.values;
  if (x.length !== y.length || x.length < 2) return false;
  const tolerance = (Math.abs((x[x.length - 1] ?? 0) - (x[0] ?? 0)) / (x.length - 1)) * 1e-3;
  return x.every((v, i) => Math.abs(v - (y[i] ?? NaN)) <= tolerance);
}

function comparedLabel(compared: CurvesResult, label: string): string {
  return label === compared.loss ? `${compared.loss} (compared)` : `${compared.loss}, ${label} (compared)`;
}

/**
 * The series of the chart of `order`. The compared loss's series `j` is paired with the shown
 * series `i` when both have as many (p with y = 1 and y = 0), else every shown series is paired
 * with the compared loss's first (a loss of p alone against one of p and y).
 */
export function plotSeries(shown: CurvesResult, order: Order, compared?: CurvesResult, difference = false): PlotData {
  const series: PlotSeries[] = shown.curves.map((c, i) => ({ label: c.label, role: 'shown', colorIndex: i, values: c[order].map(finite) }));
  if (compared && compared.curves.length > 0 && sameGrid(shown, compared)) {
    const base = shown.curves.length;
    compared.curves.forEach((c, j) => {
      series.push({ label: comparedLabel(compared, c.label), role: 'compared', colorIndex: base + j, values: c[order].map(finite) });
    });
    if (difference) {
      shown.curves.forEach((c, i) => {
        const other = compared.curves[compared.curves.length === base ? i : 0];
        if (!other) return;
        const values = c[order].map((v, k) => {
          const a = finite(v);
          const b = finite(other[order][k]);
          return a === null || b === null ? null : a - b;
        });
        series.push({
          label: `${c.label} − ${comparedLabel(compared, other.label)}`,
          role: 'difference',
          colorIndex: base + compared.curves.length + i,
          values,
        });
      });
    }
  }
  return { xLabel: shown.axis.name, x: shown.axis.values, series };
}
