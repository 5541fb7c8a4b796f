/**
 * Experiments on a worker thread of their own (issue 9): while the experiment worker trains, the
 * editor's worker still answers the panel's curves; the experiment worker's cache makes a repeated
 * experiment return the runs it already has; a cancel frees it for the next request; and its crash
 * fails only the experiment, not the curves.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ExperimentSetupInput } from '../../src/protocol';
import { WorkerClient } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const FOCAL = readFileSync(join(ROOT, 'examples', 'focal.loss'), 'utf8');
const MULTICLASS = readFileSync(join(ROOT, 'examples', 'multiclass.loss'), 'utf8');

/** The comparison: long enough (seconds) that the curves must arrive while it trains. */
const LONG: ExperimentSetupInput = { points: 2000, noise: 0.4, imbalance: 10, hidden: [16, 16], seeds: [1, 2, 3], landscape: true };
const SHORT: ExperimentSetupInput = { points: 200, epochs: 20, seeds: [1, 2] };

function curves(client: WorkerClient, gamma: number) {
  return client.request<'curves'>({ type: 'curves', view: 'panel', text: FOCAL, loss: 'focal', params: { gamma }, points: 400 }).promise;
}

function experiment(client: WorkerClient, setup: ExperimentSetupInput, onProgress?: () => void) {
  return client.request<'experiment'>(
    { type: 'experiment', view: 'experiment:multiclass', text: MULTICLASS, loss: 'cross_entropy', params: {}, with: ['mae', 'gce'], setup },
    onProgress,
  );
}

/** Resolves at the first progress message of a request: then it is running, not queued. */
function started(): { onProgress: () => void; running: Promise<void> } {
  let resolve!: () => void;
  const running = new Promise<void>((r) => (resolve = r));
  return { onProgress: () => resolve(), running };
}

describe('the experiment worker beside the editor worker', () => {
  const main = new WorkerClient(WORKER, {});
  const experiments = new WorkerClient(WORKER, {});
  after(() => Promise.all([main.dispose(), experiments.dispose()]));

  it('answers curves on the main worker while an experiment trains on the experiment worker', async () => {
    await Promise.all([main.ready(), experiments.ready()]);
    const progress = started();
    const pending = experiment(experiments, LONG, progress.onProgress);
    let experimentSettled = false;
    void pending.promise.then(() => (experimentSettled = true));
    await progress.running;
    for (const gamma of [0.5, 1, 2, 3]) {
      const r = await curves(main, gamma);
      assert.equal(r.status, 'ok');
      assert.ok(r.status === 'ok' && r.result.params.gamma === gamma);
    }
    assert.equal(experimentSettled, false, 'the four curves came back while the experiment was still training');
    pending.cancel();
    assert.equal((await pending.promise).status, 'cancelled');
  });

  it('after a cancel the experiment worker takes the next request', async () => {
    const progress = started();
    const long = experiment(experiments, LONG, progress.onProgress);
    await progress.running;
    long.cancel();
    const next = await curves(experiments, 2);
    assert.equal(next.status, 'ok');
  });

  it('returns the cached runs of a repeated experiment: the same runs, with the time they first took', async () => {
    const first = await experiment(experiments, SHORT).promise;
    const again = await experiment(experiments, SHORT).promise;
    assert.ok(first.status === 'ok' && again.status === 'ok');
    if (first.status !== 'ok' || again.status !== 'ok') return;
    assert.equal(first.result.runs.length, 6, '3 losses × 2 seeds');
    assert.deepEqual(again.result.runs, first.result.runs);
    // A run trained again would have its own elapsed_ms; a cached one is the same object's.
    assert.deepEqual(
      again.result.runs.map((r) => r.elapsed_ms),
      first.result.runs.map((r) => r.elapsed_ms),
    );
  });

  it("a crash of the experiment worker fails the experiment and leaves the main worker's curves alone", async () => {
    const progress = started();
    const pending = experiment(experiments, LONG, progress.onProgress);
    await progress.running;
    await experiments.simulateCrash();
    const r = await pending.promise;
    assert.ok(r.status === 'failed' && /restarted/.test(r.message), JSON.stringify(r));
    assert.equal((await curves(main, 1)).status, 'ok');
    assert.equal(main.restartCount, 0);
    assert.equal(await experiments.ready(), 'wasm');
  });
});
