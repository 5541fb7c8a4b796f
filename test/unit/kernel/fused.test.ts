/**
 * The fused executor as an `Executor`: the same outputs and layout as the tfjs executor (vector
 * outputs row-major), programs it cannot compile run on the fallback and say so, the threaded
 * path gives the calling thread's numbers bit for bit, and kernels are cached by program.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findLoss } from '../../../src/core/analyze';
import { runChecks } from '../../../src/core/checks/suite';
import { startBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { createFusedExecutor, type FusedExecutor } from '../../../src/core/engine/fused';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { Graph } from '../../../src/core/ir/graph';
import { lowerToProgram } from '../../../src/core/ir/program';
import { SCALAR } from '../../../src/core/ir/shape';

let tfjs: Executor;
let threaded: FusedExecutor;
let single: FusedExecutor;
before(async () => {
  const s = await startBackend('wasm');
  tfjs = tensorExecutor(s.tf, s.backend);
  threaded = await createFusedExecutor(tfjs, { threads: 2 });
  single = await createFusedExecutor(tfjs, { threads: 1 });
});
after(async () => {
  await threaded.dispose();
  await single.dispose();
});

/** softmax(s) (a vector output), logsumexp(s) - s[y] and a scalar program in z, t. */
function programs() {
  const g = new Graph(3);
  const s = g.leaf('s', 'input', g.vector);
  const y = g.leaf('y', 'input', SCALAR);
  const ce = g.apply('sub', g.apply('logsumexp', s), g.apply('sum', g.apply('mul', s, g.apply('onehot', y))));
  return {
    multiclass: lowerToProgram(g, [g.apply('softmax', s), ce, g.apply('mul', g.leaf('w', 'param', g.vector), s)]),
    sin: lowerToProgram(g, [g.apply('sin', y)]),
  };
}

describe('the fused executor', () => {
  it('is an Executor with engine fused-wasm and the fallback backend', () => {
    assert.equal(threaded.engine, 'fused-wasm');
    assert.equal(threaded.backend, tfjs.backend);
  });

  it('returns the layout of the tfjs executor: vector outputs row-major, broadcast vector leaves', async () => {
    const { multiclass } = programs();
    const rows = 5;
    const values = { s: Array.from({ length: rows * 3 }, (_, i) => Math.cos(i) * 2), y: [1, 2, 3, 1, 2], w: [1, -2, 0.5] };
    const ours = await threaded.compile(multiclass)({ rows, values });
    const theirs = await tfjs.compile(multiclass)({ rows, values });
    assert.deepEqual(
      ours.map((o) => o.length),
      theirs.map((o) => o.length),
    );
    ours.forEach((o, k) => o.forEach((v, i) => assert.ok(Math.abs(v - ((theirs[k] as Float32Array)[i] as number)) < 1e-6, `output ${k}[${i}]: ${v}`)));
  });

  it('runs a program with sin on the fallback, and says so', async () => {
    const compiled = threaded.compile(programs().sin);
    assert.equal(compiled.engine, 'fallback');
    assert.match(compiled.fallbackReason ?? '', /sin/);
    const [out] = await compiled({ rows: 2, values: { y: [0, Math.PI / 2] } });
    assert.ok(Math.abs(((out as Float32Array)[1] as number) - 1) < 1e-6);
  });

  it('splits large batches between threads with the same numbers as one thread', async () => {
    const { multiclass } = programs();
    const rows = 100003;
    const values = {
      s: Float32Array.from({ length: rows * 3 }, (_, i) => Math.sin(i) * 5),
      y: Float32Array.from({ length: rows }, (_, i) => 1 + (i % 3)),
      w: 0.5,
    };
    const a = await threaded.compile(multiclass)({ rows, values });
    const b = await single.compile(multiclass)({ rows, values });
    a.forEach((o, k) => assert.deepEqual(o, b[k], `output ${k}`));
    // Two calls in flight share the memory: they take turns and keep their own numbers.
    const [c, d] = await Promise.all([
      threaded.compile(multiclass)({ rows, values }),
      threaded.compile(multiclass)({ rows: 4, values: { s: values.s.subarray(0, 12), y: [1, 2, 3, 1], w: 0.5 } }),
    ]);
    assert.deepEqual(c[1], b[1]);
    assert.deepEqual(d[1], (b[1] as Float32Array).subarray(0, 4));
  });

  it('raises to a param power: products for 0..4, the general pow otherwise, both as Math.pow', async () => {
    const g = new Graph(1);
    const program = lowerToProgram(g, [g.apply('pow', g.leaf('x', 'input', SCALAR), g.leaf('n', 'param', SCALAR))]);
    const xs = [-2.5, -1, -0, 0, 0.3, 1, 1.7, 1e10, -Infinity, Infinity, NaN].map(Math.fround);
    for (const n of [0, 1, 2, 3, 4, 5, 2.5, -1, -2, NaN]) {
      const [out] = await single.compile(program)({ rows: xs.length, values: { x: xs, n } });
      xs.forEach((x, i) => {
        const want = Math.fround(Math.pow(x, n));
        const got = (out as Float32Array)[i] as number;
        assert.ok(Object.is(got, want) || Math.abs(got - want) <= 2 * 2 ** -23 * Math.abs(want), `pow(${x}, ${n}): ${got}, Math.pow ${want}`);
      });
    }
  });

  it('with reuseOutputs, returns the same arrays from call to call (nothing allocated when warm)', async () => {
    const reusing = await createFusedExecutor(tfjs, { threads: 1, reuseOutputs: true });
    try {
      const fn = reusing.compile(programs().multiclass);
      const values = { s: [1, 2, 3, 4, 5, 6], y: [1, 2], w: 1 };
      const [a] = await fn({ rows: 2, values });
      const [b] = await fn({ rows: 2, values });
      assert.equal(a, b);
    } finally {
      await reusing.dispose();
    }
  });

  it('reaches the verdicts of the tfjs executor in the whole check suite (a loss of each common kind)', async () => {
    const losses = [
      'logistic(z) = softplus(-z)',
      'param gamma = 2 in [0, 5]\nparam alpha = 0.25 in [0, 1]\nfocal(p) = -alpha * (1 - p)^gamma * log(p)',
      'cross_entropy(s, y) = logsumexp(s) - s[y]',
      'kl(p, q) = sum(p .* log(p ./ q))',
    ];
    for (const text of losses) {
      const found = findLoss(text);
      assert.ok(found.ok);
      const verdicts = async (executor: Executor) => {
        const r = await runChecks(executor, found.loss, {});
        if (r === undefined) return 'no report';
        return r.ok ? r.value.checks.map((c) => `${c.id}: ${c.verdict}`) : r.message;
      };
      assert.deepEqual(await verdicts(threaded), await verdicts(tfjs), text);
    }
  });

  it('says which leaf is missing or has the wrong length, as the reference does', async () => {
    const { multiclass } = programs();
    await assert.rejects(threaded.compile(multiclass)({ rows: 2, values: { s: [1, 2, 3, 4, 5, 6], y: [1, 2, 3], w: 1 } }), /'y' has 3 values; expected 1 or 2/);
  });
});
