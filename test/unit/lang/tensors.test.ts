/**
 * The tensor language: named sizes, @shape and @labels, NumPy broadcasting, matrix products,
 * reductions along an axis, gathers by labels. Values are checked against the formulas computed
 * here by hand (InfoNCE is the cross-entropy of the similarity matrix against the diagonal),
 * derivatives against finite differences (the gradient check), TensorFlow.js against the float64
 * reference, and shape errors by their line, column and the sizes' names.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gradientCheck } from '../../../src/core/checks/gradient';
import { normal, seededRandom } from '../../../src/core/checks/random';
import { runReference } from '../../../src/core/engine/reference';
import { gradient } from '../../../src/core/ir/autodiff';
import { lowerToProgram } from '../../../src/core/ir/program';
import { checkLossText } from '../../../src/core/lang/check';
import { lowerLoss } from '../../../src/core/lang/lower';
import { float32Engines } from '../float32Engines';
import { errorLines, lowered } from '../lowered';

const engines = float32Engines();

const randomEntries = (seed: number, n: number): number[] => {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => normal(r));
};

function value(text: string, at: Readonly<Record<string, readonly number[] | number>>): number {
  const l = lowered(text);
  return (runReference(lowerToProgram(l.graph, [l.value]), { rows: 1, values: at })[0] as Float64Array)[0] as number;
}

const INFONCE = `size B = 4
size D = 3
param tau = 0.5 in [0.05, 2]
@shape z1: [B, D]
@shape z2: [B, D]
infonce(z1, z2) = mean(logsumexp(S, 2) - diag(S))
  where S = z1 * z2' / tau
`;

/** -1/B sum_i log( e^{S_ii} / sum_j e^{S_ij} ), S = z1 z2^T / tau: the formula of van den Oord et al. (2018). */
function infonceByHand(z1: readonly number[], z2: readonly number[], B: number, D: number, tau: number): number {
  let total = 0;
  for (let i = 0; i < B; i++) {
    const row = Array.from({ length: B }, (_, j) => {
      let dot = 0;
      for (let d = 0; d < D; d++) dot += (z1[i * D + d] as number) * (z2[j * D + d] as number);
      return dot / tau;
    });
    total += Math.log(row.reduce((s, x) => s + Math.exp(x), 0)) - (row[i] as number);
  }
  return total / B;
}

describe('the tensor language', () => {
  it('InfoNCE over a batch: the value of its formula, computed by hand', () => {
    const z1 = randomEntries(1, 12);
    const z2 = randomEntries(2, 12);
    const v = value(INFONCE, { z1, z2, tau: 0.5 });
    assert.ok(Math.abs(v - infonceByHand(z1, z2, 4, 3, 0.5)) < 1e-14, `${v}`);
  });

  it('sizes take other values than their defaults, and the loss follows', () => {
    const l = lowered(INFONCE);
    assert.deepEqual(l.graph.shape(l.inputs[0]?.leaf as number), [4, 3]);
    const z1 = randomEntries(3, 6 * 5);
    const z2 = randomEntries(4, 6 * 5);
    const checked = checkLossText(INFONCE);
    const r = lowerLoss(checked.file, checked.file.losses[0] as (typeof checked.file.losses)[number], { sizes: { B: 6, D: 5 } });
    assert.ok(r.ok);
    const got = (runReference(lowerToProgram(r.loss.graph, [r.loss.value]), { rows: 1, values: { z1, z2, tau: 0.5 } })[0] as Float64Array)[0] as number;
    assert.ok(Math.abs(got - infonceByHand(z1, z2, 6, 5, 0.5)) < 1e-14);
  });

  it('reduces along an axis (1-based), broadcasts by NumPy rules, gathers by labels', () => {
    const header = 'size B = 2\nsize D = 3\n@shape x: [B, D]\n';
    const x = [1, -2, 3, 0.5, 4, -1];
    const at = { x };
    assert.equal(value(`${header}f(x) = sum(sum(x, 1))`, at), 5.5);
    assert.deepEqual(
      [1, 2].map((axis) => value(`${header}f(x) = sum(amax(x, ${axis}) .^ 2)`, at)),
      [1 + 16 + 9, 9 + 16],
    );
    assert.equal(value(`${header}f(x) = mean(x, 2)[1]`, at), 2 / 3);
    assert.equal(value(`${header}f(x) = sum(x - column(mean(x, 2)))`, at), 0);
    // The columns' minima (0.5, -2, -1), as a row against each row of x.
    assert.equal(value(`${header}f(x) = sum(x .* row(amin(x, 1)))`, at), (1 + 0.5) * 0.5 + (-2 + 4) * -2 + (3 - 1) * -1);
    assert.ok(Math.abs(value(`${header}f(x) = logsumexp(x, 2)[2]`, at) - Math.log(Math.exp(0.5) + Math.exp(4) + Math.exp(-1))) < 1e-15);
    assert.ok(Math.abs(value(`${header}f(x) = sum(softmax(x, 2)) - 2`, at)) < 1e-15);
    // The last running sum of each row is the row's total; the first column's sums from the bottom are (1.5, 0.5).
    assert.equal(value(`${header}f(x) = sum(cumsum(x, 2)[3]) + sum(revcumsum(x, 1)[1])`, at), 5.5 + 2);
    assert.equal(value(`${header}@labels y: [B]\nf(x, y) = sum(x[y])`, { x, y: [3, 2] }), 3 + 4);
    assert.equal(value(`${header}f(x) = trace(x * x') + sum(eye(B))`, at), 1 + 4 + 9 + 0.25 + 16 + 1 + 2);
    // x' times the first column (1, 0.5): a matrix times a vector.
    assert.equal(value(`${header}f(x) = sum(x' * x[1])`, at), 1.25 + 0 + 2.5);
    assert.ok(Math.abs(value(`${header}f(x) = sum(norm(normalize(x, 2), 2))`, at) - 2) < 1e-15);
  });

  it('sorts, ranks and differences along the last axis of a matrix, each row on its own', () => {
    const header = 'size B = 2\nsize D = 3\n@shape x: [B, D]\n';
    const at = { x: [3, 1, 2, 0, -1, 5] };
    // The rows sorted: (1, 2, 3) and (-1, 0, 5); their first column sums to 0, their last to 8.
    assert.equal(value(`${header}f(x) = sum(sort(x, 2)[1]) + 10 * sum(sort(x, 2)[3])`, at), 80);
    assert.equal(value(`${header}f(x) = sum(ranks(x, 2) .* x)`, at), 3 * 3 + 1 * 1 + 2 * 2 + 2 * 0 + 1 * -1 + 3 * 5);
    assert.equal(value(`${header}f(x) = sum(abs(diff(cumsum(x, 2)) - x))`, at), 0);
    assert.equal(value(`${header}f(x) = sum(diff(x, 1))`, at), 3 + 1 + 2 + (0 - 3) + (-1 - 1) + (5 - 2));
    assert.deepEqual(errorLines(`${header}f(x) = sum(sort(x, 1))\n`), ["4:12 sort runs along the last axis (2); for another, transpose first: sort(x', 2)'"]);
  });

  it('reports shape errors before anything runs, with both shapes in the sizes they are declared with', () => {
    const header = 'size B = 8\nsize D = 8\n@shape a: [B, D]\n@shape b: [D, B]\n';
    // B = D = 8 by default: the mismatch is found all the same.
    assert.deepEqual(errorLines(`${header}f(a, b) = mean(a .* b)\n`), [
      "5:16 `.*`: the shapes [B, D] and [D, B] do not broadcast (NumPy's rule: trailing sizes equal or 1)",
    ]);
    assert.deepEqual(errorLines(`${header}f(a, b) = sum(a * a)\n`), [
      '5:15 a matrix product needs the columns of the left to match the rows of the right, but got [B, D] and [B, D]',
    ]);
    assert.deepEqual(errorLines(`${header}f(a, b) = a * b\n`), ["5:11 'f' must be a number, but it is [B, B]: reduce it, e.g. with mean(...) or sum(...)"]);
    assert.deepEqual(errorLines(`${header}f(a, b) = sum(a, 3)\n`), [
      '5:11 sum(x, axis): the axis is a whole number from 1 to 2 (the rank of x), written as a number',
    ]);
    assert.deepEqual(errorLines('size B = 4\n@shape q: [B, E]\nf(q) = sum(q)\n'), ["2:15 unknown size 'E': declare it with `size E = 8` (did you mean 'B'?)"]);
    assert.deepEqual(errorLines('size B = 4\n@shape q: [B]\n@kind margin\nf(q) = sum(q)\n'), [
      '4:1 f has tensor arguments (@shape, @labels, @data): its kind is batch, not margin',
    ]);
    assert.deepEqual(errorLines('size B = 0\n'), ["1:10 a size is a whole number from 1 to 65536, got '0'"]);
    assert.deepEqual(errorLines('@shape z: [B D]\nf(z) = z\n'), [
      "1:12 @shape a dimension is a size's name (declared with `size`), K, or a whole number; got 'B D'",
    ]);
  });

  it('draws @data from its declared domain: a Dice loss over {0, 1} masks is bounded in [0, 1] (its coefficient is)', async () => {
    const text =
      'size B = 2\nsize H = 3\nsize W = 3\n@shape x: [B, H, W]\n@data mask: [B, H, W] in {0, 1}\ndice(x, mask) = mean(1 - (2 * sum(sum(p .* mask, 3), 2) + 1) ./ (sum(sum(p, 3), 2) + sum(sum(mask, 3), 2) + 1))\n  where p = sigmoid(x)';
    const l = lowered(text);
    const { typicalSample } = await import('../../../src/core/checks/sampling');
    assert.ok(Array.from(typicalSample(l, 4, 1).values.mask as Float64Array).every((v) => v === 0 || v === 1));
    const { boundedCheck } = await import('../../../src/core/checks/bounded');
    const r = await boundedCheck.run({ loss: l, params: {}, executor: engines.tfjs() });
    assert.equal(r.verdict, 'pass', r.summary);
    assert.ok((r.metrics.inf as number) >= 0 && (r.metrics.sup as number) <= 1, r.summary);
    assert.deepEqual(errorLines('size B = 2\n@shape z: [B] in {0, 1}\nf(z) = sum(z)\n'), [
      '2:15 @shape a set of values is for @data (masks, signs): a differentiated @shape variable takes an interval, `positive` or `boxes`',
    ]);
    assert.deepEqual(errorLines('size B = 2\n@data m: [B] in [1, 0]\n@shape z: [B]\nf(z, m) = sum(z .* m)\n'), [
      "2:14 @data expected a domain `in {0, 1}` (its values), `in [lo, hi]` or `in (lo, hi)` (an interval), `positive` or `boxes`, got '[1, 0]'",
    ]);
  });

  it('differentiates through matmul, transpose, axis reductions and gathers: the gradient check passes', async () => {
    const losses = [
      INFONCE,
      'size B = 3\n@classes 4\n@shape s: [B, K]\n@labels y: [B]\nce(s, y) = mean(logsumexp(s, 2) - s[y])',
      "size B = 3\nsize D = 2\n@shape a: [B, D]\n@shape b: [B, D]\nclip_like(a, b) = mean(log_softmax(normalize(a, 2) * normalize(b, 2)' / 0.1, 1)[1]) + sum(amax(a, 1) .* amin(b, 1))",
      'size B = 3\n@shape x: [B, 4]\nw1(x) = sum(abs(cumsum(softmax(x, 2) - 0.25, 2))) + sum(revcumsum(x, 1) .* x)',
      'size B = 3\n@shape x: [B, 4]\nsorted(x) = sum(sort(x, 2) .* diff(x .^ 2)) + sum(sort_by(x, -x, 2)[1])',
    ];
    for (const text of losses) {
      const l = lowered(text);
      const r = await gradientCheck.run({ loss: l, params: Object.fromEntries(l.params.map((p) => [p.decl.name, p.decl.value])), executor: engines.tfjs() });
      assert.equal(r.verdict, 'pass', `${text}\n${r.summary}`);
    }
  });

  it('TensorFlow.js computes what the float64 reference does, value and gradient, on a batch of rows', async () => {
    const l = lowered(INFONCE);
    const grads = gradient(
      l.graph,
      l.value,
      l.inputs.map((i) => i.leaf),
    );
    const program = lowerToProgram(l.graph, [l.value, ...grads]);
    const rows = 5;
    const bindings = { rows, values: { z1: Float64Array.from(randomEntries(5, rows * 12)), z2: Float64Array.from(randomEntries(6, rows * 12)), tau: 0.5 } };
    const reference = runReference(program, bindings);
    const float32 = await engines.tfjs().compile(program)(bindings);
    reference.forEach((expected, k) => {
      const got = float32[k] as Float32Array;
      assert.equal(got.length, expected.length);
      expected.forEach((e, i) => assert.ok(Math.abs((got[i] as number) - e) <= 1e-5 * (1 + Math.abs(e)), `output ${k} entry ${i}: ${got[i]} against ${e}`));
    });
  });
});
