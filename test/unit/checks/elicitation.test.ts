/**
 * elicitation against the statistics that losses are known to elicit (Gneiting 2011, "Making and
 * Evaluating Point Forecasts"): squared error the mean, absolute error the median, the
 * pinball loss the tau-quantile (Koenker & Bassett 1978), asymmetric squared error the
 * tau-expectile (Newey & Powell 1987), and Bregman losses such as Poisson deviance the mean.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elicitationCheck } from '../../../src/core/checks/elicitation';
import type { CheckResult } from '../../../src/core/checks/report';
import { float64Context } from './float64Context';

const PINBALL = 'param tau = 0.5 in [0.01, 0.99]\npinball(r) = max(tau * r, (tau - 1) * r)';
const HUBER = 'param delta = 1 in [0.01, 10]\nhuber(r) = abs(r) <= delta ? 0.5 * r^2 : delta * (abs(r) - 0.5 * delta)';

async function elicited(text: string, params: Record<string, number> = {}): Promise<CheckResult> {
  return elicitationCheck.run(float64Context(text, params));
}

describe('elicitation: named statistics', () => {
  it('squared error r^2/2 elicits the mean (Gneiting 2011)', async () => {
    const r = await elicited('squared(r) = 0.5 * r^2');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.equal(r.statistic, 'mean');
  });

  it('squared error in the two-input form (y - yhat)^2 elicits the mean', async () => {
    const r = await elicited('squared(yhat, y) = (y - yhat)^2');
    assert.equal(r.statistic, 'mean');
  });

  it('absolute error |r| elicits the median (Gneiting 2011)', async () => {
    const r = await elicited('absolute(r) = abs(r)');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.equal(r.statistic, 'median');
    assert.equal(r.metrics.tau, undefined);
  });

  it('absolute error in the two-input form |y - yhat| elicits the median', async () => {
    assert.equal((await elicited('absolute(yhat, y) = abs(y - yhat)')).statistic, 'median');
  });

  for (const tau of [0.1, 0.3, 0.9]) {
    it(`pinball loss with tau = ${tau} elicits the ${tau}-quantile, with metric tau = ${tau} (Koenker & Bassett 1978)`, async () => {
      const r = await elicited(PINBALL, { tau });
      assert.equal(r.verdict, 'pass', r.summary);
      assert.equal(r.statistic, 'quantile');
      assert.ok(Math.abs((r.metrics.tau as number) - tau) <= 1e-12, `tau = ${r.metrics.tau}`);
    });
  }

  it('pinball loss with tau = 0.5 is half the absolute error and elicits the median', async () => {
    assert.equal((await elicited(PINBALL, { tau: 0.5 })).statistic, 'median');
  });

  it('asymmetric squared error |tau - 1(r < 0)| r^2 with tau = 0.8 elicits the 0.8-expectile (Newey & Powell 1987)', async () => {
    const r = await elicited('param tau = 0.8 in [0.01, 0.99]\nexpectile(r) = abs(tau - (r < 0)) * r^2');
    assert.equal(r.statistic, 'expectile');
    assert.ok(Math.abs((r.metrics.tau as number) - 0.8) <= 1e-6, `tau = ${r.metrics.tau}`);
  });

  it('Poisson deviance yhat - y log(yhat), a Bregman loss, elicits the mean, skipping the sample with negative values (Savage 1971, in Gneiting 2011)', async () => {
    const r = await elicited('poisson(yhat, y) = yhat - y * log(yhat)');
    assert.equal(r.statistic, 'mean');
    assert.match(r.summary, /skipped/);
  });
});

describe('elicitation: no named statistic', () => {
  // Huber's loss gives an M-estimate of location (Huber 1964): quadratic near 0, linear beyond delta,
  // so it moves from the mean towards the median as the data's spread grows against delta.
  it('Huber loss elicits neither the mean nor the median: statistic "none", with the sample that shows it (Huber 1964)', async () => {
    const r = await elicited(HUBER);
    assert.equal(r.verdict, 'fail');
    assert.equal(r.statistic, 'none');
    const w = r.witness ?? {};
    for (const key of ['minimizer', 'mean', 'median'] as const) assert.equal(typeof w[key], 'number', `witness ${JSON.stringify(w)}`);
    const [c, mean, median] = [w.minimizer, w.mean, w.median] as [number, number, number];
    assert.ok(Math.abs(c - mean) > 1e-3 && Math.abs(c - median) > 1e-3, `witness ${JSON.stringify(w)}`);
  });

  it('Huber loss with a large delta = 100 is still not the mean: the sample with an outlier at 1e4 shows it', async () => {
    const r = await elicited(HUBER, { delta: 100 });
    assert.equal(r.statistic, 'none');
    assert.match(String(r.witness?.sample), /outlier/);
  });

  // A bounded loss l = 1 - k(r) is minimised where the kernel-smoothed density peaks; the mode is
  // not elicitable (Heinrich 2014, "The mode functional is not elicitable").
  it('the Welsch loss 1 - exp(-r^2), bounded, is mode-like', async () => {
    const r = await elicited('welsch(r) = 1 - exp(-r^2)');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.statistic, 'mode-like');
  });

  it('is inconclusive when the average loss has no minimiser (l(r) = r falls without bound)', async () => {
    const r = await elicited('linear(r) = r');
    assert.equal(r.verdict, 'inconclusive');
    assert.equal(r.statistic, undefined);
  });
});
