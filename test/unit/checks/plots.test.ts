/** The explanatory plots carry the same numbers the metrics report. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calibrationCheck } from '../../../src/core/checks/calibration';
import { elicitationCheck } from '../../../src/core/checks/elicitation';
import { propernessCheck } from '../../../src/core/checks/properness';
import { float64Context } from './float64Context';

const ctx = (text: string) => float64Context(text);

describe('check plots', () => {
  it('calibration plots the psi-transform of the exponential loss, 1 - sqrt(1 - theta^2) (Bartlett et al. 2006)', async () => {
    const r = await calibrationCheck.run(ctx('exponential(z) = exp(-z)'));
    const plot = r.plot;
    assert.ok(plot);
    const k = plot.x.values.indexOf(0.5);
    assert.ok(k >= 0);
    assert.ok(Math.abs((plot.series[1]?.values[k] as number) - (1 - Math.sqrt(1 - 0.25))) < 1e-9);
  });

  it('properness plots the minimiser against eta: on the diagonal for log loss (Gneiting & Raftery 2007)', async () => {
    const r = await propernessCheck.run(ctx('logloss(p, y) = -(y * log(p) + (1 - y) * log(1 - p))'));
    const plot = r.plot;
    assert.ok(plot);
    plot.x.values.forEach((eta, k) => assert.ok(Math.abs((plot.series[0]?.values[k] as number) - eta) < 1e-6));
  });

  it('elicitation plots the average squared loss against c: a parabola with its minimum at the sample mean (Gneiting 2011)', async () => {
    const r = await elicitationCheck.run(ctx('squared(r) = 0.5 * r^2'));
    const plot = r.plot;
    assert.ok(plot);
    const cs = plot.x.values;
    const risk = plot.series[0]?.values as readonly number[];
    const mean = plot.series[2]?.values.findIndex((v) => Number.isFinite(v)) as number;
    const argmin = risk.indexOf(Math.min(...risk));
    // mean((y - c)^2)/2 is minimised at the sample mean: the grid point nearest it is the lowest.
    assert.equal(argmin, mean);
    // and it is a parabola: its second differences are constant, h^2 (the loss's curvature is 1).
    const h = (cs[1] as number) - (cs[0] as number);
    for (let i = 1; i + 1 < risk.length; i++) {
      const second = (risk[i - 1] as number) - 2 * (risk[i] as number) + (risk[i + 1] as number);
      assert.ok(Math.abs(second - h * h) < 1e-9, `second difference ${second} at ${i}`);
    }
  });
});
