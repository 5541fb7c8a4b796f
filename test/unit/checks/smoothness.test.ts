/**
 * The smoothness check (C^1: differentiable with a continuous derivative) on losses whose kinks
 * are known from their formulas: the hinge max(0, 1 - z) has slope -1 left of z = 1 and 0 right
 * of it (Cortes & Vapnik 1995); |r| has slopes -1 and 1 at 0; the squared hinge and Huber's loss
 * (Huber 1964) are C^1 with a second derivative that jumps; the logistic loss is C^infinity.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { smoothnessCheck } from '../../../src/core/checks/smoothness';
import { float64Context } from './float64Context';

const run = (text: string, params: Record<string, number> = {}) => smoothnessCheck.run(float64Context(text, params));

describe('smoothness', () => {
  it('fails the hinge loss at z = 1 with left derivative -1 and right derivative 0 (Cortes & Vapnik 1995)', async () => {
    const r = await run('hinge(z) = max(0, 1 - z)');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.witness?.z, 1);
    assert.equal(r.witness?.left_derivative, -1);
    assert.equal(r.witness?.right_derivative, 0);
    assert.equal(r.witness?.kind, 'corner');
    assert.match(r.summary, /kink at z = 1/);
  });

  it('fails |r| at r = 0 with one-sided derivatives -1 and 1', async () => {
    const r = await run('absolute(r) = abs(r)');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.witness?.r, 0);
    assert.deepEqual([r.witness?.left_derivative, r.witness?.right_derivative], [-1, 1]);
  });

  it('passes the logistic loss softplus(-z), which has no non-smooth op', async () => {
    const r = await run('logistic(z) = softplus(-z)');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.equal(r.metrics.kinks, 0);
  });

  it('passes the squared hinge max(0, 1 - z)^2: C^1, though its second derivative jumps from 2 to 0 at z = 1', async () => {
    // d/dz max(0, 1 - z)^2 = -2 max(0, 1 - z) is continuous; d2/dz2 is 2 for z < 1 and 0 for z > 1.
    const r = await run('squared_hinge(z) = max(0, 1 - z)^2');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.match(r.summary, /second derivative jumps at z = 1 \(2 to 0\)/);
  });

  it("passes Huber's loss, C^1 with its second derivative jumping at r = ±delta (Huber 1964)", async () => {
    const r = await run('param delta = 1 in [0.1, 5]\nhuber(r) = abs(r) <= delta ? 0.5 * r^2 : delta * (abs(r) - 0.5 * delta)', { delta: 2 });
    assert.equal(r.verdict, 'pass', r.summary);
    assert.match(r.summary, /second derivative jumps at r = -2; r = 2/);
  });

  it('fails the 0-1 loss with a jump of the value at z = 0', async () => {
    const r = await run('zero_one(z) = z < 0 ? 1 : 0');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.witness?.kind, 'jump');
    assert.equal(r.witness?.z, 0);
    assert.equal(r.witness?.value_jump, -1);
  });

  it('fails sqrt(|z|) with a cusp at 0: its one-sided derivatives diverge', async () => {
    const r = await run('cusp(z) = sqrt(abs(z))');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.witness?.kind, 'cusp');
    assert.ok((r.witness?.left_derivative as number) < -1e3 && (r.witness?.right_derivative as number) > 1e3);
  });

  it('finds the kink of max(s) - s[y] where two logits tie, and passes cross-entropy logsumexp(s) - s[y]', async () => {
    const r = await run('top(s, y) = max(s) - s[y]');
    assert.equal(r.verdict, 'fail');
    const s = r.witness?.s as number[];
    const top = Math.max(...s);
    assert.equal(s.filter((x) => Math.abs(x - top) <= 1e-9 * (1 + Math.abs(top))).length, 2, `no tie in ${JSON.stringify(s)}`);
    assert.ok(Array.isArray(r.witness?.direction_s));
    assert.equal((await run('cross_entropy(s, y) = logsumexp(s) - s[y]')).verdict, 'pass');
  });

  it('is deterministic', async () => {
    const text = 'ramp(z) = min(1, max(0, 1 - z))';
    assert.deepEqual(await run(text), await run(text));
  });
});
