/**
 * topk(x, k): the k largest entries of each last-axis slice, largest first (PyTorch's
 * topk(x, k).values), with ties in position order and NaN last (the order sort puts them in);
 * the permutation gradient (d/dx_i of sum_j w_j topk(x)_j is w at the place of x_i among the k
 * largest, 0 for the others); the top-k multiclass SVM of Lapin et al. (2015) worked out by hand;
 * errors for k at its range; TensorFlow.js against float64; the kernels' reason; the exports.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gradientCheck } from '../../../src/core/checks/gradient';
import { normal, seededRandom } from '../../../src/core/checks/random';
import { runReference } from '../../../src/core/engine/reference';
import { exportLoss } from '../../../src/core/export/export';
import { gradient } from '../../../src/core/ir/autodiff';
import type { NodeId } from '../../../src/core/ir/graph';
import { toLatex } from '../../../src/core/ir/latex';
import { lowerToProgram, tensorReason } from '../../../src/core/ir/program';
import { assertFloat32MatchesReference } from '../float32Agreement';
import { float32Engines } from '../float32Engines';
import { errorLines, lowered } from '../lowered';

const engines = float32Engines();

/** The float64 values of `outputs(l)` at one point. */
function run(text: string, values: Readonly<Record<string, number | readonly number[]>>, withGradient = false): number[][] {
  const l = lowered(text);
  const outputs = [l.value, ...(withGradient ? gradient(l.graph, l.value, [(l.inputs[0] as { leaf: NodeId }).leaf]) : [])];
  return runReference(lowerToProgram(l.graph, outputs as NodeId[]), { rows: 1, values }).map((v) => Array.from(v));
}

const V4 = '@kind batch\n@shape v: [4]\n';
// Weights by position among the k largest: f = sum_j w_j topk(v, 2)_j with w = (10, 1).
const weighted = `${V4}f(v) = sum(topk(v, 2) .* (19 - 9 * positions(topk(v, 2))))\n`;

describe('topk(x, k): the k largest, largest first', () => {
  it('picks and orders them: topk((3, 1, 2, -1), 2) = (3, 2), weighted 10 * 3 + 1 * 2', () => {
    assert.deepEqual(run(weighted, { v: [3, 1, 2, -1] })[0], [32]);
    assert.deepEqual(run(`${V4}f(v) = topk(v, 4)[4]\n`, { v: [3, 1, 2, -1] })[0], [-1], 'k = K is the descending sort');
    assert.deepEqual(run(`${V4}f(v) = topk(v, 1)[1]\n`, { v: [3, 1, 9, -1] })[0], [9], 'k = 1 is the max');
  });

  it('sends the adjoint of the j-th largest to the entry it came from (the permutation gradient)', () => {
    // v = (3, 1, 2, -1): 3 is first (weight 10), 2 second (weight 1), the others out.
    assert.deepEqual(run(weighted, { v: [3, 1, 2, -1] }, true)[1], [10, 0, 1, 0]);
    assert.deepEqual(run(weighted, { v: [-5, 4, 0.5, 7] }, true)[1], [0, 1, 0, 10]);
  });

  it('breaks ties by position and puts NaN last, as sort does', () => {
    // (2, 2, 1): the first 2 is the largest, the second 2 the next: gradient 10 then 1.
    assert.deepEqual(run(`@kind batch\n@shape v: [3]\nf(v) = sum(topk(v, 2) .* (19 - 9 * positions(topk(v, 2))))\n`, { v: [2, 2, 1] }, true)[1], [10, 1, 0]);
    assert.deepEqual(run(`${V4}f(v) = topk(v, 3)[3]\n`, { v: [NaN, 1, 2, 3] })[0], [1], 'NaN is not among the 3 largest of (NaN, 1, 2, 3)');
  });

  it('acts on each last-axis slice of a matrix: the row sums of the 2 largest', () => {
    const text = '@kind batch\nsize B = 2\n@shape x: [B, 3]\nf(x) = sum(sum(topk(x, 2), 2))\n';
    assert.deepEqual(run(text, { x: [1, 5, 3, 9, 7, 8] }, true), [[5 + 3 + 9 + 8], [0, 1, 1, 1, 0, 1]]);
  });

  it('reports a k that is not a whole number from 1 to the axis, or not known when the loss compiles, at k', () => {
    assert.deepEqual(errorLines(`${V4}f(v) = sum(topk(v, 5))\n`), ['3:20 topk(x, k): k = 5 is outside 1..4, the length of the last axis of x']);
    assert.deepEqual(errorLines(`${V4}f(v) = sum(topk(v, 1.5))\n`), ['3:20 topk(x, k): k is a whole number, got 1.5']);
    assert.deepEqual(errorLines(`${V4}param k = 2 in [1, 3]\nf(v) = sum(topk(v, k))\n`), [
      '4:20 topk(x, k): k must be known before anything runs: a whole number or a size (not a param or an input)',
    ]);
    assert.deepEqual(errorLines('@kind pairwise\nf(m) = topk(m, 1)\n'), ['2:13 topk(x, k) takes a vector or a tensor, but got a scalar']);
    // A size is known when the loss compiles.
    assert.deepEqual(errorLines('@kind batch\nsize B = 3\nsize T = 2\n@shape x: [B, 5]\nf(x) = sum(topk(x, T))\n'), []);
  });
});

/** Lapin, Hein and Schiele (2015), top-k hinge alpha: max(0, 1/k sum_{j <= k} (1 - e_y + s - s_y)_[j]), the [j] in descending order. */
function topkSvmByHand(s: readonly number[], y: number, k: number): number {
  const a = s.map((v, j) => (j === y - 1 ? 0 : 1) + v - (s[y - 1] as number)).sort((p, q) => q - p);
  return Math.max(0, a.slice(0, k).reduce((t, v) => t + v, 0) / k);
}

const TOPK_SVM = `@kind batch
@classes 5
size B = 3
size T = 2
@shape s: [B, K]
@labels y: [B]
top_k_svm(s, y) = mean(max(0, sum(topk(1 - (positions(s[1, :]) == column(y)) + s - column(s[y]), T), 2) / T))
`;

describe('the top-k multiclass SVM (Lapin et al. 2015), for any k', () => {
  const random = seededRandom(8);
  const s = Array.from({ length: 15 }, () => normal(random));
  const y = [2, 5, 1];

  it('has the value of its formula, computed by hand', () => {
    const expected = [0, 1, 2].reduce((t, b) => t + topkSvmByHand(s.slice(5 * b, 5 * b + 5), y[b] as number, 2), 0) / 3;
    const v = run(TOPK_SVM, { s, y })[0]?.[0] as number;
    assert.ok(Math.abs(v - expected) < 1e-14, `${v} against ${expected}`);
  });

  it('passes the gradient check (which skips the points where two scores cross)', async () => {
    const r = await gradientCheck.run({ loss: lowered(TOPK_SVM), params: {}, executor: engines.tfjs() });
    assert.equal(r.verdict, 'pass', r.summary);
  });

  it('TensorFlow.js computes what the float64 reference does, value and gradient, on a batch of rows', async () => {
    const l = lowered(TOPK_SVM);
    const program = lowerToProgram(l.graph, [l.value, ...gradient(l.graph, l.value, [(l.inputs[0] as { leaf: NodeId }).leaf])]);
    const rows = 4;
    const r = seededRandom(9);
    const bindings = {
      rows,
      values: { s: Float64Array.from({ length: rows * 15 }, () => 2 * normal(r)), y: Float64Array.from({ length: rows * 3 }, (_, i) => 1 + (i % 5)) },
    };
    await assertFloat32MatchesReference(engines.tfjs(), program, bindings);
  });
});

describe('topk in the kernels and the exports', () => {
  it('is declined by the fused kernels with a reason, even as topk(s, K) of a vector of K', () => {
    const l = lowered('@classes 4\n@kind multiclass\nf(s, y) = sum(topk(s, 4) .* s)\n');
    assert.equal(tensorReason(lowerToProgram(l.graph, [l.value])), 'topk: the fused kernels have no form for it yet (TensorFlow.js runs it)');
  });

  it("exports as each library's top-k, and prints in LaTeX", () => {
    const l = lowered('@kind batch\nsize B = 2\n@shape x: [B, 5]\nf(x) = sum(topk(x, 3))\n');
    const code = (target: 'pytorch' | 'numpy' | 'jax' | 'tensorflow'): string => {
      const r = exportLoss(l, { target });
      assert.ok(r.ok);
      return r.value;
    };
    assert.match(code('pytorch'), /torch\.topk\(x, 3, dim=-1\)\.values/);
    assert.match(code('numpy'), /-np\.sort\(-x, axis=-1\)\[\.\.\., :3\]/);
    assert.match(code('jax'), /jax\.lax\.top_k\(x, 3\)\[0\]/);
    assert.match(code('tensorflow'), /tf\.math\.top_k\(x, k=3\)\.values/);
    assert.match(toLatex(l.graph, l.value), /\\operatorname\{top\}_\{3\}\\left\(x\\right\)/);
  });
});
