/**
 * Slices x[a:b] and concat(a, b, axis): the entries each keeps, worked out by hand on x = 1..8
 * (1-based, both ends included, as mathjs reads a:b and as x[i] indexes), the adjoint (a slice's
 * gradient is the adjoint put back in place, zero elsewhere; concat's is the two pieces), the
 * gradient check, TensorFlow.js against the float64 reference, errors with their ranges and the
 * sizes' names, the fused kernels' reason for declining, and the exports' spelling.
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
import { errorLines, lowered, valueAt } from '../lowered';

const engines = float32Engines();

// x = [[1, 2, 3, 4], [5, 6, 7, 8]]: each entry's value says where it sits.
const X = '@kind batch\nsize B = 2\nsize D = 4\n@shape x: [B, D]\n';
const ONE_TO_EIGHT = [1, 2, 3, 4, 5, 6, 7, 8];
const at = (body: string): number => valueAt(`${X}f(x) = ${body}\n`, { x: ONE_TO_EIGHT });

/** The float64 gradient of the loss in its first input, at `x`. */
function gradientAt(text: string, x: readonly number[]): number[] {
  const l = lowered(text);
  const [g] = gradient(l.graph, l.value, [(l.inputs[0] as { leaf: NodeId }).leaf]);
  return Array.from(runReference(lowerToProgram(l.graph, [g as NodeId]), { rows: 1, values: { x } })[0] as Float64Array);
}

describe('slices x[a:b]: 1-based, both ends included', () => {
  it('along the last axis with one range, along each axis with one range or index per axis', () => {
    assert.equal(at('sum(x[2:3])'), 2 + 3 + 6 + 7);
    assert.equal(at('sum(x[1:D])'), 36, 'x[1:D] keeps every entry');
    assert.equal(at('sum(x[3:3])'), 3 + 7, 'x[a:a] keeps one entry per row, as a [B, 1] matrix');
    assert.equal(at('sum(x[:, end])'), 4 + 8, '`:` is 1:end, `end` the length of the axis');
    assert.equal(at('sum(x[end-1:end])'), 3 + 4 + 7 + 8);
    assert.equal(at('sum(x[2, 2:])'), 6 + 7 + 8, 'an index drops its axis; `a:` runs to the end');
    assert.equal(at('sum(x[:, :2])'), 1 + 2 + 5 + 6, '`:b` runs from 1');
    assert.equal(at('x[2, 3]'), 7, 'one index per axis picks an entry');
    assert.equal(at('sum(x[1, :] .* x[2, :])'), 1 * 5 + 2 * 6 + 3 * 7 + 4 * 8, 'a row of a matrix is a vector');
    assert.equal(at('sum(x[2:B, 1:D / 2])'), 5 + 6, 'bounds may be arithmetic of sizes');
  });

  it('keeps the shapes it says: [B, b - a + 1] for x[a:b] of [B, D], the axis dropped for an index', () => {
    const l = lowered(`${X}f(x) = sum(S)\n  where S = x[2:4]\n`);
    const shapes = l.graph.shapes.filter((s) => s.length === 2 && s[1] === 3);
    assert.ok(shapes.length > 0, 'x[2:4] of a [2, 4] matrix is [2, 3]');
  });

  it('sends the gradient back to the entries it kept, zero elsewhere', () => {
    // d/dx 10 sum(x[:, 2:3]) is 10 in columns 2 and 3 of each row; d/dx x[2, 3]^2 is 2 * 7 at that entry.
    assert.deepEqual(gradientAt(`${X}f(x) = 10 * sum(x[:, 2:3])`, ONE_TO_EIGHT), [0, 10, 10, 0, 0, 10, 10, 0]);
    assert.deepEqual(gradientAt(`${X}f(x) = x[2, 3]^2`, ONE_TO_EIGHT), [0, 0, 0, 0, 0, 0, 14, 0]);
    // sum(x[:, 2:4] .* x[:, 1:3]): each of x_2, x_3 meets both neighbours, x_1 and x_4 one.
    assert.deepEqual(gradientAt(`${X}f(x) = sum(x[:, 2:4] .* x[:, 1:3])`, ONE_TO_EIGHT), [2, 1 + 3, 2 + 4, 3, 6, 5 + 7, 6 + 8, 7]);
  });

  it('reports bounds outside the axis, steps and unknown bounds at their range, with the sizes by name', () => {
    assert.deepEqual(errorLines(`${X}f(x) = sum(x[2:5])\n`), [
      '5:14 2:5 is not a range of axis 2 of [B, D]: a:b keeps entries a to b, both included, with 1 <= a <= b <= D',
    ]);
    assert.deepEqual(errorLines(`${X}f(x) = sum(x[0:2])\n`), [
      '5:14 0:2 is not a range of axis 2 of [B, D]: a:b keeps entries a to b, both included, with 1 <= a <= b <= D',
    ]);
    assert.deepEqual(errorLines(`${X}f(x) = sum(x[3:2, :])\n`), [
      '5:14 3:2 is not a range of axis 1 of [B, D]: a:b keeps entries a to b, both included, with 1 <= a <= b <= B',
    ]);
    assert.deepEqual(errorLines(`${X}f(x) = sum(x[:, 5])\n`), ['5:17 index 5 is outside 1..D, axis 2 of [B, D] (indices are 1-based)']);
    assert.deepEqual(errorLines(`${X}f(x) = sum(x[1:2:3])\n`), ['5:14 a step in a range `a:step:b` is not part of the .loss language']);
    assert.deepEqual(errorLines(`${X}f(x) = sum(x[1, 2, 3])\n`), ['5:12 x[...] of [B, D] takes one range (along the last axis) or 2, one per axis; got 3']);
    assert.deepEqual(errorLines(`${X}param a = 1 in [1, 3]\nf(x) = sum(x[a:3])\n`), [
      '6:14 the bounds of a slice are whole numbers known before anything runs: numbers, sizes, `end` (the length of the axis) and arithmetic of them',
    ]);
    assert.deepEqual(errorLines('@kind pairwise\nf(m) = m[1:2]\n'), ['2:8 only a vector or tensor can be sliced']);
  });

  it('checks the bounds at the sizes asked for too: x[1:5] of [B, D] fits D = 8, not D = 4', () => {
    const text = `${X}f(x) = sum(x[1:5])\n`;
    assert.deepEqual(errorLines(text).length, 1);
    assert.equal(
      valueAt(text.replace('size D = 4', 'size D = 8'), { x: Array.from({ length: 16 }, (_, i) => i + 1) }),
      1 + 2 + 3 + 4 + 5 + 9 + 10 + 11 + 12 + 13,
    );
  });
});

describe('concat(a, b, axis)', () => {
  it('puts b after a along the last axis, or the axis given', () => {
    // concat(x, x[:, 1:2]) = [[1, 2, 3, 4, 1, 2], [5, 6, 7, 8, 5, 6]]; its entries by position (1..6) in each row.
    assert.equal(at('sum(concat(x, x[:, 1:2])[2, :])'), 5 + 6 + 7 + 8 + 5 + 6);
    assert.equal(at('concat(x, x[:, 1:2])[1, 5]'), 1);
    assert.equal(at('concat(x, x[:, 1:2])[2, 6]'), 6);
    // Along axis 1: [x; x[2, :] as a row] is 3 x 4, its last row 5..8.
    assert.equal(at('sum(concat(x, x[2:2, :], 1)[3, :])'), 5 + 6 + 7 + 8);
    assert.equal(at('concat(x, x, 1)[4, 1]'), 5);
    assert.equal(at('sum(concat(x[1, :], x[2, 1:2]))'), 1 + 2 + 3 + 4 + 5 + 6, 'vectors join into a longer vector');
  });

  it('splits the adjoint between its two arguments', () => {
    // f = sum(concat(x, 2 x)^2) = sum(x^2) + 4 sum(x^2): gradient 10 x.
    assert.deepEqual(
      gradientAt(`${X}f(x) = sum(concat(x, 2 * x, 1) .^ 2)`, ONE_TO_EIGHT),
      ONE_TO_EIGHT.map((v) => 10 * v),
    );
  });

  it('reports shapes that do not fit, with both shapes in the sizes they are declared with', () => {
    const header = '@kind batch\nsize B = 3\nsize D = 3\n@shape a: [B, D]\n@shape b: [D, B]\n@shape v: [B]\n';
    assert.deepEqual(errorLines(`${header}f(a, b, v) = sum(concat(a, b, 1)) + sum(v)\n`), [
      '7:18 concat along axis 1 needs the shapes to agree on every other axis, but got [B, D] and [D, B]',
    ]);
    assert.deepEqual(errorLines(`${header}f(a, b, v) = sum(concat(a, v)) + sum(b)\n`), [
      '7:18 concat needs two tensors of one rank, but got [B, D] and [B] (a vector becomes a matrix with column(v) or row(v))',
    ]);
    assert.deepEqual(errorLines(`${header}f(a, b, v) = sum(concat(a, a, 3)) + sum(b) + sum(v)\n`), [
      '7:31 concat(x, axis): the axis is a whole number from 1 to 2 (the rank of x), written as a number',
    ]);
  });
});

describe('slices and concat in every executor and export', () => {
  // x[:, 3:] has D - 2 entries: as wide as w only when D = 4, so x is declared [B, 4] (the probe of distinct sizes would refuse [B, D]).
  const LOSS = `${X.replace('[B, D]', '[B, 4]')}param m = 0.5 in [0, 1]\n@shape w: [B, 2]\nf(x, w) = mean(softplus(concat(x[:, 1:2] .* w, x[:, 3:] - m, 1) .^ 2 / 4)) + sum(concat(x, eye(B)))\n`;

  it('passes the gradient check', async () => {
    const l = lowered(LOSS);
    const r = await gradientCheck.run({ loss: l, params: { m: 0.5 }, executor: engines.tfjs() });
    assert.equal(r.verdict, 'pass', r.summary);
  });

  it('TensorFlow.js computes what the float64 reference does, value and gradient, on a batch of rows (eye(B) shared by all rows)', async () => {
    const l = lowered(LOSS);
    const leaves = l.inputs.map((i) => i.leaf);
    const program = lowerToProgram(l.graph, [l.value, ...gradient(l.graph, l.value, leaves)]);
    const rows = 3;
    const random = seededRandom(4);
    const draw = (n: number) => Float64Array.from({ length: n }, () => normal(random));
    const bindings = { rows, values: { x: draw(rows * 8), w: draw(rows * 4), m: 0.5 } };
    await assertFloat32MatchesReference(engines.tfjs(), program, bindings);
  });

  it('is declined by the fused kernels with a reason, even on a vector of K', () => {
    const l = lowered('@classes 4\n@kind multiclass\nf(s, y) = sum(concat(s, s))\n');
    assert.equal(tensorReason(lowerToProgram(l.graph, [l.value])), 'concat: the fused kernels have no form for it yet (TensorFlow.js runs it)');
    const sliced = lowered('@classes 4\n@kind multiclass\nf(s, y) = sum(s[2:3])\n');
    assert.equal(
      tensorReason(lowerToProgram(sliced.graph, [sliced.value])),
      'a slice x[a:b]: the fused kernels have no form for it yet (TensorFlow.js runs it)',
    );
  });

  it("exports as Python slices and each library's concatenation, and prints in LaTeX", () => {
    const l = lowered(`${X}f(x) = sum(concat(x[:, 2:3], x, 2))\n`);
    const code = (target: 'pytorch' | 'numpy' | 'jax' | 'tensorflow'): string => {
      const r = exportLoss(l, { target });
      assert.ok(r.ok);
      return r.value;
    };
    assert.match(code('pytorch'), /torch\.cat\(\[x\[:, 1:3\], x\], dim=1\)/);
    assert.match(code('numpy'), /np\.concatenate\(\[x\[:, 1:3\], x\], axis=1\)/);
    assert.match(code('jax'), /jnp\.concatenate\(\[x\[:, 1:3\], x\], axis=1\)/);
    assert.match(code('tensorflow'), /tf\.concat\(\[x\[:, 1:3\], x\], axis=1\)/);
    assert.match(toLatex(l.graph, l.value), /\\left\[\\left\[x\\right\]_\{:,2:3\}, x\\right\]/);
    // A per-sample loss's vectors are (N, K) rows: its slices run along the last axis.
    const perSample = exportLoss(lowered('@classes 5\nf(s, y) = sum(s[2:3] .* s[4:5])\n'), { target: 'pytorch' });
    assert.ok(perSample.ok);
    assert.match(perSample.value, /torch\.sum\(s\[\.\.\., 1:3\] \* s\[\.\.\., 3:5\], dim=-1, keepdim=True\)/);
  });
});
