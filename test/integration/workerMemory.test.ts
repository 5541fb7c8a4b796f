/**
 * The worker's memory over a long session, through its `memory` request (the diagnostics
 * command's source): the live tensor count is back to where it was after hundreds of
 * evaluations and check runs, and its heap after a full collection grows by little.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { WorkerMemory } from '../../src/protocol';
import { WorkerClient } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const FOCAL = readFileSync(join(ROOT, 'examples', 'focal.loss'), 'utf8');
/** Collects garbage before each `memory` answer: the heap compared is live data only. */
const COLLECT = join(__dirname, 'fixtures', 'collectBeforeMemory.cjs');

describe('the worker over a long session', () => {
  const client = new WorkerClient(WORKER, {}, {}, { execArgv: ['--require', COLLECT] });
  after(() => client.dispose());

  const memory = async (): Promise<WorkerMemory> => {
    const r = await client.request<'memory'>({ type: 'memory', view: 'memory' }).promise;
    assert.equal(r.status, 'ok');
    return (r as { result: WorkerMemory }).result;
  };
  const session = async (rounds: number): Promise<void> => {
    for (let i = 0; i < rounds; i++) {
      const gamma = (i % 50) / 10;
      const c = await client.request<'curves'>({ type: 'curves', view: 'panel', text: FOCAL, loss: 'focal', params: { gamma }, points: 400 }).promise;
      assert.equal(c.status, 'ok');
      if (i % 50 === 0)
        assert.equal((await client.request<'check'>({ type: 'check', view: 'check', text: FOCAL, loss: 'focal', params: { gamma } }).promise).status, 'ok');
    }
  };

  it('keeps the tensor count flat and the heap nearly so over 500 curve requests and 10 check runs', async () => {
    await client.ready();
    await session(100); // warm-up: compiled programs and caches fill once
    const before = await memory();
    await session(500);
    const afterSession = await memory();
    const growthMb = (afterSession.heapUsedBytes - before.heapUsedBytes) / 2 ** 20;
    console.log(
      `worker memory: ${before.numTensors} -> ${afterSession.numTensors} tensors, heap ${(before.heapUsedBytes / 2 ** 20).toFixed(1)} -> ${(afterSession.heapUsedBytes / 2 ** 20).toFixed(1)} MB (${growthMb.toFixed(2)} MB)`,
    );
    assert.equal(afterSession.numTensors, before.numTensors);
    assert.equal(afterSession.numBytes, before.numBytes);
    assert.ok(growthMb < 2, `heap grew ${growthMb.toFixed(1)} MB`);
  });
});
