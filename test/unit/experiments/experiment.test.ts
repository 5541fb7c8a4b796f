/**
 * Experiments end to end: each kind of loss plugs into a model the way its signature says
 * (a wrong label convention would train a classifier that is always wrong), losses are found in
 * the file and then the library, with K set by the data, mismatches are refused with a reason,
 * runs are cached and cancellable, and the backend's float32 run agrees with the float64 one.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { startBackend, type StartedBackend } from '../../../src/core/engine/backend';
import { tensorExecutor } from '../../../src/core/engine/tensor';
import { runExperiment, type ExperimentRequest } from '../../../src/core/experiments/experiment';
import { executorEngine, float64Engine } from '../../../src/core/experiments/programEngine';
import type { ExperimentReport, ExperimentRun } from '../../../src/core/experiments/report';

async function report(request: ExperimentRequest): Promise<ExperimentReport> {
  const r = await runExperiment(float64Engine, request);
  assert.ok(r?.ok, r && !r.ok ? r.message : 'cancelled');
  return r.value;
}

async function refusal(request: ExperimentRequest): Promise<string> {
  const r = await runExperiment(float64Engine, request);
  assert.ok(r && !r.ok, 'expected the experiment to be refused');
  return r.message;
}

const MOONS = { dataset: 'moons', points: 400, testPoints: 400, hidden: [16, 16], epochs: 300, lr: 0.02 } as const;

describe('experiments', () => {
  for (const [label, text] of [
    ['a margin loss phi(y f)', 'logistic(z) = softplus(-z)'],
    ['a probability loss l(sigmoid(f), y)', 'bce(p, y) = -(y * log(p) + (1 - y) * log(1 - p))'],
    ['a probability loss l(p_t), p_t = sigmoid(y f)', 'param gamma = 2 in [0, 5]\n@kind probability\nfocal(p) = -(1 - p)^gamma * log(p)'],
    ['a multiclass loss of two logits', '@classes 2\nce(s, y) = logsumexp(s) - s[y]'],
  ] as const) {
    it(`trains a classifier of the two moons with ${label}`, async () => {
      const r = await report({ text, setup: MOONS });
      const run = r.runs[0] as ExperimentRun;
      assert.equal(r.classes, 2);
      // The moons are separable by an MLP; noise-free labels: both accuracies high.
      assert.ok(run.test.accuracy > 0.95, `test accuracy ${run.test.accuracy}`);
      assert.ok(run.train.accuracy > 0.95 && run.train.accuracy === run.train.clean_accuracy);
      assert.equal(run.train_loss.length, MOONS.epochs + 1);
      assert.ok((run.train_loss.at(-1) as number) < (run.train_loss[0] as number) / 3, 'the training loss falls');
    });
  }

  it("compares with library losses at the data's number of classes, and summarises over seeds", async () => {
    const r = await report({
      text: '@classes 4\nce(s, y) = logsumexp(s) - s[y]',
      with: ['gce', 'focal_softmax'],
      setup: { classes: 3, points: 200, testPoints: 150, epochs: 40, seeds: [1, 2, 3] },
    });
    assert.deepEqual(
      r.losses.map((l) => [l.name, l.source]),
      [
        ['ce', 'file'],
        ['gce', 'library'],
        ['focal_softmax', 'library'],
      ],
    );
    assert.equal(r.classes, 3);
    assert.equal(r.runs.length, 9);
    assert.equal(r.data.length, 3);
    for (const d of r.data) assert.equal(d.class_counts.length, 3);
    const ce = r.summary.find((s) => s.loss === 'ce');
    const accs = r.runs.filter((run) => run.loss === 'ce').map((run) => run.test.accuracy);
    const m = accs.reduce((a, b) => a + b, 0) / 3;
    assert.ok(Math.abs((ce?.test_accuracy.mean as number) - m) < 1e-15);
    assert.ok(Math.abs((ce?.test_accuracy.std as number) - Math.sqrt(accs.reduce((s, a) => s + (a - m) ** 2, 0) / 2)) < 1e-15);
    // Same seed, same data and initial weights: the first loss value differs only by the loss.
    const first = r.runs.filter((run) => run.seed === 1).map((run) => run.train_loss[0]);
    assert.equal(new Set(first).size, 3);
  });

  it('refuses losses that cannot train the data, saying why', async () => {
    assert.match(await refusal({ text: '@classes 4\nce(s, y) = logsumexp(s) - s[y]', with: ['logistic'] }), /'logistic' is a margin loss.*two classes.*4/);
    assert.match(await refusal({ text: 'huber(r) = r^2' }), /regression loss; experiments train classifiers/);
    assert.match(
      await refusal({ text: 'logistic(z) = softplus(-z)', with: ['no_such_loss'] }),
      /'no_such_loss' is neither a loss of this file nor of the library/,
    );
    assert.match(await refusal({ text: 'logistic(z) = softplus(-z)', params: { gamma: 1 } }), /no loss of the experiment has a param 'gamma'/);
    assert.match(await refusal({ text: 'logistic(z) = softplus(-z)', setup: { noise: 1 } }), /noise must be a rate in \[0, 1\)/);
    assert.match(await refusal({ text: 'logistic(z) = softplus(-z)', setup: { dataset: 'moons', classes: 3 } }), /two moons have 2 classes/);
  });

  it('answers from its cache for a run it has done, and stops when cancelled', async () => {
    const cache = new Map<string, ExperimentRun>();
    const request: ExperimentRequest = { text: 'logistic(z) = softplus(-z)', setup: { points: 100, testPoints: 50, epochs: 30, seeds: [1, 2] } };
    const first = await runExperiment(float64Engine, request, { cache });
    assert.ok(first?.ok);
    assert.equal(cache.size, 2);
    let trainingProgress = 0;
    const second = await runExperiment(
      float64Engine,
      { ...request, setup: { ...request.setup, seeds: [2, 3] } },
      {
        cache,
        onProgress: (_f, message) => (trainingProgress += message.includes('seed 2:') ? 1 : 0),
      },
    );
    assert.ok(second?.ok);
    assert.equal(trainingProgress, 0, 'seed 2 came from the cache');
    assert.deepEqual(second.value.runs[0], first.value.runs[1]);
    assert.equal(cache.size, 3);
    let polls = 0;
    const cancelled = await runExperiment(float64Engine, { ...request, setup: { ...request.setup, seeds: [9] } }, { isCancelled: () => ++polls > 5 });
    assert.equal(cancelled, undefined);
  });

  it('measures the Hessian and the landscape around the trained parameters', async () => {
    const r = await report({ text: 'logistic(z) = softplus(-z)', setup: { points: 100, testPoints: 50, epochs: 100, landscape: true, resolution: 5 } });
    const run = r.runs[0] as ExperimentRun;
    assert.ok(run.hessian && run.landscape);
    assert.equal(run.hessian.top_eigenvalues.length, 3);
    const [l1, l2, l3] = run.hessian.top_eigenvalues.map(Math.abs) as [number, number, number];
    assert.ok(l1 >= l2 * (1 - 1e-3) && l2 >= l3 * (1 - 1e-3), `eigenvalues by magnitude: ${run.hessian.top_eigenvalues.join(', ')}`);
    assert.deepEqual(run.landscape.alphas, [-1, -0.5, 0, 0.5, 1]);
    assert.equal(run.landscape.values.length, 5);
    assert.ok(Math.abs((run.landscape.values[2]?.[2] as number) - (run.train_loss.at(-1) as number)) < 1e-12, 'the centre is the trained loss');
    assert.ok(Math.abs((run.landscape.path.values.at(-1) as number) - (run.train_loss.at(-1) as number)) < 1e-12);
    assert.ok(Math.abs((run.landscape.path.values[0] as number) - (run.train_loss[0] as number)) < 1e-12, 'the path starts at the initial loss');
  });
});

describe('experiments on the backend (float32)', () => {
  let started: StartedBackend;
  before(async () => {
    started = await startBackend();
  });

  it('agree with the float64 reference', async () => {
    const request: ExperimentRequest = { text: '@classes 3\nce(s, y) = logsumexp(s) - s[y]', setup: { points: 300, testPoints: 300, epochs: 100 } };
    const f32 = await runExperiment(executorEngine(tensorExecutor(started.tf, started.backend)), request);
    const f64 = await runExperiment(float64Engine, request);
    assert.ok(f32?.ok && f64?.ok);
    assert.equal(f32.value.engine, started.backend);
    const a = f32.value.runs[0] as ExperimentRun;
    const b = f64.value.runs[0] as ExperimentRun;
    // Float32 rounding of the loss's gradient (relative 1e-7) moves 100 Adam steps very little.
    a.train_loss.forEach((v, t) => assert.ok(Math.abs(v - (b.train_loss[t] as number)) < 1e-4, `epoch ${t}: ${v} vs ${b.train_loss[t]}`));
    assert.ok(Math.abs(a.test.accuracy - b.test.accuracy) <= 2 / 300);
  });
});
