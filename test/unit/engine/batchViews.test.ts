/**
 * The panel's batch views against closed forms at the held batch (every input at its seeded
 * default): InfoNCE's per-sample losses l_i = logsumexp_j S_ij - S_ii and its gradient
 * dL/dS_ij = (softmax(S_i)_j - [i = j]) / B (van den Oord et al. 2018), CLIP's symmetric form,
 * the fallbacks (an unnamed B x B value, the input itself), and losses that do not split.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { startBackend, type StartedBackend } from '../../../src/core/engine/backend';
import { computeBatchViews, type BatchViewsResult } from '../../../src/core/engine/batchViews';
import type { Executor } from '../../../src/core/engine/executor';
import { defaultInput } from '../../../src/core/engine/point';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import type { LoweredLoss } from '../../../src/core/lang/lower';
import { lowered } from '../lowered';

const CONTRASTIVE = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'contrastive.loss'), 'utf8');
const B = 8;
const D = 16;

let started: StartedBackend;
before(async () => {
  started = await startBackend();
});

/** The seeded default of input `name`, as B rows of D. */
function held(loss: LoweredLoss, name: string): number[][] {
  const spec = loss.inputs.find((i) => i.spec.name === name)?.spec;
  if (!spec) throw new Error(`no input ${name}`);
  const flat = defaultInput(spec, loss.info.classes, B * D) as readonly number[];
  return Array.from({ length: B }, (_, i) => flat.slice(i * D, (i + 1) * D));
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, d) => s + x * (b[d] as number), 0);
const unit = (a: readonly number[]): number[] => a.map((x) => x / Math.sqrt(dot(a, a)));
const similarity = (z1: number[][], z2: number[][], tau: number): number[][] => z1.map((a) => z2.map((b) => dot(a, b) / tau));
const logsumexp = (v: readonly number[]): number => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
};
const softmax = (v: readonly number[]): number[] => v.map((x) => Math.exp(x - logsumexp(v)));
const column = (S: number[][], j: number): number[] => S.map((row) => row[j] as number);
const at = (S: number[][], i: number, j: number): number => S[i]?.[j] as number;

async function views(executor: Executor | 'float64', loss: LoweredLoss, params = {}): Promise<BatchViewsResult> {
  const r = await computeBatchViews(executor, loss, params);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** Within float32 rounding (1e-5) or float64 rounding (1e-12) of the closed form. */
function close(actual: readonly number[], expected: readonly number[], what: string, tolerance: number): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values against ${expected.length}`);
  expected.forEach((e, k) => {
    const a = actual[k] as number;
    assert.ok(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)), `${what}[${k}]: ${a} against ${e}`);
  });
}

const executors = (): [string, Executor | 'float64', number][] => [
  ['float64', 'float64', 1e-12],
  ['tfjs', tensorExecutor(started.tf, started.backend), 1e-5],
];

describe('batch views', () => {
  it('InfoNCE: l_i = logsumexp_j S_ij - S_ii, and dL/dS_ij = (softmax(S_i)_j - [i = j]) / B at tau = 0.5', async () => {
    const loss = lowered(CONTRASTIVE, 'infonce');
    const S = similarity(held(loss, 'z1'), held(loss, 'z2'), 0.5);
    const perSample = S.map((row, i) => logsumexp(row) - at(S, i, i));
    const dS = S.flatMap((row, i) => softmax(row).map((p, j) => (p - (i === j ? 1 : 0)) / B));
    for (const [name, executor, tolerance] of executors()) {
      const r = await views(executor, loss, { tau: 0.5 });
      assert.equal(r.pairs.of, 'local', name);
      assert.equal(r.pairs.name, 'S');
      assert.deepEqual([r.pairs.rows, r.pairs.cols, r.pairs.rowLabel, r.pairs.colLabel], [B, B, 'anchor i', 'candidate j']);
      assert.deepEqual(r.batch, { name: 'B', size: B });
      close(r.pairs.values, dS, `${name} dL/dS`, tolerance);
      assert.ok(r.samples.ok, name);
      if (!r.samples.ok) return;
      assert.equal(r.samples.reduction, 'mean');
      assert.equal(r.samples.offset, 0);
      close(r.samples.values, perSample, `${name} l_i`, tolerance);
      close([r.value], [perSample.reduce((s, l) => s + l, 0) / B], `${name} L = mean_i l_i`, tolerance);
    }
  });

  it('CLIP: l_i is the mean of the row and column cross-entropies, dL/dS = (softmax rows + softmax columns - 2I) / 2B', async () => {
    const loss = lowered(CONTRASTIVE, 'clip_loss');
    const S = similarity(held(loss, 'img').map(unit), held(loss, 'txt').map(unit), 1);
    const perSample = S.map((row, i) => (logsumexp(row) - at(S, i, i) + logsumexp(column(S, i)) - at(S, i, i)) / 2);
    const byColumn = S.map((_, j) => softmax(column(S, j)));
    const dS = S.flatMap((row, i) => softmax(row).map((p, j) => (p + (byColumn[j]?.[i] as number) - 2 * (i === j ? 1 : 0)) / (2 * B)));
    for (const [name, executor, tolerance] of executors()) {
      const r = await views(executor, loss);
      assert.equal(r.pairs.name, 'S', name);
      close(r.pairs.values, dS, `${name} dL/dS`, tolerance);
      assert.ok(r.samples.ok && r.samples.reduction === 'mean', name);
      if (r.samples.ok) close(r.samples.values, perSample, `${name} l_i`, tolerance);
    }
  });

  it('without a where name the first B x B value the loss reads is drawn, named by its formula', async () => {
    const text = "size B = 8\nsize D = 16\n@shape z1: [B, D]\n@shape z2: [B, D]\nnce(z1, z2) = mean(logsumexp(z1 * z2', 2) - diag(z1 * z2'))";
    const loss = lowered(text);
    const S = similarity(held(loss, 'z1'), held(loss, 'z2'), 1);
    const r = await views('float64', loss);
    assert.equal(r.pairs.of, 'intermediate');
    assert.equal(r.pairs.name, 'matmul(z1, transpose(z2))');
    close(
      r.pairs.values,
      S.flatMap((row, i) => softmax(row).map((p, j) => (p - (i === j ? 1 : 0)) / B)),
      'dL/d(z1 z2^T)',
      1e-12,
    );
  });

  it('a loss with no B x B value: the gradient of its first input, B x D; mean squared error gives 2 (x - y) / (B D)', async () => {
    const text = 'size B = 8\nsize D = 16\n@shape x: [B, D]\n@shape y: [B, D]\nmse(x, y) = mean((x - y).^2)';
    const loss = lowered(text);
    const [x, y] = [held(loss, 'x'), held(loss, 'y')];
    const r = await views('float64', loss);
    assert.deepEqual([r.pairs.of, r.pairs.name, r.pairs.rows, r.pairs.cols], ['input', 'x', B, D]);
    close(
      r.pairs.values,
      x.flatMap((row, i) => row.map((v, d) => (2 * (v - (y[i]?.[d] as number))) / (B * D))),
      'dL/dx',
      1e-12,
    );
    assert.ok(r.samples.ok && r.samples.reduction === 'mean');
    if (r.samples.ok)
      close(
        r.samples.values,
        x.map((row, i) => row.reduce((s, v, d) => s + (v - (y[i]?.[d] as number)) ** 2, 0) / D),
        'l_i = mean_d (x - y)^2',
        1e-12,
      );
  });

  it('a sum with a constant: the contributions c_i and the offset, L = sum_i c_i + offset', async () => {
    const loss = lowered('size B = 8\nsize D = 16\n@shape x: [B, D]\nsq(x) = sum(x .^ 2) / 2 + 3');
    const x = held(loss, 'x');
    const r = await views('float64', loss);
    assert.ok(r.samples.ok);
    if (!r.samples.ok) return;
    assert.equal(r.samples.reduction, 'sum');
    close([r.samples.offset], [3], 'offset', 1e-12);
    close(
      r.samples.values,
      x.map((row) => dot(row, row) / 2),
      'c_i = |x_i|^2 / 2',
      1e-12,
    );
  });

  it('a loss that is not a sum or mean over samples says so, and still has its gradient', async () => {
    for (const [body, step] of [
      ['logsumexp(sum(x, 2))', 'logsumexp'],
      ['mean(x)^2', 'pow'],
      ['mean(x) * sum(x)', 'multiplies two terms'],
    ] as const) {
      const loss = lowered(`size B = 8\nsize D = 16\n@shape x: [B, D]\nf(x) = ${body}`);
      const r = await views('float64', loss);
      assert.ok(!r.samples.ok, body);
      if (!r.samples.ok) assert.match(r.samples.reason, new RegExp(step), body);
      assert.equal(r.pairs.values.length, B * D, body);
    }
  });
});
