/**
 * properness against scoring rules whose properness is published: log loss and the Brier score
 * are strictly proper, the absolute loss is not (Gneiting & Raftery 2007, sections 2-3), nor is
 * focal loss for gamma > 0 (Charoenphakdee et al. 2021, "On Focal Loss for Class-Posterior
 * Probability Estimation: A Theoretical Perspective").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { propernessCheck } from '../../../src/core/checks/properness';
import { float64Context } from './float64Context';

/** The minimiser is located to about sqrt(machine epsilon); 1e-6 is the check's own tolerance. */
const TOLERANCE = 1e-6;
const FOCAL = 'param gamma = 2 in [0, 5]\n@kind probability\nfocal(p) = -(1 - p)^gamma * log(p)';

describe('properness: strictly proper scoring rules', () => {
  for (const [name, text] of [
    ['log loss -(y log p + (1 - y) log(1 - p)) (Gneiting & Raftery 2007, logarithmic score)', 'bce(p, y) = -(y * log(p) + (1 - y) * log(1 - p))'],
    ['log loss written as l(p) = -log(p), with l(1 - p) for label 0', 'nll(p) = -log(p)'],
    ['Brier score (1 - p)^2 for y = 1 (Gneiting & Raftery 2007, quadratic score)', 'brier(p) = (1 - p)^2'],
    ['Brier score (y - p)^2', 'brier(p, y) = (y - p)^2'],
    ['focal loss with gamma = 0, which is log loss', FOCAL.replace('gamma = 2', 'gamma = 0')],
  ]) {
    it(`${name} is strictly proper: the minimiser at eta = 0.25, 0.5, 0.75 is eta`, async () => {
      const r = await propernessCheck.run(float64Context(text as string));
      assert.equal(r.verdict, 'pass', r.summary);
      for (const eta of [0.25, 0.5, 0.75]) {
        const q = r.metrics[`minimizer@${eta}`];
        assert.ok(q !== undefined && Math.abs(q - eta) <= TOLERANCE, `minimiser at eta = ${eta} is ${q}`);
      }
      assert.ok(r.cite?.includes('Gneiting & Raftery'));
    });
  }
});

describe('properness: losses that are not strictly proper', () => {
  // E|Y - q| = eta(1 - q) + (1 - eta)q is linear in q: its minimiser is the median of the label,
  // 0 for eta < 1/2 and 1 for eta > 1/2 (Gneiting & Raftery 2007, section 3: the absolute loss elicits the median).
  it('absolute loss |y - p| is not proper: its minimiser is the median of the label, 0 or 1', async () => {
    const r = await propernessCheck.run(float64Context('absolute(p, y) = abs(y - p)'));
    assert.equal(r.verdict, 'fail');
    assert.ok((r.metrics['minimizer@0.25'] as number) < TOLERANCE, `minimizer@0.25 = ${r.metrics['minimizer@0.25']}`);
    assert.ok((r.metrics['minimizer@0.75'] as number) > 1 - TOLERANCE, `minimizer@0.75 = ${r.metrics['minimizer@0.75']}`);
    const w = r.witness ?? {};
    assert.ok(typeof w.eta === 'number' && typeof w.minimizer === 'number');
    assert.ok(Math.abs(w.minimizer - (w.eta < 0.5 ? 0 : 1)) < TOLERANCE, `witness ${JSON.stringify(w)}`);
  });

  // With l1(q) = -(1 - q)^g log q and l0(q) = l1(1 - q), the expected loss is stationary where
  // eta*l1'(q) = (1 - eta)*l1'(1 - q), i.e. eta = l1'(1 - q) / (l1'(q) + l1'(1 - q)) (Charoenphakdee et al.
  // 2021): for gamma = 2 the minimiser is pulled towards 1/2, an under-confident estimate, not eta.
  it('focal loss with gamma = 2 is not strictly proper: its minimiser solves the focal stationarity condition, not q = eta (Charoenphakdee et al. 2021)', async () => {
    const r = await propernessCheck.run(float64Context(FOCAL));
    assert.equal(r.verdict, 'fail');
    const g = 2;
    const dl1 = (q: number) => g * (1 - q) ** (g - 1) * Math.log(q) - (1 - q) ** g / q;
    const etaOf = (q: number) => dl1(1 - q) / (dl1(q) + dl1(1 - q));
    for (const eta of [0.25, 0.75]) {
      const q = r.metrics[`minimizer@${eta}`] as number;
      assert.ok(Math.abs(etaOf(q) - eta) <= 1e-6, `eta(q*) = ${etaOf(q)} for eta = ${eta}`);
      assert.ok(Math.abs(q - 0.5) < Math.abs(eta - 0.5) - 0.1, `minimiser ${q} at eta = ${eta} is not pulled towards 1/2`);
    }
  });

  it('a constant loss is proper but not strictly: every q minimises', async () => {
    const r = await propernessCheck.run(float64Context('constant(p) = 0 * p + 1'));
    assert.equal(r.verdict, 'fail');
    assert.match(r.summary, /not strictly/);
  });

  it('is inconclusive when the loss is undefined inside (0, 1)', async () => {
    const r = await propernessCheck.run(float64Context('half(p) = sqrt(p - 0.5)'));
    assert.equal(r.verdict, 'inconclusive');
    assert.match(r.summary, /undefined/);
  });
});
