/**
 * Shift invariance, l(s + c 1, y) = l(s, y): softmax-based losses have it (softmax(s + c) =
 * softmax(s)), as do comp-sum losses, functions of s_k - s_y (Mao, Mohri & Zhong 2023); a hinge on
 * the raw score s_y and a squared norm of the logits do not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult } from '../../../src/core/checks/report';
import { shiftCheck } from '../../../src/core/checks/shift';
import { float64Context } from './float64Context';

async function run(text: string): Promise<CheckResult> {
  return shiftCheck.run(float64Context(text));
}

describe('shift', () => {
  it('passes cross-entropy and MAE over softmax, shifts up to 1e6 included', async () => {
    for (const text of ['ce(s, y) = logsumexp(s) - s[y]', 'mae(s, y) = 2 - 2 * softmax(s)[y]', '@classes 5\nce(s, y) = logsumexp(s) - s[y]']) {
      const r = await run(text);
      assert.equal(r.verdict, 'pass', `${text}: ${r.summary}`);
      assert.equal(r.metrics.compared, r.metrics.pairs);
    }
  });

  it('fails max(0, 1 - s_y) with a witness (s, y, c) whose values differ as the formula says', async () => {
    const r = await run('h(s, y) = max(0, 1 - s[y])');
    assert.equal(r.verdict, 'fail', r.summary);
    const s = r.witness?.logits as number[];
    const y = r.witness?.class as number;
    const c = r.witness?.shift as number;
    const hinge = (z: number) => Math.max(0, 1 - z);
    assert.ok(Math.abs((r.witness?.loss as number) - hinge(s[y - 1] as number)) < 1e-12);
    assert.ok(Math.abs((r.witness?.shifted_loss as number) - hinge((s[y - 1] as number) + c)) < 1e-9);
    assert.notEqual(r.witness?.loss, r.witness?.shifted_loss);
  });

  it('fails sum(s.^2), which grows along s + c 1', async () => {
    const r = await run('sq(s, y) = sum(s.^2)');
    assert.equal(r.verdict, 'fail', r.summary);
  });
});
