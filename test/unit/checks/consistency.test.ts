/**
 * Bayes-consistency of multiclass losses against published answers: cross-entropy is consistent
 * (Zhang 2004), the Crammer–Singer and Weston–Watkins hinges are not, failing where no class has
 * probability above 1/2 (Tewari & Bartlett 2007; Zhang 2004). The gap at two-class
 * eta is the transform of the H-consistency bounds of comp-sum losses (Mao, Mohri & Zhong 2023).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consistencyCheck } from '../../../src/core/checks/consistency';
import type { CheckResult } from '../../../src/core/checks/report';
import { float64Context } from './float64Context';

const CE = 'ce(s, y) = logsumexp(s) - s[y]';
// Crammer–Singer: max(0, 1 + max_{k != y} s_k - s_y). The language has no one-hot vector, so for
// K = 3 the largest other logit is spelled out per class.
const CRAMMER_SINGER = 'cs(s, y) = max(0, 1 - s[y] + (y == 1 ? max(s[2], s[3]) : (y == 2 ? max(s[1], s[3]) : max(s[1], s[2]))))';
// Weston–Watkins: sum_{k != y} max(0, 1 + s_k - s_y); the k = y term of the full sum is exactly 1.
const WESTON_WATKINS = 'ww(s, y) = sum(relu(1 + s - s[y])) - 1';

async function run(text: string): Promise<CheckResult> {
  return consistencyCheck.run(float64Context(text));
}

function witnessEta(r: CheckResult): number[] {
  const eta = r.witness?.eta;
  assert.ok(Array.isArray(eta), `witness ${JSON.stringify(r.witness)}`);
  return eta as number[];
}

describe('consistency', () => {
  it('passes cross-entropy, with psi(t) = (1+t)/2 log(1+t) + (1-t)/2 log(1-t) (Mao, Mohri & Zhong 2023, logistic comp-sum loss)', async () => {
    const r = await run(CE);
    assert.equal(r.verdict, 'pass', r.summary);
    assert.equal(r.metrics.comp_sum_tau, 1);
    for (const t of [0.25, 0.5, 0.75]) {
      const closed = ((1 + t) / 2) * Math.log(1 + t) + ((1 - t) / 2) * Math.log(1 - t);
      assert.ok(Math.abs((r.metrics[`psi@${t}`] as number) - closed) < 1e-6, `psi@${t} = ${r.metrics[`psi@${t}`]}, closed form ${closed}`);
      assert.ok(Math.abs((r.metrics[`psi_closed@${t}`] as number) - closed) < 1e-12);
    }
    assert.match(r.cite ?? '', /Tewari & Bartlett 2007/);
  });

  it('passes cross-entropy for K = 5 and K = 2 (Zhang 2004)', async () => {
    assert.equal((await run(`@classes 5\n${CE}`)).verdict, 'pass');
    assert.equal((await run(`@classes 2\n${CE}`)).verdict, 'pass');
  });

  it('passes the sum-exponential loss with psi(t) = 1 - sqrt(1 - t^2) (Mao, Mohri & Zhong 2023, tau = 0)', async () => {
    const r = await run('se(s, y) = sum(exp(s - s[y])) - 1');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.equal(r.metrics.comp_sum_tau, 0);
    const closed = 1 - Math.sqrt(1 - 0.25);
    assert.ok(Math.abs((r.metrics['psi@0.5'] as number) - closed) < 1e-6, `psi@0.5 = ${r.metrics['psi@0.5']}`);
  });

  it('passes MAE over softmax: 2 - 2<eta, softmax(s)> is least with softmax(s) at the Bayes vertex, and psi(t) = t', async () => {
    // At eta = ((1+t)/2, (1-t)/2, 0) the best tie of classes 1 and 2 is softmax = (1/2, 1/2, 0):
    // risk 2 - (eta_1 + eta_2) = 1 against 2 - 2 eta_1 = 1 - t, a gap of t.
    const r = await run('mae(s, y) = 2 - 2 * softmax(s)[y]');
    assert.equal(r.verdict, 'pass', r.summary);
    assert.ok(Math.abs((r.metrics['psi@0.5'] as number) - 0.5) < 1e-6);
  });

  it('passes one-versus-all logistic regression (Zhang 2004)', async () => {
    const r = await run('ova(s, y) = sum(softplus(s)) - softplus(s[y]) + softplus(-s[y])');
    assert.equal(r.verdict, 'pass', r.summary);
  });

  it('fails the Crammer–Singer hinge where no class has probability above 1/2, at tied logits (Tewari & Bartlett 2007)', async () => {
    const r = await run(CRAMMER_SINGER);
    assert.equal(r.verdict, 'fail', r.summary);
    assert.ok(Math.max(...witnessEta(r)) < 0.5, `witness eta ${JSON.stringify(r.witness?.eta)} has a majority class`);
    assert.notEqual(r.witness?.predicted_class, r.witness?.bayes_class);
    // With no majority class, s = 0 minimises the risk (value 1), and it predicts every class.
    assert.ok(Math.abs((r.witness?.risk as number) - 1) < 1e-9);
  });

  it('fails the Weston–Watkins hinge where no class has probability above 1/2 (Tewari & Bartlett 2007)', async () => {
    const r = await run(WESTON_WATKINS);
    assert.equal(r.verdict, 'fail', r.summary);
    assert.ok(Math.max(...witnessEta(r)) < 0.5, `witness eta ${JSON.stringify(r.witness?.eta)} has a majority class`);
  });

  it('fails the one-versus-all hinge (Zhang 2004: its minimiser sign(2 eta_k - 1) ties all classes without a majority)', async () => {
    const r = await run('ova(s, y) = sum(relu(1 + s)) - relu(1 + s[y]) + relu(1 - s[y])');
    assert.equal(r.verdict, 'fail', r.summary);
    assert.ok(Math.max(...witnessEta(r)) < 0.5);
  });

  it('is inconclusive for a loss whose conditional risk is unbounded below (l = -s_y has no minimiser)', async () => {
    const r = await run('lin(s, y) = -s[y]');
    assert.equal(r.verdict, 'inconclusive', r.summary);
    assert.match(r.summary, /unbounded below/);
  });

  it('is deterministic', async () => {
    assert.deepEqual(await run(WESTON_WATKINS), await run(WESTON_WATKINS));
  });
});
