/**
 * The host side of the panel's landscape, against a fake worker: coarse while a slider moves,
 * the full resolution once it rests or is let go, stale answers dropped, a chosen axis that an
 * edit removed given up for the loss's default pair. Timers are node:test's mock timers.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { DEFAULT_RESOLUTION, DRAG_RESOLUTION, PanelLandscape } from '../../../src/extension/panelLandscape';
import type { HostToPanel, LandscapeResult } from '../../../src/protocol';
import type { Outcome, PendingRequest, RequestOf, WorkerClient } from '../../../src/worker/client';

type Request = RequestOf<'landscape'>;

/** Records requests; each is answered when the test says so. */
function fakeWorker(): { worker: WorkerClient; requests: { request: Request; answer(o: Outcome<LandscapeResult>): void; cancelled: boolean }[] } {
  const requests: { request: Request; answer(o: Outcome<LandscapeResult>): void; cancelled: boolean }[] = [];
  const worker = {
    request(request: Request): PendingRequest<LandscapeResult> {
      let answer: (o: Outcome<LandscapeResult>) => void = () => undefined;
      const promise = new Promise<Outcome<LandscapeResult>>((resolve) => (answer = resolve));
      const entry = { request, answer, cancelled: false };
      requests.push(entry);
      return { id: requests.length, promise, cancel: () => (entry.cancelled = true) };
    },
  } as unknown as WorkerClient;
  return { worker, requests };
}

const subject = { text: 'param gamma = 2 in [0, 5]\nfocal(p) = -(1 - p)^gamma * log(p)', loss: 'focal', params: { gamma: 2 } };
const result = (resolution: number) => ({ loss: 'focal', resolution }) as unknown as LandscapeResult;
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('PanelLandscape', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('asks at full resolution, with the default axes, when nothing is dragged', () => {
    const { worker, requests } = fakeWorker();
    new PanelLandscape(worker, () => undefined).request(subject);
    assert.equal(requests[0]?.request.resolution, DEFAULT_RESOLUTION);
    assert.equal(requests[0]?.request.x, undefined);
    assert.equal(requests[0]?.request.view, 'panel-landscape');
  });

  it('asks for a coarse grid while a slider moves, and the full one once it rests', () => {
    const { worker, requests } = fakeWorker();
    const landscape = new PanelLandscape(worker, () => undefined);
    for (const gamma of [1.9, 1.8, 1.7]) {
      landscape.dragged();
      landscape.request({ ...subject, params: { gamma } });
    }
    assert.deepEqual(
      requests.map((r) => r.request.resolution),
      [DRAG_RESOLUTION, DRAG_RESOLUTION, DRAG_RESOLUTION],
    );
    mock.timers.tick(1000);
    assert.equal(requests.length, 4);
    assert.equal(requests[3]?.request.resolution, DEFAULT_RESOLUTION);
    assert.deepEqual(requests[3]?.request.params, { gamma: 1.7 });
  });

  it('a slider let go (setLandscape) asks for the full resolution at once, with the chosen axes', () => {
    const { worker, requests } = fakeWorker();
    const landscape = new PanelLandscape(worker, () => undefined);
    landscape.dragged();
    landscape.request(subject);
    landscape.choose('p', 'gamma', 64);
    assert.equal(requests.length, 2);
    assert.deepEqual([requests[1]?.request.x, requests[1]?.request.y, requests[1]?.request.resolution], ['p', 'gamma', 64]);
    mock.timers.tick(1000);
    assert.equal(requests.length, 2, 'no second full-resolution request after the pause');
  });

  it('posts only the newest answer', async () => {
    const { worker, requests } = fakeWorker();
    const posted: HostToPanel[] = [];
    const landscape = new PanelLandscape(worker, (m) => posted.push(m));
    landscape.request(subject);
    landscape.request({ ...subject, params: { gamma: 3 } });
    requests[1]?.answer({ status: 'ok', result: result(128) });
    requests[0]?.answer({ status: 'ok', result: result(127) });
    await settled();
    assert.deepEqual(
      posted.map((m) => (m.type === 'landscape' ? m.result.resolution : m.type)),
      [128],
    );
  });

  it('gives up chosen axes that the loss no longer has, and asks again with its defaults', async () => {
    const { worker, requests } = fakeWorker();
    const landscape = new PanelLandscape(worker, () => undefined);
    landscape.request(subject);
    landscape.choose('p', 'beta', 128);
    requests[1]?.answer({ status: 'failed', message: "'focal' has no landscape axis 'beta'" });
    await settled();
    assert.equal(requests.length, 3);
    assert.equal(requests[2]?.request.y, undefined);
    // A loss that does not parse fails again: not retried forever.
    requests[2]?.answer({ status: 'failed', message: 'the loss has errors' });
    await settled();
    assert.equal(requests.length, 3);
  });

  it('reset cancels the request in flight and forgets the axes', () => {
    const { worker, requests } = fakeWorker();
    const landscape = new PanelLandscape(worker, () => undefined);
    landscape.request(subject);
    landscape.choose('p', 'gamma', 128);
    landscape.reset();
    assert.equal(requests[1]?.cancelled, true);
    landscape.request(subject);
    assert.equal(requests[2]?.request.x, undefined);
  });
});
