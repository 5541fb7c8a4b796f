/**
 * Divergences over probability vectors against known answers: KL is a divergence (Gibbs'
 * inequality), not symmetric, infinite as supports separate (Cover & Thomas, "Elements of
 * Information Theory", 2.6); Jensen–Shannon is a symmetric divergence bounded by log 2 (Lin 1991);
 * the squared Euclidean distance is one too, with supremum 2 at two distinct vertices.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { divergenceCheck } from '../../../src/core/checks/divergence';
import type { CheckResult } from '../../../src/core/checks/report';
import { float64Context } from './float64Context';

async function run(text: string): Promise<CheckResult> {
  return divergenceCheck.run(float64Context(text));
}

describe('divergence', () => {
  it('passes KL: not symmetric, infinite on disjoint supports, so no supremum', async () => {
    const r = await run('kl(p, q) = sum(p .* log(p ./ q))');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.equal(r.metrics.symmetric, 0);
    assert.equal(r.metrics.finite_on_disjoint_supports, 0);
    assert.equal(r.metrics.supremum, undefined);
    assert.match(r.summary, /unbounded/);
  });

  it('passes Jensen–Shannon: symmetric, finite on disjoint supports, supremum log 2 (Lin 1991)', async () => {
    // JS(p, q) = KL(p, m)/2 + KL(q, m)/2 with m = (p + q)/2, written inline.
    const r = await run('js(p, q) = 0.5 * sum(p .* log(2 * p ./ (p + q))) + 0.5 * sum(q .* log(2 * q ./ (p + q)))');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.equal(r.metrics.symmetric, 1);
    assert.equal(r.metrics.finite_on_disjoint_supports, 1);
    assert.ok(Math.abs((r.metrics.supremum as number) - Math.log(2)) < 1e-6, `supremum ${r.metrics.supremum}`);
  });

  it('passes the squared Euclidean distance, supremum |e_i - e_j|^2 = 2', async () => {
    const r = await run('se(p, q) = sum((p - q).^2)');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.equal(r.metrics.symmetric, 1);
    assert.ok(Math.abs((r.metrics.supremum as number) - 2) < 1e-12);
  });

  it('fails sum(p - q), which is 0 for every pair of probability vectors', async () => {
    const r = await run('z(p, q) = sum(p - q)');
    assert.equal(r.verdict, 'fail', r.summary);
    assert.match(r.summary, /differ/);
    assert.notDeepEqual(r.witness?.p, r.witness?.q);
  });

  it('fails -KL, negative off the diagonal, and KL + 0.1, not zero on it', async () => {
    const negative = await run('n(p, q) = sum(p .* log(q ./ p))');
    assert.equal(negative.verdict, 'fail', negative.summary);
    assert.ok((negative.witness?.D as number) < 0);
    const shifted = await run('o(p, q) = sum(p .* log(p ./ q)) + 0.1');
    assert.equal(shifted.verdict, 'fail', shifted.summary);
    assert.deepEqual(shifted.witness?.p, shifted.witness?.q);
  });

  it('fails a squared entropy difference, zero at a permutation of p', async () => {
    const r = await run('de(p, q) = (sum(p .* log(p)) - sum(q .* log(q)))^2');
    assert.equal(r.verdict, 'fail', r.summary);
    const p = r.witness?.p as number[];
    const q = r.witness?.q as number[];
    assert.deepEqual([...p].sort(), [...q].sort());
  });
});
