/**
 * The bounded check against ranges known from the formulas: 1 - tanh(z) lies in (0, 2) with both
 * ends approached; the ramp min(1, max(0, 1 - z)) in [0, 1] with both ends attained (Collobert et
 * al. 2006); the hinge has infimum 0 and grows like |z| as z -> -inf, with slopes -1 at -inf and 0
 * at +inf; MAE over softmax 2 - 2 softmax(s)[y] = ||e_y - softmax(s)||_1 lies in [0, 2] (Ghosh,
 * Kumar & Sastry 2017); -log p grows like log(1/p) as p -> 0.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedCheck } from '../../../src/core/checks/bounded';
import { float64Context } from './float64Context';

const run = (text: string) => boundedCheck.run(float64Context(text));

describe('bounded', () => {
  it('passes the sigmoid loss 1 - tanh(z): in [0, 2], both ends approached, flat at both infinities', async () => {
    const r = await run('sigmoid_loss(z) = 1 - tanh(z)');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.deepEqual([r.metrics.inf, r.metrics.sup, r.metrics['slope@-inf'], r.metrics['slope@+inf']], [0, 2, 0, 0]);
    assert.deepEqual([r.witness?.inf_at, r.witness?.sup_at], ['z → +∞', 'z → -∞']);
  });

  it('passes the ramp loss: in [0, 1], the supremum attained at z = 0 and the infimum at z = 1', async () => {
    const r = await run('ramp(z) = min(1, max(0, 1 - z))');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.deepEqual([r.metrics.inf, r.metrics.sup], [0, 1]);
    assert.deepEqual([r.witness?.sup_at_z, r.witness?.inf_at_z], [0, 1]);
  });

  it('fails the hinge loss, unbounded above with slope -1 at -inf and 0 at +inf', async () => {
    const r = await run('hinge(z) = max(0, 1 - z)');
    assert.equal(r.verdict, 'fail');
    assert.equal(r.metrics.inf, 0);
    assert.equal('sup' in r.metrics, false);
    assert.deepEqual([r.metrics['slope@-inf'], r.metrics['slope@+inf']], [-1, 0]);
    assert.deepEqual([r.witness?.towards, r.witness?.growth], ['z → -∞', 'like |z|^1']);
  });

  it('passes MAE over softmax 2 - 2 softmax(s)[y]: in [0, 2]', async () => {
    const r = await run('mae(s, y) = 2 - 2 * softmax(s)[y]');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.deepEqual([r.metrics.inf, r.metrics.sup], [0, 2]);
  });

  it('fails the log loss -log p, which grows logarithmically as p -> 0', async () => {
    const r = await run('log_loss(p) = -log(p)');
    assert.equal(r.verdict, 'fail');
    assert.deepEqual([r.witness?.towards, r.witness?.growth], ['p → 0', 'logarithmically in 1/p']);
    assert.ok(Math.abs(r.metrics.inf as number) <= 1e-12);
  });

  it('fails 1/z, unbounded above and below toward its pole at z = 0', async () => {
    const r = await run('pole(z) = 1/z');
    assert.equal(r.verdict, 'fail');
    assert.match(r.summary, /unbounded above: the loss grows like \(1\/distance\)\^1 as z → 0; unbounded below/);
  });

  it('says inconclusive for sin(z), which neither settles nor grows', async () => {
    const r = await run('wave(z) = sin(z)');
    assert.equal(r.verdict, 'inconclusive');
    assert.match(r.summary, /neither settles nor grows/);
  });
});
