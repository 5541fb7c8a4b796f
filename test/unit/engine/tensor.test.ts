/**
 * The TensorFlow.js executor against the float64 reference, tfjs's own first-order gradient as
 * a cross-check of LossLab's derivatives, and no tensor leaks.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { startBackend, type StartedBackend } from '../../../src/core/engine/backend';
import { computeCurves } from '../../../src/core/engine/curves';
import { evaluatePoint } from '../../../src/core/engine/point';
import { runReference } from '../../../src/core/engine/reference';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { gradient } from '../../../src/core/ir/autodiff';
import type { NodeId } from '../../../src/core/ir/graph';
import { lowerToProgram } from '../../../src/core/ir/program';
import { lowered } from '../lowered';

let started: StartedBackend;
before(async () => {
  started = await startBackend();
});

const loss = lowered;

const SCALAR_LOSSES = [
  'f(z) = softplus(-z)',
  'f(z) = max(0, 1 - z)^2',
  'f(z) = 1 - tanh(z)',
  'f(z) = exp(-z) + sin(z) * cos(z)',
  'f(z) = z > 0 ? log1p(z^2) : expm1(-z)',
  'f(z) = clip(z, -1, 1) + relu(z) - abs(z) / 2 + sqrt(z^2 + 1)',
  'f(z) = sigmoid(z) * min(z, 2)',
  'param gamma = 2 in [0, 5]\nf(p) = -(1 - p)^gamma * log(p)',
  'f(p, y) = -(y * log(p) + (1 - y) * log(1 - p))',
];

describe('the tfjs executor', () => {
  it('agrees with the float64 reference in value and gradient (float32 tolerance)', async () => {
    const ex = tensorExecutor(started.tf, started.backend);
    for (const text of SCALAR_LOSSES) {
      const l = loss(text);
      const input = l.inputs[0] as { leaf: NodeId; spec: { name: string; role: string } };
      const [d] = gradient(l.graph, l.value, [input.leaf]);
      const program = lowerToProgram(l.graph, [l.value, d as NodeId]);
      const xs = input.spec.role === 'probability' ? [0.01, 0.2, 0.5, 0.9, 0.99] : [-3, -0.5, 0.3, 1.7, 4];
      const values: Record<string, number[] | number> = { [input.spec.name]: xs, gamma: 2, y: [1, 0, 1, 0, 1] };
      const ref = runReference(program, { rows: xs.length, values });
      const got = await ex.compile(program)({ rows: xs.length, values });
      for (let o = 0; o < 2; o++) {
        xs.forEach((_, i) => {
          const a = (got[o] as Float32Array)[i] as number;
          const b = (ref[o] as Float64Array)[i] as number;
          assert.ok(Math.abs(a - b) <= 2e-6 * Math.max(1, Math.abs(b)), `${text}: output ${o} at row ${i}: ${a} vs ${b}`);
        });
      }
    }
  });

  it("matches tfjs's own first-order tf.grad, the independent cross-check", async () => {
    const tf = started.tf;
    const cases: [string, (x: import('@tensorflow/tfjs-core').Tensor) => import('@tensorflow/tfjs-core').Tensor][] = [
      ['f(z) = softplus(-z)', (x) => tf.softplus(tf.neg(x))],
      ['f(z) = exp(-z) * tanh(z)', (x) => tf.mul(tf.exp(tf.neg(x)), tf.tanh(x))],
      ['f(z) = log(1 + z^2)', (x) => tf.log(tf.add(1, tf.square(x)))],
    ];
    const xs = [-2, -0.3, 0.4, 1.9];
    for (const [text, f] of cases) {
      const l = loss(text);
      const [d] = gradient(l.graph, l.value, [(l.inputs[0] as { leaf: NodeId }).leaf]);
      const ours = await tensorExecutor(tf, started.backend).compile(lowerToProgram(l.graph, [d as NodeId]))({ rows: xs.length, values: { z: xs } });
      const theirs = tf.tidy(() => tf.grad(f)(tf.tensor1d(xs)).dataSync());
      xs.forEach((_, i) => assert.ok(Math.abs(((ours[0] as Float32Array)[i] as number) - (theirs[i] as number)) < 1e-5, text));
    }
  });

  it('computes focal loss at p = 0.3 to 1e-5 of the closed form', async () => {
    const r = await evaluatePoint(
      tensorExecutor(started.tf, started.backend),
      loss('param gamma = 2 in [0, 5]\nparam alpha = 0.25 in [0, 1]\nfocal(p) = -alpha * (1 - p)^gamma * log(p)'),
      {},
      { p: 0.3 },
    );
    assert.ok(r.ok);
    const value = -0.25 * 0.7 ** 2 * Math.log(0.3);
    const grad = 0.25 * 2 * 0.7 * Math.log(0.3) - (0.25 * 0.7 ** 2) / 0.3;
    assert.ok(Math.abs(r.value.value - value) / value < 1e-5);
    assert.ok(Math.abs((r.value.grad.p as number) - grad) / Math.abs(grad) < 1e-5);
  });

  it('draws curves for every kind, with one series per held label', async () => {
    const ex = tensorExecutor(started.tf, started.backend);
    const texts = [
      'f(z) = softplus(-z)',
      'f(p, y) = -(y * log(p) + (1 - y) * log(1 - p))',
      'f(s, y) = logsumexp(s) - s[y]',
      'f(r) = abs(r)',
      'f(p, q) = sum(p .* log(p ./ q))',
      '@kind pairwise\nf(m) = -log(sigmoid(m))',
    ];
    for (const text of texts) {
      const r = await computeCurves(ex, loss(text), {}, 64);
      assert.ok(r.ok, text);
      for (const c of r.value.curves) {
        assert.equal(c.value.length, 64);
        assert.ok(c.value.every(Number.isFinite), `${text}: ${c.label} has non-finite values`);
      }
    }
    const bce = await computeCurves(ex, loss(texts[1] as string), {}, 8);
    assert.ok(bce.ok);
    assert.deepEqual(
      bce.value.curves.map((c) => c.label),
      ['y = 1', 'y = 0'],
    );
    // Along s = (t, 0, 0) with y = 1, cross-entropy is log(e^t + 2) - t.
    const ce = await computeCurves(ex, loss(texts[2] as string), {}, 5, [-2, 2]);
    assert.ok(ce.ok);
    ce.value.axis.values.forEach((t, i) =>
      assert.ok(Math.abs(((ce.value.curves[0] as { value: readonly number[] }).value[i] as number) - (Math.log(Math.exp(t) + 2) - t)) < 1e-6),
    );
  });

  it('leaks no tensors: the count after 1,000 evaluations equals the count after 10', async () => {
    const ex = tensorExecutor(started.tf, started.backend);
    const l = loss('param gamma = 2 in [0, 5]\nf(p) = -(1 - p)^gamma * log(p)');
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await computeCurves(ex, l, { gamma: (i % 50) / 10 }, 32);
        await evaluatePoint(ex, l, {}, { p: 0.25 });
      }
    };
    await run(10);
    const after10 = started.tf.memory().numTensors;
    await run(1000);
    assert.equal(started.tf.memory().numTensors, after10);
  });
});
