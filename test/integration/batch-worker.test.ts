/**
 * A batch loss through the worker, as the panel asks for it: analysis, curves and landscape
 * along its entries, a point, the checks (with the batch-order check), and the exports. None of
 * these may fail or crash the worker for a loss over tensors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WorkerClient } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const TEXT = readFileSync(join(ROOT, 'examples', 'contrastive.loss'), 'utf8');

describe('a batch loss in the worker', () => {
  const crashes: string[] = [];
  const client = new WorkerClient(WORKER, {}, { onCrash: (m) => crashes.push(m) });
  after(() => client.dispose());

  it('is analyzed as a batch loss, and its curves run along its first entry', async () => {
    const a = await client.request<'analyze'>({ type: 'analyze', view: 'analyze', text: TEXT }).promise;
    assert.equal(a.status, 'ok');
    if (a.status !== 'ok') return;
    assert.deepEqual(
      a.result.losses.map((l) => `${l.name}:${l.kind}`),
      ['infonce:batch', 'clip_loss:batch'],
    );
    const c = await client.request<'curves'>({ type: 'curves', view: 'panel', text: TEXT, loss: 'infonce', params: {}, points: 33 }).promise;
    assert.equal(c.status, 'ok', c.status === 'failed' ? c.message : '');
    if (c.status !== 'ok') return;
    assert.equal(c.result.axis.name, 'z1[1, 1]');
    assert.ok(c.result.curves[0]?.value.every(Number.isFinite));
  });

  it('draws a landscape over two entries, over an entry against the temperature, and along any two chosen entries', async () => {
    for (const [x, y] of [
      [undefined, undefined],
      ['z1[1, 2]', 'tau'],
      ['z1[3, 5]', 'z1[8, 16]'],
    ] as const) {
      const r = await client.request<'landscape'>({
        type: 'landscape',
        view: 'landscape',
        text: TEXT,
        loss: 'infonce',
        params: {},
        resolution: 16,
        ...(x !== undefined ? { x, y } : {}),
      }).promise;
      assert.equal(r.status, 'ok', r.status === 'failed' ? r.message : '');
      if (r.status !== 'ok') return;
      assert.equal(r.result.finite, 256);
      if (x !== undefined) assert.deepEqual([r.result.x?.name, r.result.y?.name], [x, y]);
    }
  });

  it('answers the batch views: a bar per sample that averages to the loss, and dL/dS over B x B', async () => {
    const r = await client.request<'batch'>({ type: 'batch', view: 'panel-batch', text: TEXT, loss: 'infonce', params: { tau: 0.5 } }).promise;
    assert.equal(r.status, 'ok', r.status === 'failed' ? r.message : '');
    if (r.status !== 'ok') return;
    const { samples, pairs, value } = r.result;
    assert.deepEqual([pairs.of, pairs.name, pairs.rows, pairs.cols], ['local', 'S', 8, 8]);
    assert.ok(samples.ok && samples.reduction === 'mean' && samples.values.length === 8);
    if (samples.ok) assert.ok(Math.abs(samples.values.reduce((a, b) => a + b, 0) / 8 - value) < 1e-5, 'L = mean_i l_i');
    // Each row of softmax(S_i) - e_i sums to 0: InfoNCE's pulls and pushes balance per anchor.
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(pairs.values.slice(8 * i, 8 * i + 8).reduce((a, b) => a + b, 0)) < 1e-6, `row ${i + 1}`);
  });

  it('runs every check that applies, the batch-order one among them', async () => {
    const r = await client.request<'check'>({ type: 'check', view: 'check', text: TEXT, loss: 'clip_loss', params: {} }).promise;
    assert.equal(r.status, 'ok', r.status === 'failed' ? r.message : '');
    if (r.status !== 'ok') return;
    const verdicts = Object.fromEntries(r.result.checks.map((c) => [c.id, c.verdict]));
    assert.equal(verdicts.gradient, 'pass');
    assert.equal(verdicts.stability, 'pass');
    assert.equal(verdicts.permutation, 'pass');
    assert.equal(crashes.length, 0);
  });
});
