/**
 * sort, sort_by, ranks, positions, cumsum and revcumsum: values worked out by hand, the order rule
 * (ascending, stable, NaN last: what torch.sort(stable=True) and NumPy's stable argsort do), the
 * permutation gradient (d/ds_i of sum_p w_p sort(s)_p is w at the rank of s_i), the running-sum
 * adjoints, the same numbers from float64, tfjs (wasm and cpu) and the fused kernels, and the
 * gradient check, which must skip stencils that reorder the keys.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { gradientCheck } from '../../../src/core/checks/gradient';
import { runReference } from '../../../src/core/engine/reference';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { gradient } from '../../../src/core/ir/autodiff';
import type { NodeId } from '../../../src/core/ir/graph';
import { ranks64 } from '../../../src/core/ir/permutation';
import { lowerToProgram } from '../../../src/core/ir/program';
import { float32Engines } from '../float32Engines';
import { lowered } from '../lowered';

// Strict: every program here must compile to a fused kernel.
const engines = float32Engines({ strict: true });

/** Value and gradient in s of a multiclass loss at the rows of s (y = 1), in float64. */
function valueAndGradient(text: string, rows: number[][]): { value: number[]; grad: number[][] } {
  const l = lowered(text);
  const s = (l.inputs[0] as { leaf: NodeId }).leaf;
  const [g] = gradient(l.graph, l.value, [s]);
  const out = runReference(lowerToProgram(l.graph, [l.value, g as NodeId]), { rows: rows.length, values: { s: rows.flat(), y: 1 } });
  const K = (rows[0] as number[]).length;
  return {
    value: Array.from(out[0] as Float64Array),
    grad: rows.map((_, r) => Array.from((out[1] as Float64Array).subarray(r * K, (r + 1) * K))),
  };
}

describe('the order of sort: ascending, stable, NaN last', () => {
  it('ranks distinct keys, ties by position, NaN after everything (torch.sort(stable=True), NumPy kind="stable")', () => {
    assert.deepEqual(Array.from(ranks64([3, 1, 2, -1])), [3, 1, 2, 0]);
    assert.deepEqual(Array.from(ranks64([2, 1, 2, 1])), [2, 0, 3, 1]);
    assert.deepEqual(Array.from(ranks64([NaN, 1, NaN, -Infinity, Infinity])), [3, 1, 4, 0, 2]);
  });
});

describe('values and derivatives', () => {
  const K4 = '@classes 4\n@kind multiclass\n';
  it('sort(s) . (1, 2, 3, 4): value sum_p p s_(p), gradient the 1-based rank of each entry', () => {
    const r = valueAndGradient(`${K4}f(s, y) = sum(sort(s) .* positions(s))`, [
      [3, 1, 2, -1],
      [0.5, 0.5, -2, 7],
    ]);
    assert.deepEqual(r.value, [-1 + 2 * 1 + 3 * 2 + 4 * 3, -2 + 2 * 0.5 + 3 * 0.5 + 4 * 7]);
    assert.deepEqual(r.grad, [
      [4, 2, 3, 1],
      [2, 3, 1, 4],
    ]);
  });

  it('ranks(s) is piecewise constant: d/ds sum(ranks(s) .* s) = ranks(s)', () => {
    const r = valueAndGradient(`${K4}f(s, y) = sum(ranks(s) .* s)`, [[3, 1, 2, -1]]);
    assert.deepEqual(r.value, [4 * 3 + 2 * 1 + 3 * 2 + 1 * -1]);
    assert.deepEqual(r.grad, [[4, 2, 3, 1]]);
  });

  it('cumsum and revcumsum: sum of running sums weights s_k by K - k + 1 and by k', () => {
    const s = [[0.5, -1, 2, 3]];
    const c = valueAndGradient(`${K4}f(s, y) = sum(cumsum(s))`, s);
    assert.deepEqual(c.value, [0.5 + -0.5 + 1.5 + 4.5]);
    assert.deepEqual(c.grad, [[4, 3, 2, 1]]);
    const rc = valueAndGradient(`${K4}f(s, y) = sum(revcumsum(s))`, s);
    assert.deepEqual(rc.value, [4.5 + 4 + 5 + 3]);
    assert.deepEqual(rc.grad, [[1, 2, 3, 4]]);
    // The adjoints compose: d/ds of cumsum(s)^2 summed is revcumsum(2 cumsum(s)).
    const sq = valueAndGradient(`${K4}f(s, y) = sum(cumsum(s) .^ 2)`, s);
    const running = [0.5, -0.5, 1.5, 4.5];
    assert.deepEqual(sq.grad, [[0, 1, 2, 3].map((k) => running.slice(k).reduce((a, x) => a + 2 * x, 0))]);
  });

  it('sort_by(x, key) follows key, and its gradient in x goes back through the same permutation', () => {
    const l = lowered('@classes 3\n@kind distribution\nf(p, q) = sum(sort_by(p, q) .* positions(p))');
    const [gp, gq] = gradient(
      l.graph,
      l.value,
      l.inputs.map((i) => i.leaf),
    );
    const out = runReference(lowerToProgram(l.graph, [l.value, gp as NodeId, gq as NodeId]), { rows: 1, values: { p: [0.2, 0.3, 0.5], q: [0.9, 0.1, 0.5] } });
    // q ascending: 0.1 (entry 2), 0.5 (entry 3), 0.9 (entry 1): p in that order is (0.3, 0.5, 0.2).
    assert.equal((out[0] as Float64Array)[0], 0.3 + 2 * 0.5 + 3 * 0.2);
    assert.deepEqual(Array.from(out[1] as Float64Array), [3, 1, 2]);
    assert.deepEqual(Array.from(out[2] as Float64Array), [0, 0, 0]);
  });
});

describe('every executor sorts alike, ties and NaN included', () => {
  const text = '@classes 5\n@kind multiclass\nf(s, y) = sum(sort(s) .* positions(s)) + sum(revcumsum(sort_by(exp(s), -s)) .* ranks(s)) + sum(cumsum(s) .^ 2)';
  const rows = [
    [3, 1, 2, -1, 0],
    [1, 1, 1, 1, 1],
    [2, NaN, -1, 2, NaN],
    [-Infinity, 4, 4, 0.5, -3],
    [0.25, -0.25, 0.125, 7, -7],
  ];
  it('float64, tfjs-wasm, tfjs-cpu and fused WebAssembly give the same value and gradient', async () => {
    const l = lowered(text);
    const s = (l.inputs[0] as { leaf: NodeId }).leaf;
    const program = lowerToProgram(l.graph, [l.value, ...gradient(l.graph, l.value, [s])]);
    const bindings = { rows: rows.length, values: { s: rows.flat(), y: 1 } };
    const reference = runReference(program, bindings);
    await tf.setBackend('cpu');
    const cpu = await tensorExecutor(tf, 'cpu').compile(program)(bindings);
    await tf.setBackend('wasm');
    const results: [string, readonly ArrayLike<number>[]][] = [
      ['tfjs-wasm', await engines.tfjs().compile(program)(bindings)],
      ['tfjs-cpu', cpu],
      ['fused', await engines.fused().compile(program)(bindings)],
    ];
    for (const [name, got] of results) {
      reference.forEach((ref, o) => {
        ref.forEach((e, i) => {
          const a = (got[o] as ArrayLike<number>)[i] as number;
          const ok = Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)) || Math.abs(a - e) <= 1e-5 * Math.max(1, Math.abs(e));
          assert.ok(ok, `${name}: output ${o} entry ${i}: ${a}, float64 ${e}`);
        });
      });
    }
  });
});

describe('the gradient check through a permutation', () => {
  it('passes sort-based losses, skipping the stencils that reorder the keys', async () => {
    for (const text of [
      '@classes 4\n@kind multiclass\nf(s, y) = sum(sort(s) .* positions(s))',
      // W1 over k < K: the K-th running sum of p - q is 0 on the simplex, a kink at every point.
      '@classes 4\n@kind distribution\nf(p, q) = sum(abs((positions(p) < max(positions(p))) .* cumsum(p - q)))',
      '@classes 4\n@kind multiclass\nf(s, y) = log(sum(revcumsum(exp(sort(s))))) - s[y]',
    ]) {
      const l = lowered(text);
      const r = await gradientCheck.run({ loss: l, params: {}, executor: engines.tfjs() });
      assert.equal(r.verdict, 'pass', `${text}: ${r.summary}`);
    }
  });
});
