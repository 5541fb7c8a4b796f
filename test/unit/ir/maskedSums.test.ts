/**
 * Conditionals with a zero branch, on different conditions, meeting at a shared node: the adjoint
 * of a shared log(m) is the sum of both branches' adjoints, and dividing that sum by m gave 0/0 at
 * m = 0 where neither branch is taken. Products and quotients of such sums are distributed, so
 * each term is pushed into its own conditional (graph.ts), and the gradient is 0 there.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findLoss } from '../../../src/core/analyze';
import { runReference } from '../../../src/core/engine/reference';
import { gradient } from '../../../src/core/ir/autodiff';
import { lowerToProgram } from '../../../src/core/ir/program';

// Jensen-Shannon written naively, with one helper whose logs both read the midpoint m.
const JS = [
  '@kind distribution',
  '@helper',
  're(x, y) = x > 0 ? x .* (log(x) - log(y)) : 0',
  'js(p, q) = 0.5 * sum(re(p, (p + q) / 2)) + 0.5 * sum(re(q, (p + q) / 2))',
].join('\n');

function valueAndGradient(p: readonly number[], q: readonly number[]): { value: number; dp: number[]; dq: number[] } {
  const found = findLoss(JS, 'js');
  assert.ok(found.ok);
  const { graph, value, inputs } = found.loss;
  const grads = gradient(
    graph,
    value,
    inputs.map((i) => i.leaf),
  );
  const [v, dp, dq] = runReference(lowerToProgram(graph, [value, ...grads]), { rows: 1, values: { p, q } });
  return { value: (v as Float64Array)[0] as number, dp: Array.from(dp as Float64Array), dq: Array.from(dq as Float64Array) };
}

describe('sums of masked conditionals at a shared node', () => {
  it('JS(e1, e1) has gradient 0, not NaN, where p_j = q_j = 0', () => {
    const r = valueAndGradient([1, 0, 0], [1, 0, 0]);
    assert.equal(r.value, 0);
    assert.deepEqual([...r.dp, ...r.dq], [0, 0, 0, 0, 0, 0]);
  });

  it('inside the simplex the gradient is the closed form dJS/dp_j = log(2 p_j / (p_j + q_j)) / 2', () => {
    const p = [0.5, 0.3, 0.2];
    const q = [0.2, 0.5, 0.3];
    const r = valueAndGradient(p, q);
    p.forEach((pj, j) => {
      const qj = q[j] as number;
      assert.ok(Math.abs((r.dp[j] as number) - 0.5 * Math.log((2 * pj) / (pj + qj))) < 1e-12, `dp${j + 1}`);
      assert.ok(Math.abs((r.dq[j] as number) - 0.5 * Math.log((2 * qj) / (pj + qj))) < 1e-12, `dq${j + 1}`);
    });
  });
});
