/** The worker behind its typed protocol: answers, supersedes stale requests, survives crashes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WorkerClient } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const FOCAL = readFileSync(join(ROOT, 'examples', 'focal.loss'), 'utf8');

describe('the worker', () => {
  const crashes: string[] = [];
  const client = new WorkerClient(WORKER, {}, { onCrash: (m) => crashes.push(m) });
  after(() => client.dispose());

  it('starts a backend and says which', async () => {
    assert.equal(await client.ready(), 'wasm');
  });

  it('analyzes a document: losses with their ranges, and diagnostics', async () => {
    const r = await client.request<'analyze'>({ type: 'analyze', view: 'analyze', text: `${FOCAL}\nbad(z) = sigmod(z)\n` }).promise;
    assert.equal(r.status, 'ok');
    if (r.status !== 'ok') return;
    assert.deepEqual(
      r.result.losses.map((l) => l.name),
      ['focal', 'focal_logit'],
    );
    assert.equal(r.result.losses[0]?.range.startLine, 7);
    assert.equal(r.result.diagnostics[0]?.code, 'unknown-function');
  });

  it('computes curves with value, first and second derivative', async () => {
    const r = await client.request<'curves'>({ type: 'curves', view: 'panel', text: FOCAL, loss: 'focal', params: { gamma: 1 }, points: 50 }).promise;
    assert.equal(r.status, 'ok');
    if (r.status !== 'ok') return;
    const [c] = r.result.curves;
    assert.equal(c?.value.length, 50);
    assert.equal(r.result.params.gamma, 1);
    assert.match(r.result.latex.formula, /\\log/);
  });

  it('answers only the newest request of a view; the stale ones are cancelled', async () => {
    const pending = Array.from({ length: 20 }, (_, i) =>
      client.request<'curves'>({ type: 'curves', view: 'drag', text: FOCAL, loss: 'focal', params: { gamma: i / 5 }, points: 2048 }),
    );
    const outcomes = await Promise.all(pending.map((p) => p.promise));
    assert.deepEqual(
      outcomes.map((o) => o.status),
      [...Array<string>(19).fill('cancelled'), 'ok'],
    );
    const last = outcomes[19];
    assert.ok(last?.status === 'ok' && last.result.params.gamma === 19 / 5);
  });

  it('cancels a running check on request', async () => {
    const p = client.request<'check'>({ type: 'check', view: 'check', text: FOCAL, loss: 'focal', params: {} });
    p.cancel();
    assert.equal((await p.promise).status, 'cancelled');
  });

  it('fails a request for a broken document with its diagnostics, and keeps serving', async () => {
    const r = await client.request<'curves'>({ type: 'curves', view: 'broken', text: 'f(z) = (1 +', loss: 'f', params: {}, points: 10 }).promise;
    assert.equal(r.status, 'failed');
    assert.ok(r.status === 'failed' && r.diagnostics?.[0]?.code === 'syntax');
  });

  it('restarts after a crash, fails the request in flight with a message, and answers again', async () => {
    const inFlight = client.request<'check'>({ type: 'check', view: 'crash', text: FOCAL, loss: 'focal', params: {} });
    await client.simulateCrash();
    const r = await inFlight.promise;
    assert.equal(r.status, 'failed');
    assert.ok(r.status === 'failed' && /restarted/.test(r.message));
    assert.equal(crashes.length, 1);
    assert.equal(client.restartCount, 1);
    assert.equal(await client.ready(), 'wasm');
    const again = await client.request<'point'>({ type: 'point', view: 'after', text: FOCAL, loss: 'focal', params: {}, at: { p: 0.3 } }).promise;
    assert.equal(again.status, 'ok');
  });
});
