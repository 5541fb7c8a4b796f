/**
 * influence against the psi-functions of robust statistics (Huber 1964; Hampel 1974; Hampel,
 * Ronchetti, Rousseeuw & Stahel 1986, "Robust Statistics: The Approach Based on Influence
 * Functions", chapter 2): the influence of an M-estimator is proportional to psi = dl/dr.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { influenceCheck } from '../../../src/core/checks/influence';
import type { CheckResult } from '../../../src/core/checks/report';
import { float64Context } from './float64Context';

const TOLERANCE = 1e-9;

async function influence(text: string, params: Record<string, number> = {}): Promise<CheckResult> {
  return influenceCheck.run(float64Context(text, params));
}

async function assertBounded(text: string, supPsi: number, params: Record<string, number> = {}): Promise<CheckResult> {
  const r = await influence(text, params);
  assert.equal(r.verdict, 'pass', r.summary);
  assert.ok(Math.abs((r.metrics.sup_psi as number) - supPsi) <= TOLERANCE, `sup |psi| = ${r.metrics.sup_psi}, expected ${supPsi}`);
  return r;
}

describe('influence: bounded', () => {
  it('absolute error: psi = sign(r), sup |psi| = 1 (the median, Hampel 1974)', async () => {
    await assertBounded('absolute(r) = abs(r)', 1);
  });

  it('Huber loss with delta = 1.5: psi = max(-delta, min(delta, r)), sup |psi| = delta (Huber 1964)', async () => {
    await assertBounded('param delta = 1.5 in [0.01, 10]\nhuber(r) = abs(r) <= delta ? 0.5 * r^2 : delta * (abs(r) - 0.5 * delta)', 1.5);
  });

  it('pinball loss with tau = 0.3: psi = tau or tau - 1, sup |psi| = max(tau, 1 - tau) = 0.7 (Koenker & Bassett 1978)', async () => {
    await assertBounded('param tau = 0.3 in [0.01, 0.99]\npinball(r) = max(tau * r, (tau - 1) * r)', 0.7);
  });

  // psi(r) = r (1 - (r/c)^2)^2 for |r| <= c, else 0: largest at r = c/sqrt(5), where it is (c/sqrt(5)) (4/5)^2.
  it('Tukey biweight with c = 4.685: sup |psi| = (c/sqrt 5)(16/25) at r = c/sqrt 5, redescending (Beaton & Tukey 1974)', async () => {
    const c = 4.685;
    const r = await assertBounded(
      'param c = 4.685 in [1, 10]\ntukey(r) = abs(r) <= c ? c^2 / 6 * (1 - (1 - (r / c)^2)^3) : c^2 / 6',
      (c / Math.sqrt(5)) * (16 / 25),
    );
    assert.ok(Math.abs(Math.abs(r.witness?.r as number) - c / Math.sqrt(5)) <= 1e-6, `attained at ${String(r.witness?.r)}`);
    assert.match(r.summary, /redescending/);
  });

  it('Cauchy loss log(1 + r^2): psi = 2r/(1 + r^2), sup |psi| = 1 at r = +-1, redescending (Hampel et al. 1986)', async () => {
    const r = await assertBounded('cauchy(r) = log(1 + r^2)', 1);
    assert.match(r.summary, /redescending/);
  });

  it('pseudo-Huber sqrt(1 + r^2) - 1: psi = r/sqrt(1 + r^2), sup |psi| = 1, approached as |r| -> infinity', async () => {
    const r = await assertBounded('pseudo_huber(r) = sqrt(1 + r^2) - 1', 1);
    assert.match(r.summary, /reached as r -> [+-]infinity/);
  });
});

describe('influence: unbounded', () => {
  it('squared error: psi = r grows like |r|^1 (the mean has unbounded influence, Hampel 1974)', async () => {
    const r = await influence('squared(r) = 0.5 * r^2');
    assert.equal(r.verdict, 'fail');
    assert.ok(Math.abs((r.metrics.growth as number) - 1) <= 1e-9, `growth ${r.metrics.growth}`);
    assert.equal(typeof r.witness?.r, 'number');
  });

  it('squared error in the two-input form (y - yhat)^2 grows like |r|^1', async () => {
    const r = await influence('squared(yhat, y) = (y - yhat)^2');
    assert.equal(r.verdict, 'fail');
    assert.ok(Math.abs((r.metrics.growth as number) - 1) <= 1e-9);
  });

  it('|r|^3: psi = 3 r|r| grows like |r|^2', async () => {
    const r = await influence('cubic(r) = abs(r)^3');
    assert.equal(r.verdict, 'fail');
    assert.ok(Math.abs((r.metrics.growth as number) - 2) <= 1e-9);
  });

  it('sqrt(|r|): psi = sign(r)/(2 sqrt|r|) is unbounded as r -> 0', async () => {
    const r = await influence('root(r) = sqrt(abs(r))');
    assert.equal(r.verdict, 'fail');
    assert.match(r.summary, /r -> 0/);
  });
});
