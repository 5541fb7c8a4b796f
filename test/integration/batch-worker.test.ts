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

  it('draws a landscape over two entries, and over an entry against the temperature', async () => {
    for (const [x, y] of [
      [undefined, undefined],
      ['z1[1, 2]', 'tau'],
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
    }
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
