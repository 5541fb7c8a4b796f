/**
 * The worker computes with the fused WebAssembly kernels unless told otherwise, says so when it is
 * ready, and gives the same curves and check verdicts as TensorFlow.js alone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CheckReport, CurvesResult, KernelChoice } from '../../src/protocol';
import { WorkerClient } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const FOCAL = readFileSync(join(ROOT, 'examples', 'focal.loss'), 'utf8');

interface Started {
  readonly client: WorkerClient;
  readonly engine: Promise<string | undefined>;
  readonly notice: Promise<string | undefined>;
}

function started(kernels?: KernelChoice): Started {
  let resolve: (ready: { engine?: string | undefined; notice?: string | undefined }) => void = () => undefined;
  const ready = new Promise<{ engine?: string | undefined; notice?: string | undefined }>((r) => (resolve = r));
  const client = new WorkerClient(WORKER, kernels ? { kernels } : {}, { onReady: (_b, notice, engine) => resolve({ engine, notice }) });
  return { client, engine: ready.then((r) => r.engine), notice: ready.then((r) => r.notice) };
}

async function curves(client: WorkerClient): Promise<CurvesResult> {
  const r = await client.request<'curves'>({ type: 'curves', view: 'c', text: FOCAL, loss: 'focal', params: { gamma: 2 }, points: 400 }).promise;
  assert.equal(r.status, 'ok');
  return (r as { result: CurvesResult }).result;
}

async function checks(client: WorkerClient): Promise<CheckReport> {
  const r = await client.request<'check'>({ type: 'check', view: 'k', text: FOCAL, loss: 'focal', params: {} }).promise;
  assert.equal(r.status, 'ok');
  return (r as { result: CheckReport }).result;
}

describe('the kernels the worker computes with', () => {
  const fused = started();
  const tfjs = started('tfjs');
  after(async () => {
    await fused.client.dispose();
    await tfjs.client.dispose();
  });

  it('are the fused WebAssembly kernels by default, TensorFlow.js when the setting says so', async () => {
    assert.match((await fused.engine) ?? '', /^fused-wasm \(\d+ threads?\)$/);
    assert.equal(await tfjs.engine, 'tfjs');
  });

  it('asked for WebGPU where the webgpu package is not installed: the WebAssembly kernels, and a notice why', async () => {
    const gpu = started('webgpu');
    try {
      assert.match((await gpu.engine) ?? '', /^fused-wasm/);
      assert.match((await gpu.notice) ?? '', /WebGPU kernels could not start \(the webgpu package \(Dawn for Node\) is not installed\)/);
    } finally {
      await gpu.client.dispose();
    }
  });

  it('give the same curves to float32 precision', async () => {
    const [a, b] = await Promise.all([curves(fused.client), curves(tfjs.client)]);
    const [ca, cb] = [a.curves[0], b.curves[0]];
    assert.ok(ca && cb);
    for (const key of ['value', 'first', 'second'] as const) {
      const x: readonly number[] = ca[key];
      const y: readonly number[] = cb[key];
      assert.equal(x.length, y.length);
      x.forEach((v, i) => {
        const w = y[i] as number;
        assert.ok(Math.abs(v - w) <= 1e-4 * Math.max(1, Math.abs(w)), `${key}[${i}]: ${v} vs ${w}`);
      });
    }
  });

  it('give the same check verdicts', async () => {
    const [a, b] = await Promise.all([checks(fused.client), checks(tfjs.client)]);
    assert.deepEqual(
      a.checks.map((c) => [c.id, c.verdict]),
      b.checks.map((c) => [c.id, c.verdict]),
    );
  });
});
