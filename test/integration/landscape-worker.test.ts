/** The worker's `landscape` request: the grids arrive as Float32Array, and a newer one supersedes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WorkerClient } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const FOCAL = readFileSync(join(ROOT, 'examples', 'focal.loss'), 'utf8');

describe('the worker: landscape', () => {
  const client = new WorkerClient(WORKER, {});
  after(() => client.dispose());

  it("answers focal's p against gamma; the gamma = 0 row is alpha times cross-entropy", async () => {
    const r = await client.request<'landscape'>({
      type: 'landscape',
      view: 'panel-landscape',
      text: FOCAL,
      loss: 'focal',
      params: { alpha: 0.5 },
      resolution: 64,
    }).promise;
    assert.equal(r.status, 'ok');
    if (r.status !== 'ok') return;
    const { x, y, value, dx } = r.result;
    assert.ok(value instanceof Float32Array, 'the grid crosses the thread boundary as a typed array');
    assert.equal(value.length, 64 * 64);
    assert.equal(x?.name, 'p');
    assert.equal(y?.name, 'gamma');
    assert.equal(y?.values[0], 0);
    for (const i of [0, 10, 40, 63]) {
      const p = x?.values[i] as number;
      assert.ok(Math.abs((value[i] as number) + 0.5 * Math.log(p)) < 1e-5 * Math.max(1, -Math.log(p)), `value at p = ${p}`);
      assert.ok(Math.abs((dx[i] as number) + 0.5 / p) < 1e-5 * (0.5 / p), `d/dp at p = ${p}`);
    }
  });

  it('a newer landscape for the same view supersedes the queued ones', async () => {
    const pending = [1, 2, 3, 4, 5].map((k) =>
      client.request<'landscape'>({ type: 'landscape', view: 'drag', text: FOCAL, loss: 'focal', params: { alpha: k / 10 }, resolution: 128 }),
    );
    const outcomes = await Promise.all(pending.map((p) => p.promise));
    const last = outcomes[outcomes.length - 1];
    assert.equal(last?.status, 'ok');
    assert.ok(
      outcomes.slice(1, -1).every((o) => o.status === 'cancelled'),
      outcomes.map((o) => o.status).join(', '),
    );
  });

  it('refuses an axis the loss does not have, with the ones it has', async () => {
    const r = await client.request<'landscape'>({
      type: 'landscape',
      view: 'panel-landscape',
      text: FOCAL,
      loss: 'focal',
      params: {},
      x: 'p',
      y: 'beta',
      resolution: 32,
    }).promise;
    assert.equal(r.status, 'failed');
    assert.match(r.status === 'failed' ? r.message : '', /no landscape axis 'beta'/);
  });
});
