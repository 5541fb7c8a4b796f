/**
 * The Lipschitz check against constants known from the derivatives: |hinge'| <= 1, attained for
 * z < 1; the logistic loss's derivative -sigmoid(-z) tends to -1 as z -> -inf; |abs'| = 1; Huber's
 * derivative is clip(r, -delta, delta) (Huber 1964), so L = delta; the squared loss's derivative
 * grows linearly and the exponential loss's exponentially; cross-entropy's gradient
 * softmax(s) - e_y tends to e_j - e_y, of norm sqrt(2) (Bishop 2006, section 4.3.4); -log p has
 * derivative -1/p; MAE over softmax has gradient p_y (p - e_y), of norm at most
 * p_y (1 - p_y) sqrt(2) <= sqrt(2)/4, approached as p -> (e_y + e_j)/2.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lipschitzCheck } from '../../../src/core/checks/lipschitz';
import { float64Context } from './float64Context';

const run = (text: string, params: Record<string, number> = {}) => lipschitzCheck.run(float64Context(text, params));

async function constant(text: string, params: Record<string, number> = {}): Promise<number> {
  const r = await run(text, params);
  assert.equal(r.verdict, 'pass', `${text}: ${r.summary}`);
  return r.metrics.lipschitz as number;
}

describe('lipschitz', () => {
  it('gives L = 1 for the hinge loss, attained (at z = 0, as for every z < 1)', async () => {
    const r = await run('hinge(z) = max(0, 1 - z)');
    assert.equal(r.metrics.lipschitz, 1);
    assert.ok((r.witness?.z as number) < 1);
    assert.match(r.summary, /attained at z = /);
  });

  it('gives L = 1 for the logistic loss, approached as z -> -inf', async () => {
    const r = await run('logistic(z) = softplus(-z)');
    assert.equal(r.metrics.lipschitz, 1);
    assert.equal(r.witness?.approached_as, 'z → -∞');
  });

  it('gives L = 1 for |r| and L = delta for Huber (delta = 2.5)', async () => {
    assert.equal(await constant('absolute(r) = abs(r)'), 1);
    const huber = 'param delta = 1 in [0.1, 5]\nhuber(r) = abs(r) <= delta ? 0.5 * r^2 : delta * (abs(r) - 0.5 * delta)';
    assert.equal(await constant(huber, { delta: 2.5 }), 2.5);
  });

  it('fails the squared loss: the gradient grows like |z|^1', async () => {
    const r = await run('squared(z) = (1 - z)^2');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.witness?.growth, 'like |z|^1');
    assert.equal('lipschitz' in r.metrics, false);
  });

  it('fails the exponential loss: the gradient grows exponentially, at rate 1, as z -> -inf', async () => {
    const r = await run('exponential(z) = exp(-z)');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.witness?.towards, 'z → -∞');
    assert.match(r.witness?.growth as string, /^exponentially in \|z\| \(rate 1\)$/);
  });

  it('gives L = sqrt(2) for cross-entropy in the logits, approached', async () => {
    const r = await run('cross_entropy(s, y) = logsumexp(s) - s[y]');
    assert.ok(Math.abs((r.metrics.lipschitz as number) - Math.SQRT2) <= 1e-12, r.summary);
    assert.match(r.summary, /approached as s = r·\(e\d − e\d\), r → ∞/);
  });

  it('gives L = sqrt(2)/4 for MAE over softmax 1 - softmax(s)[y] (K = 3 and K = 5)', async () => {
    for (const classes of [3, 5]) {
      const L = await constant(`@classes ${classes}\nmae(s, y) = 1 - softmax(s)[y]`);
      assert.ok(Math.abs(L - Math.SQRT2 / 4) <= 1e-12, `K = ${classes}: ${L}`);
    }
  });

  it('fails the log loss -log p: the gradient -1/p grows like (1/p)^1 as p -> 0', async () => {
    const r = await run('log_loss(p) = -log(p)');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.witness?.towards, 'p → 0');
    assert.equal(r.witness?.growth, 'like (1/p)^1');
  });

  it('gives L = sqrt(10) for the 1-D Wasserstein distance on 3 classes: a corner at p = q seen from a vertex is no jump', async () => {
    // W1 = |p1 - q1| + |p1 + p2 - q1 - q2|: its gradient in (p, q) is (s1 + s2, s2, 0, -(s1 + s2), -s2, 0) for the
    // signs s of the two terms, of norm at most sqrt(4 + 1 + 4 + 1). The rays from a vertex of the simplex run from
    // t = 1 down, and a kink bracket read backwards used to be taken for a jump.
    const L = await constant('@kind distribution\nw1(p, q) = sum(abs((positions(p) < max(positions(p))) .* cumsum(p - q)))');
    assert.ok(Math.abs(L - Math.sqrt(10)) < 1e-9, `L = ${L}`);
  });

  it('fails the 0-1 loss, which jumps at z = 0 though its derivative is 0 elsewhere', async () => {
    const r = await run('zero_one(z) = z < 0 ? 1 : 0');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.witness?.z, 0);
  });

  it('fails 1/z, whose derivative -1/z^2 grows like distance^-2 toward the pole at 0', async () => {
    const r = await run('pole(z) = 1/z');
    assert.equal(r.verdict, 'fail');
    assert.deepEqual([r.witness?.z, r.witness?.growth], [0, 'like (1/distance)^2']);
  });

  it('finds a maximum between grid points: focal loss in the logit has L = 1.12898321856840 at z = -2.7903775', async () => {
    // The root of f''(z) = 0 and |f'| there, by mpmath at 40 digits.
    const r = await run('focal_logit(z) = -(1 - sigmoid(z))^2 * log(sigmoid(z))');
    assert.ok(Math.abs((r.metrics.lipschitz as number) - 1.128983218568398) <= 1e-12, r.summary);
    assert.ok(Math.abs((r.witness?.z as number) + 2.790377480551759) <= 1e-6);
  });
});
