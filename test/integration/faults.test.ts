/**
 * Faults, driven through the real client and the built worker (`dist/worker.js`): a worker
 * killed in the middle of a check, one over its memory cap, a backend that cannot start and one
 * that breaks mid-session. In each the test process (standing in for the extension host) goes on,
 * the caller is told, and the work run again gives the right answer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BackendName, CheckReport } from '../../src/protocol';
import { WorkerClient, type Outcome } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const INJECTOR = join(__dirname, 'fixtures', 'breakWasmKernels.cjs');

/**
 * Multiclass cross-entropy over 10 classes: its checks take about 180 ms on a 2-core machine, the
 * first progress message comes within 2 ms, so a kill on that message lands in the middle.
 */
const CROSS_ENTROPY = '@classes 10\ncross_entropy(s, y) = logsumexp(s) - s[y]\n';
const checkRequest = { type: 'check', view: 'check', text: CROSS_ENTROPY, loss: 'cross_entropy', params: {} } as const;
const bigCheckRequest = {
  type: 'check',
  view: 'check',
  text: '@classes 1000\ncross_entropy(s, y) = logsumexp(s) - s[y]\n',
  loss: 'cross_entropy',
  params: {},
} as const;

/** What theory says of cross-entropy (Zhang 2004; Ghosh, Kumar & Sastry 2017): the re-run must agree. */
const THEORY = { consistency: 'pass', shift: 'pass', convexity: 'pass', smoothness: 'pass', symmetry: 'fail', gradient: 'pass' } as const;

function verdicts(o: Outcome<CheckReport>): Record<string, string> {
  assert.equal(o.status, 'ok', o.status === 'failed' ? o.message : o.status);
  if (o.status !== 'ok') return {};
  return Object.fromEntries(o.result.checks.map((c) => [c.id, c.verdict]));
}

function assertTheory(v: Record<string, string>): void {
  for (const [id, verdict] of Object.entries(THEORY)) assert.equal(v[id], verdict, `${id} of cross-entropy`);
}

describe('a worker killed in the middle of a check', () => {
  const crashes: string[] = [];
  const client = new WorkerClient(WORKER, {}, { onCrash: (m) => crashes.push(m) });
  after(() => client.dispose());
  const KILLS = 5;

  it(`is restarted ${KILLS} times in a row, the caller is told each time, and the check re-run gives theory's verdicts`, async () => {
    await client.ready();
    const reference = verdicts(await client.request<'check'>(checkRequest).promise);
    assertTheory(reference);
    for (let kill = 1; kill <= KILLS; kill++) {
      let killed = false;
      // Killed on the first progress message: the first check has started, the others have not.
      const pending = client.request<'check'>(checkRequest, () => {
        if (killed) return;
        killed = true;
        void client.simulateCrash();
      });
      const lost = await pending.promise;
      assert.equal(lost.status, 'failed');
      assert.match(lost.status === 'failed' ? lost.message : '', /restarted, run the request again/);
      assert.equal(crashes.length, kill, 'onCrash told the caller');
      assert.equal(await client.ready(), 'wasm');
      assert.deepEqual(verdicts(await client.request<'check'>(checkRequest).promise), reference);
    }
    assert.equal(client.restartCount, KILLS);
    console.log(`kill test: ${KILLS} kills in the middle of a check, ${client.restartCount} restarts, every re-run equal to the first run`);
  });
});

describe('a worker over its memory cap (losslab.limits.workerMemoryMb)', () => {
  it('dies with ERR_WORKER_OUT_OF_MEMORY on a check too big for it; the caller is told the limit and the setting, and it restarts', async () => {
    const crashes: string[] = [];
    const readies: BackendName[] = [];
    // 40 MB holds the worker at rest (it starts at 25-odd MB) with room to spare, but not the
    // checks of a cross-entropy over 1,000 classes (their logit patterns and simplex grids).
    // No `--import tsx` in the thread (execArgv: []), as in the extension host.
    const client = new WorkerClient(
      WORKER,
      { limits: { workerMemoryMb: 40 } },
      { onCrash: (m) => crashes.push(m), onReady: (b) => readies.push(b) },
      { execArgv: [] },
    );
    try {
      assert.equal(await client.ready(), 'wasm');
      const r = await client.request<'check'>(bigCheckRequest).promise;
      assert.equal(r.status, 'failed');
      const expected = 'the worker ran out of memory (limit 40 MB, setting losslab.limits.workerMemoryMb)';
      assert.ok(r.status === 'failed' && r.message.startsWith(expected), JSON.stringify(r).slice(0, 300));
      assert.equal(crashes[0], expected);
      assert.equal(await client.ready(), 'wasm', 'restarted');
      assert.equal(client.restartCount, 1);
      const small = await client.request<'analyze'>({ type: 'analyze', view: 'a', text: CROSS_ENTROPY }).promise;
      assert.equal(small.status, 'ok', 'the restarted worker answers what fits');
    } finally {
      await client.dispose();
    }
  });

  it('is not restarted forever when it cannot even start: after 3 crashes before ready, requests fail with the reason', async () => {
    const crashes: string[] = [];
    const client = new WorkerClient(WORKER, { limits: { workerMemoryMb: 8 } }, { onCrash: (m) => crashes.push(m) }, { execArgv: [] });
    try {
      await new Promise<void>((resolve) => {
        const poll = (): void => void (crashes.length >= 4 ? resolve() : setImmediate(poll));
        poll();
      });
      assert.match(crashes[3] ?? '', /limit 8 MB, setting losslab\.limits\.workerMemoryMb.*not restarted/);
      assert.equal(client.restartCount, 3);
      assert.equal(client.givenUp, true);
      const r = await client.request<'analyze'>({ type: 'analyze', view: 'a', text: CROSS_ENTROPY }).promise;
      assert.ok(r.status === 'failed' && /not restarted/.test(r.message));
    } finally {
      await client.dispose();
    }
  });
});

describe('backends that fail', () => {
  it('one asked for that cannot start (tensorflow, not installed) falls back to wasm with a notice', async () => {
    const notices: (string | undefined)[] = [];
    const client = new WorkerClient(WORKER, { backend: 'tensorflow' }, { onReady: (_b, notice) => notices.push(notice) });
    try {
      assert.equal(await client.ready(), 'wasm');
      assert.match(notices[0] ?? '', /^the tensorflow backend could not start: .*tfjs-node.*; using wasm$/);
      assertTheory(verdicts(await client.request<'check'>(checkRequest).promise));
    } finally {
      await client.dispose();
    }
  });

  it('one that breaks mid-session (its kernels vanish): the job is retried on cpu, the host is told, the answer is right', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'losslab-fault-'));
    const trigger = join(dir, 'break-wasm');
    process.env.LOSSLAB_FAULT_TRIGGER = trigger;
    const readies: { backend: BackendName; notice?: string }[] = [];
    // TensorFlow.js alone: this is a fault of the tensor backend, which fused kernels would not meet.
    const client = new WorkerClient(
      WORKER,
      { kernels: 'tfjs' },
      { onReady: (backend, notice) => readies.push({ backend, ...(notice ? { notice } : {}) }) },
      { execArgv: ['--require', INJECTOR] },
    );
    try {
      assert.equal(await client.ready(), 'wasm');
      const before = verdicts(await client.request<'check'>(checkRequest).promise);
      assertTheory(before);
      writeFileSync(trigger, '');
      const broken = await client.request<'check'>(checkRequest).promise;
      assert.deepEqual(verdicts(broken), before);
      assert.equal(readies.length, 2);
      assert.equal(readies[1]?.backend, 'cpu');
      assert.match(readies[1]?.notice ?? '', /^the wasm backend failed mid-session \(Kernel '\w+' not registered for backend 'wasm'\); using cpu$/);
      assert.equal(client.restartCount, 0, 'the worker survived');
    } finally {
      delete process.env.LOSSLAB_FAULT_TRIGGER;
      await client.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
