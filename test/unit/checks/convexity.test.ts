/**
 * The convexity check against losses whose convexity is known. Convex: the hinge, logistic,
 * exponential and squared margin losses (Bartlett, Jordan & McAuliffe 2006, Table 1), and
 * cross-entropy logsumexp(s) - s[y] in the logits (logsumexp is convex: Boyd & Vandenberghe 2004,
 * section 3.1.5). Not convex: the sigmoid loss 1 - tanh(z) and the ramp loss (bounded and
 * non-constant on the real line, so no convex function; Collobert et al. 2006), MAE over softmax
 * 1 - softmax(s)[y] (bounded in s, Ghosh, Kumar & Sastry 2017). Focal loss with gamma = 2 is
 * convex in p but not in the logit z (derived below).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convexityCheck } from '../../../src/core/checks/convexity';
import { float64Context } from './float64Context';

const run = (text: string) => convexityCheck.run(float64Context(text));

/** The midpoint inequality at a fail's witness, recomputed from the formula, not from the check. */
function assertMidpointViolated(f: (x: readonly number[]) => number, witness: Readonly<Record<string, unknown>> | undefined, name: string): void {
  const a = [witness?.[`${name}_a`]].flat() as number[];
  const b = [witness?.[`${name}_b`]].flat() as number[];
  assert.ok(a.length > 0 && a.every((x) => typeof x === 'number'), `witness ${JSON.stringify(witness)}`);
  const m = a.map((x, k) => (x + (b[k] as number)) / 2);
  assert.ok(f(m) > (f(a) + f(b)) / 2 + 1e-9, `f((a + b)/2) <= (f(a) + f(b))/2 for a = ${JSON.stringify(a)}, b = ${JSON.stringify(b)}`);
}

describe('convexity', () => {
  it('passes the convex margin losses: hinge, logistic, exponential, squared (Bartlett et al. 2006)', async () => {
    for (const text of ['hinge(z) = max(0, 1 - z)', 'logistic(z) = softplus(-z)', 'exponential(z) = exp(-z)', 'squared(z) = (1 - z)^2']) {
      const r = await run(text);
      assert.equal(r.verdict, 'pass', `${text}: ${r.summary}`);
    }
  });

  it('passes cross-entropy logsumexp(s) - s[y], convex in the logits for every class y', async () => {
    const r = await run('cross_entropy(s, y) = logsumexp(s) - s[y]');
    assert.equal(r.verdict, 'pass', r.summary);
  });

  it('fails the sigmoid loss 1 - tanh(z) with a pair that violates the midpoint inequality', async () => {
    const r = await run('sigmoid_loss(z) = 1 - tanh(z)');
    assert.equal(r.verdict, 'fail');
    assertMidpointViolated(([z]) => 1 - Math.tanh(z as number), r.witness, 'z');
  });

  it('fails the ramp loss min(1, max(0, 1 - z)), whose kink at z = 0 turns downward', async () => {
    const r = await run('ramp(z) = min(1, max(0, 1 - z))');
    assert.equal(r.verdict, 'fail');
    assertMidpointViolated(([z]) => Math.min(1, Math.max(0, 1 - (z as number))), r.witness, 'z');
  });

  it('fails MAE over softmax 1 - softmax(s)[y], with logits a and b as witness', async () => {
    const r = await run('mae(s, y) = 1 - softmax(s)[y]');
    assert.equal(r.verdict, 'fail');
    const y = r.witness?.y as number;
    const softmaxMiss = (s: readonly number[]) => {
      const e = s.map(Math.exp);
      return 1 - (e[y - 1] as number) / e.reduce((u, v) => u + v, 0);
    };
    assertMidpointViolated(softmaxMiss, r.witness, 's');
  });

  it("passes focal loss with gamma = 2 in p: f(p) = -(1 - p)^2 log p has f'' = -2 log p + 2(1 - p)/p + (1 - p^2)/p^2 > 0 on (0, 1)", async () => {
    // Each term of f'' is positive on (0, 1) (derived by differentiating twice; Lin et al. 2017 define the loss).
    const r = await run('param gamma = 2 in [0, 5]\n@kind probability\nfocal(p) = -(1 - p)^gamma * log(p)');
    assert.equal(r.verdict, 'pass', r.summary);
  });

  it("fails focal loss with gamma = 2 in the logit z: f'' is about -0.047 near z = -3.8", async () => {
    const r = await run('focal_logit(z) = -(1 - sigmoid(z))^2 * log(sigmoid(z))');
    assert.equal(r.verdict, 'fail');
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    assertMidpointViolated(([z]) => -((1 - sigmoid(z as number)) ** 2) * Math.log(sigmoid(z as number)), r.witness, 'z');
  });

  it('is deterministic', async () => {
    const text = 'mae(s, y) = 1 - softmax(s)[y]';
    assert.deepEqual(await run(text), await run(text));
  });
});
