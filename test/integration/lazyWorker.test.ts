/**
 * VS Code activates LossLab for every Python, TypeScript and Markdown file; the extension's
 * worker is lazy, so a file without a loss starts no thread. The first request starts it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WorkerClient } from '../../src/worker/client';

const WORKER = join(__dirname, '..', '..', 'dist', 'worker.js');

describe('a lazy worker client', () => {
  it('starts no thread until the first request, then answers it', async () => {
    let starts = 0;
    const client = new WorkerClient(WORKER, {}, { onStart: () => starts++ }, { lazy: true });
    try {
      assert.equal(client.started, false);
      client.restart({ kernels: 'tfjs' });
      assert.equal(client.started, false, 'a restart before any request only changes the options');
      assert.equal(starts, 0);
      const r = await client.request<'analyze'>({ type: 'analyze', view: 'a', text: 'sq(r) = r^2\n' }).promise;
      assert.equal(r.status, 'ok');
      assert.equal(client.started, true);
      assert.equal(starts, 1);
      const point = await client.request<'point'>({ type: 'point', view: 'p', text: 'sq(r) = r^2\n', loss: 'sq', params: {}, at: { r: 3 } }).promise;
      assert.ok(point.status === 'ok' && point.result.value === 9);
    } finally {
      await client.dispose();
    }
  });

  it('a restart after it started starts it again', async () => {
    let starts = 0;
    const client = new WorkerClient(WORKER, {}, { onStart: () => starts++ }, { lazy: true });
    try {
      await client.ready();
      client.restart({});
      assert.equal(starts, 2);
      await client.ready();
    } finally {
      await client.dispose();
    }
  });
});
