/**
 * Landscapes against closed forms: the squared loss's grid and gradients, focal loss at
 * gamma = 0 equal to alpha times cross-entropy along that row, cross-entropy over two logits,
 * on the float64 reference and on the TensorFlow.js backend.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { startBackend, type StartedBackend } from '../../../src/core/engine/backend';
import type { Executor } from '../../../src/core/engine/executor';
import { computeLandscape, defaultLandscapeAxes, landscapeAxes, type LandscapeResult } from '../../../src/core/engine/landscape';
import { runReference } from '../../../src/core/engine/reference';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { lowered } from '../lowered';

const reference: Executor = { backend: 'cpu', compile: (program) => async (bindings) => runReference(program, bindings).map((c) => Float32Array.from(c)) };

let started: StartedBackend;
before(async () => {
  started = await startBackend();
});

const loss = lowered;

async function landscape(executor: Executor, text: string, request: Parameters<typeof computeLandscape>[3], params = {}): Promise<LandscapeResult> {
  const r = await computeLandscape(executor, loss(text), params, request);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** Within float32 rounding of the closed form. */
function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), `${what}: ${actual} against ${expected}`);
}

const FOCAL = 'param gamma = 2 in [0, 5]\nparam alpha = 0.25 in [0, 1]\nfocal(p) = -alpha * (1 - p)^gamma * log(p)';

describe('landscape', () => {
  it('the squared loss (yhat - y)^2 over yhat and y: values and both gradients', async () => {
    const r = await landscape(reference, 'f(yhat, y) = (yhat - y)^2', { resolution: 9 });
    assert.equal(r.x?.name, 'yhat');
    assert.equal(r.y?.name, 'y');
    assert.deepEqual(r.x?.range, [-4, 4]);
    assert.equal(r.value.length, 81);
    assert.equal(r.finite, 81);
    for (let j = 0; j < 9; j++) {
      for (let i = 0; i < 9; i++) {
        const x = -4 + i;
        const y = -4 + j;
        const k = j * 9 + i;
        close(r.value[k] as number, (x - y) ** 2, `value at (${x}, ${y})`);
        close(r.dx[k] as number, 2 * (x - y), `d/dyhat at (${x}, ${y})`);
        close(r.dy[k] as number, -2 * (x - y), `d/dy at (${x}, ${y})`);
      }
    }
    assert.equal(r.min, 0);
    assert.equal(r.max, 64);
  });

  it('focal loss: p against gamma by default, and at gamma = 0 it is alpha times cross-entropy', async () => {
    for (const executor of [reference, tensorExecutor(started.tf, started.backend)]) {
      const r = await landscape(executor, FOCAL, { resolution: 32 });
      assert.equal(r.x?.name, 'p');
      assert.equal(r.y?.name, 'gamma');
      assert.deepEqual(r.y?.range, [0, 5]);
      assert.equal(r.y?.values[0], 0);
      const alpha = 0.25;
      for (let i = 0; i < 32; i++) {
        const p = r.x?.values[i] as number;
        close(r.value[i] as number, -alpha * Math.log(p), `${executor.backend}: value at p = ${p}, gamma = 0`);
        close(r.dx[i] as number, -alpha / p, `${executor.backend}: d/dp at p = ${p}, gamma = 0`);
        // d/dgamma of -alpha (1-p)^gamma log p is -alpha (1-p)^gamma log(1-p) log p.
        close(r.dy[i] as number, -alpha * Math.log1p(-p) * Math.log(p), `${executor.backend}: d/dgamma at p = ${p}, gamma = 0`);
      }
      // The top row: gamma = 5.
      const p = r.x?.values[7] as number;
      close(r.value[31 * 32 + 7] as number, -alpha * (1 - p) ** 5 * Math.log(p), 'value at gamma = 5');
    }
  });

  it('a param on an axis ignores its slider value; the other params take theirs', async () => {
    const r = await landscape(reference, FOCAL, { x: 'p', y: 'gamma', resolution: 8 }, { gamma: 4, alpha: 1 });
    close(r.value[0] as number, -Math.log(r.x?.values[0] as number), 'alpha = 1 at gamma = 0');
  });

  it('a label is held at 1 and a second scalar input can be an axis of its own', async () => {
    const r = await landscape(reference, 'param w = 1 in [0, 2]\nf(p, y) = -w * (y * log(p) + (1 - y) * log(1 - p))', { resolution: 8 });
    assert.equal(r.x?.name, 'p');
    assert.equal(r.y?.name, 'w');
    assert.equal(r.held, 'y = 1');
    const p = r.x?.values[3] as number;
    const w = r.y?.values[5] as number;
    close(r.value[5 * 8 + 3] as number, -w * Math.log(p), 'value');
    close(r.dy[5 * 8 + 3] as number, -Math.log(p), 'd/dw');
  });

  it('cross-entropy over the true-class logit t and the logit s[2]: logsumexp(t, u, 0) - t and softmax gradients', async () => {
    const text = '@classes 3\nce(s, y) = logsumexp(s) - s[y]';
    const axes = landscapeAxes(loss(text)).map((o) => o.name);
    assert.deepEqual(axes, ['t', 's[2]', 's[3]']);
    const r = await landscape(reference, text, { resolution: 13 });
    assert.equal(r.x?.name, 't');
    assert.equal(r.y?.name, 's[2]');
    for (const [i, j] of [
      [0, 0],
      [6, 6],
      [12, 3],
      [2, 11],
    ] as const) {
      const t = -6 + i;
      const u = -6 + j;
      const z = Math.exp(t) + Math.exp(u) + 1;
      const k = j * 13 + i;
      close(r.value[k] as number, Math.log(z) - t, `value at (${t}, ${u})`);
      close(r.dx[k] as number, Math.exp(t) / z - 1, `d/dt at (${t}, ${u})`);
      close(r.dy[k] as number, Math.exp(u) / z, `d/ds2 at (${t}, ${u})`);
    }
  });

  it('a loss of one input and no params has no landscape, and says why', async () => {
    const r = await landscape(reference, 'f(z) = softplus(-z)', { resolution: 16 });
    assert.match(r.unavailable ?? '', /needs two/);
    assert.equal(r.value.length, 0);
    assert.equal(defaultLandscapeAxes(r.options), undefined);
  });

  it('refuses an unknown axis and the same axis twice, as values', async () => {
    const unknown = await computeLandscape(reference, loss(FOCAL), {}, { x: 'p', y: 'beta', resolution: 8 });
    assert.equal(unknown.ok, false);
    assert.match(unknown.ok ? '' : unknown.message, /no landscape axis 'beta'.*p, gamma, alpha/);
    const twice = await computeLandscape(reference, loss(FOCAL), {}, { x: 'gamma', y: 'gamma', resolution: 8 });
    assert.equal(twice.ok, false);
  });

  it('clamps the resolution to 8..256 and counts the finite values', async () => {
    const big = await landscape(reference, FOCAL, { resolution: 1000 });
    assert.equal(big.resolution, 256);
    assert.equal(big.value.length, 256 * 256);
    // log(z) is finite for z > 0 only: z = -4 + 8i/7 is positive for i = 4..7, half the columns.
    const half = await landscape(reference, 'param a = 1 in [0, 2]\nf(z) = a * log(z)', { resolution: 2 });
    assert.equal(half.resolution, 8);
    assert.equal(half.finite, 32);
  });

  it('an input range from the curves replaces the input axis range, not the param one', async () => {
    const r = await landscape(reference, FOCAL, { resolution: 8, inputRange: [0.2, 0.8] });
    assert.deepEqual(r.x?.range, [0.2, 0.8]);
    assert.deepEqual(r.y?.range, [0, 5]);
    close(r.x?.values[7] as number, 0.8, 'last p');
  });
});
