/**
 * The forms the float32 engines compute (ir/float32Forms.ts and the log-sum-exp rule that keeps
 * the non-maximal exponentials apart), against float64 at the inputs where the written form
 * cancels: cross-entropy logsumexp(s) - s[y] at confident logits, where the naive float32
 * difference keeps only the rounding of a number near max(s) (2e-3 relative at s = (10, 0, 0)),
 * log(1 + x) and exp(x) - 1 at tiny x, and log-sum-exp of a dominant entry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runReference } from '../../../src/core/engine/reference';
import { stableForFloat32 } from '../../../src/core/ir/float32Forms';
import { lowerToProgram } from '../../../src/core/ir/program';
import { float32Engines } from '../float32Engines';
import { lowered } from '../lowered';

const engines = float32Engines();

/** The worst relative error of the float32 engines against float64, over the rows of `s`. */
async function worstRelativeError(text: string, values: Record<string, number[] | number>, rows: number): Promise<number> {
  const l = lowered(text);
  const program = lowerToProgram(l.graph, [l.value]);
  const exact = runReference(program, { rows, values })[0] as Float64Array;
  let worst = 0;
  for (const executor of [engines.fused(), engines.tfjs()]) {
    const [got] = await executor.compile(program)({ rows, values });
    exact.forEach((e, r) => {
      worst = Math.max(worst, Math.abs(((got as Float32Array)[r] as number) - e) / Math.abs(e));
    });
  }
  return worst;
}

describe('stable float32 forms', () => {
  it('cross-entropy logsumexp(s) - s[y] at confident logits: within 1e-6 of float64 (was 2e-3 at s = (10, 0, 0))', async () => {
    const rows = [
      [10, 0, 0],
      [20, 0, 0],
      [15, 14, -3],
      [30, 29.5, 29.9],
    ];
    const worst = await worstRelativeError('ce(s, y) = logsumexp(s) - s[y]', { s: rows.flat(), y: 1 }, rows.length);
    assert.ok(worst < 1e-6, `worst relative error ${worst}`);
  });

  it("the same for s[y] - logsumexp(s) (log p_y) and CosFace's scaled margin logit", async () => {
    const rows = [
      [12, 1, -2],
      [0.9, -0.5, 0.2],
    ];
    const logp = await worstRelativeError('f(s, y) = -(s[y] - logsumexp(s))', { s: rows.flat(), y: 1 }, rows.length);
    assert.ok(logp < 1e-6, `log p_y: ${logp}`);
    const cosface = await worstRelativeError('f(s, y) = logsumexp(30 * (s - 0.35 * onehot(y))) - 30 * (s[y] - 0.35)', { s: [0.9, -0.5, 0.2], y: 1 }, 1);
    assert.ok(cosface < 1e-5, `CosFace: ${cosface}`);
  });

  it('log(1 + x) and exp(x) - 1 at x = 1e-10: log1p and expm1, not 0', async () => {
    const xs = [1e-10, -3e-9, 1e-6];
    assert.ok((await worstRelativeError('f(z) = log(1 + z)', { z: xs }, xs.length)) < 1e-6);
    assert.ok((await worstRelativeError('f(z) = exp(z) - 1', { z: xs }, xs.length)) < 1e-6);
  });

  it('logsumexp of a dominant entry keeps the others: log(e^0 + e^-20) = log1p(e^-20) = 2.06e-9, not 0', async () => {
    const worst = await worstRelativeError('@kind multiclass\nf(s, y) = logsumexp(s) + 0 * s[y]', { s: [0, -20, -25], y: 2 }, 1);
    assert.ok(worst < 1e-6, `worst relative error ${worst}`);
  });

  it('rewrites only where a form cancels, and leaves other programs as they are', () => {
    const ce = lowered('ce(s, y) = logsumexp(s) - s[y]');
    const program = lowerToProgram(ce.graph, [ce.value]);
    const stable = stableForFloat32(program);
    assert.notEqual(stable, program);
    const root = stable.instructions[stable.outputs[0] as number];
    assert.equal(root?.tag === 'op' && root.op, 'logsumexp');
    const plain = lowered('f(z) = softplus(-z)');
    const p = lowerToProgram(plain.graph, [plain.value]);
    assert.equal(stableForFloat32(p), p);
  });
});
