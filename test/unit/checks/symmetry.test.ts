/**
 * Symmetry, sum_k l(s, k) constant in s, against the losses of Ghosh, Kumar & Sastry 2017 (MAE is
 * symmetric, cross-entropy is not) and Ma et al. 2020, "Normalized Loss Functions for Deep Learning
 * with Noisy Labels" (normalised cross-entropy is symmetric with constant 1).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult } from '../../../src/core/checks/report';
import { symmetryCheck } from '../../../src/core/checks/symmetry';
import { float64Context } from './float64Context';

async function run(text: string): Promise<CheckResult> {
  return symmetryCheck.run(float64Context(text));
}

const logsumexp = (s: readonly number[]): number => {
  const m = Math.max(...s);
  return m + Math.log(s.reduce((t, x) => t + Math.exp(x - m), 0));
};

describe('symmetry', () => {
  it('passes MAE over softmax with sum_k (2 - 2 softmax_k) = 2K - 2 (Ghosh, Kumar & Sastry 2017)', async () => {
    const r3 = await run('mae(s, y) = 2 - 2 * softmax(s)[y]');
    assert.equal(r3.verdict, 'pass', r3.summary);
    assert.ok(Math.abs((r3.metrics.constant as number) - 4) < 1e-12);
    const r5 = await run('@classes 5\nmae(s, y) = 2 - 2 * softmax(s)[y]');
    assert.equal(r5.verdict, 'pass', r5.summary);
    assert.ok(Math.abs((r5.metrics.constant as number) - 8) < 1e-12);
    assert.match(r3.cite ?? '', /Ghosh, Kumar & Sastry 2017/);
  });

  it('passes normalised cross-entropy, whose class sum is 1 (Ma et al. 2020)', async () => {
    const r = await run('nce(s, y) = (logsumexp(s) - s[y]) / sum(logsumexp(s) - s)');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.ok(Math.abs((r.metrics.constant as number) - 1) < 1e-12);
  });

  it('fails cross-entropy, whose class sum K logsumexp(s) - sum(s) varies, with two logits as witness', async () => {
    const r = await run('ce(s, y) = logsumexp(s) - s[y]');
    assert.equal(r.verdict, 'fail', r.summary);
    const s = r.witness?.logits as number[];
    const ref = r.witness?.reference_logits as number[];
    const classSum = (v: readonly number[]) => v.length * logsumexp(v) - v.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs((r.witness?.sum as number) - classSum(s)) < 1e-9);
    assert.ok(Math.abs((r.witness?.reference_sum as number) - classSum(ref)) < 1e-9);
    assert.ok(Math.abs(classSum(s) - classSum(ref)) > 1e-3);
    assert.ok((r.metrics.spread as number) > 0);
  });
});
