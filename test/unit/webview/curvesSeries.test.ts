/**
 * The series a chart draws: the shown loss, the compared one on the same grid, and the
 * difference taken point by point, shown minus compared.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CurvesResult } from '../../../src/protocol';
import { plotSeries, sameGrid } from '../../../webview/curvesSeries';

function curves(loss: string, x: readonly number[], series: Record<string, (x: number) => number>): CurvesResult {
  return {
    loss,
    kind: 'margin',
    backend: 'cpu',
    params: {},
    axis: { name: 'z', label: 'z', values: x },
    curves: Object.entries(series).map(([label, f]) => ({ label, value: x.map(f), first: x.map(() => 0), second: x.map(() => 0) })),
    latex: { formula: '', derivative: '', derivativeOf: '' },
    elapsedMs: 0,
  };
}

const X = [-1, -0.5, 0, 0.5, 1];
// The hinge loss max(0, 1 - z) and the squared hinge max(0, 1 - z)^2.
const hinge = curves('hinge', X, { hinge: (z) => Math.max(0, 1 - z) });
const squared = curves('squared_hinge', X, { squared_hinge: (z) => Math.max(0, 1 - z) ** 2 });

describe('plotSeries', () => {
  it('draws the shown loss alone when nothing is compared', () => {
    const plot = plotSeries(hinge, 'value');
    assert.deepEqual(
      plot.series.map((s) => [s.label, s.role]),
      [['hinge', 'shown']],
    );
    assert.deepEqual(plot.x, X);
  });

  it('adds the compared loss, dashed in the legend by its role', () => {
    const plot = plotSeries(hinge, 'value', squared);
    assert.deepEqual(
      plot.series.map((s) => [s.label, s.role]),
      [
        ['hinge', 'shown'],
        ['squared_hinge (compared)', 'compared'],
      ],
    );
  });

  it('the difference is shown minus compared: (1 - z) - (1 - z)^2 = (1 - z) z on z <= 1', () => {
    const difference = plotSeries(hinge, 'value', squared, true).series.find((s) => s.role === 'difference');
    assert.deepEqual(
      difference?.values,
      X.map((z) => (1 - z) * z),
    );
  });

  it('a missing value on either side leaves a gap in the difference, not a number', () => {
    const holes = curves('holes', X, { holes: (z) => (z === 0 ? Number.NaN : 1) });
    const difference = plotSeries(hinge, 'value', holes, true).series.find((s) => s.role === 'difference');
    assert.equal(difference?.values[2], null);
    assert.equal(difference?.values[0], 2 - 1);
  });

  it('pairs a loss of p and y series by series, and every shown series with a single compared one', () => {
    const py = curves('bce', X, { 'y = 1': () => 1, 'y = 0': () => 0 });
    const two = plotSeries(py, 'value', curves('other', X, { 'y = 1': () => 3, 'y = 0': () => 5 }), true).series.filter((s) => s.role === 'difference');
    assert.deepEqual(
      two.map((s) => s.values[0]),
      [1 - 3, 0 - 5],
    );
    const one = plotSeries(py, 'value', squared, true).series.filter((s) => s.role === 'difference');
    assert.deepEqual(
      one.map((s) => s.values[0]),
      [1 - 4, 0 - 4],
    );
  });

  it('leaves out a compared loss computed on another grid (an answer one range behind)', () => {
    const elsewhere = curves('squared_hinge', [0, 1, 2, 3, 4], { squared_hinge: () => 1 });
    assert.equal(sameGrid(hinge, elsewhere), false);
    assert.deepEqual(
      plotSeries(hinge, 'value', elsewhere, true).series.map((s) => s.role),
      ['shown'],
    );
  });

  it('takes float32 rounding of the grid for the same grid', () => {
    const rounded = curves(
      'squared_hinge',
      X.map((x) => Math.fround(x + 1e-9)),
      { squared_hinge: () => 1 },
    );
    assert.equal(sameGrid(hinge, rounded), true);
  });
});
