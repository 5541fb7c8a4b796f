/**
 * The host side of the panel's batch views, against a fake worker: a result is posted and
 * reposted to a reloaded webview, a failure is posted as a failure (so the panel marks the last
 * views stale), an answer to a superseded request is dropped, and another loss keeps nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PanelBatch } from '../../../src/extension/panelBatch';
import type { BatchViewsResult, HostToPanel } from '../../../src/protocol';
import type { Outcome, PendingRequest, RequestOf, WorkerClient } from '../../../src/worker/client';

type Request = RequestOf<'batch'>;

/** Records requests; each is answered when the test says so. */
function fakeWorker(): { worker: WorkerClient; requests: { request: Request; answer(o: Outcome<BatchViewsResult>): void }[] } {
  const requests: { request: Request; answer(o: Outcome<BatchViewsResult>): void }[] = [];
  const worker = {
    request(request: Request): PendingRequest<BatchViewsResult> {
      let answer: (o: Outcome<BatchViewsResult>) => void = () => undefined;
      const promise = new Promise<Outcome<BatchViewsResult>>((resolve) => (answer = resolve));
      requests.push({ request, answer });
      return { id: requests.length, promise, cancel: () => answer({ status: 'cancelled' }) };
    },
  } as unknown as WorkerClient;
  return { worker, requests };
}

const subject = { text: 'size B = 2\n@shape z: [B, 2]\nf(z) = mean(z)', loss: 'f', params: {} };
const result = (value: number) => ({ loss: 'f', value }) as unknown as BatchViewsResult;
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('PanelBatch', () => {
  it('posts a result under its own view, and again when the webview reloads', async () => {
    const { worker, requests } = fakeWorker();
    const posted: HostToPanel[] = [];
    const batch = new PanelBatch(worker, (m) => posted.push(m));
    batch.request(subject);
    assert.equal(requests[0]?.request.view, 'panel-batch');
    requests[0]?.answer({ status: 'ok', result: result(1) });
    await settled();
    batch.repost();
    assert.deepEqual(posted, [
      { type: 'batch', batch: { result: result(1) } },
      { type: 'batch', batch: { result: result(1) } },
    ]);
  });

  it('a failed evaluation is posted as a failure with its message, not left unsaid', async () => {
    const { worker, requests } = fakeWorker();
    const posted: HostToPanel[] = [];
    new PanelBatch(worker, (m) => posted.push(m)).request(subject);
    requests[0]?.answer({ status: 'failed', message: "unknown name 'tua'" });
    await settled();
    assert.deepEqual(posted, [{ type: 'batch', batch: { failed: "unknown name 'tua'" } }]);
  });

  it('drops the answer to a superseded request, and keeps nothing of a loss no longer shown', async () => {
    const { worker, requests } = fakeWorker();
    const posted: HostToPanel[] = [];
    const batch = new PanelBatch(worker, (m) => posted.push(m));
    batch.request(subject);
    batch.request({ ...subject, params: { tau: 2 } });
    requests[0]?.answer({ status: 'ok', result: result(1) });
    requests[1]?.answer({ status: 'ok', result: result(2) });
    await settled();
    assert.deepEqual(posted, [{ type: 'batch', batch: { result: result(2) } }]);
    batch.reset();
    batch.repost();
    assert.equal(posted.length, 1);
  });
});
