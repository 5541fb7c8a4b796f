/**
 * The `losslab.limits.*` settings as the worker receives them (`WorkerOptions.limits`): each limit
 * is applied by the built worker and its message names the limit and the setting.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ExperimentSetupInput } from '../../src/protocol';
import { WorkerClient } from '../../src/worker/client';

const ROOT = join(__dirname, '..', '..');
const WORKER = join(ROOT, 'dist', 'worker.js');
const FOCAL = readFileSync(join(ROOT, 'examples', 'focal.loss'), 'utf8');
const CROSS_ENTROPY = 'cross_entropy(s, y) = logsumexp(s) - s[y]\n';

describe('limits set for the worker', () => {
  const client = new WorkerClient(WORKER, {
    limits: { astDepth: 16, lineLength: 200, curvePoints: 100, landscapeResolution: 11, checkSeconds: 0.001, experimentSeconds: 0.001 },
  });
  after(() => client.dispose());
  const experiment = (setup: ExperimentSetupInput) =>
    client.request<'experiment'>({ type: 'experiment', view: 'x', text: CROSS_ENTROPY, loss: 'cross_entropy', params: {}, setup }).promise;

  it('language limits apply to diagnostics: nesting deeper than astDepth 16 names losslab.limits.astDepth', async () => {
    const r = await client.request<'analyze'>({ type: 'analyze', view: 'a', text: `f(z) = ${'('.repeat(20)}z${')'.repeat(20)}\n` }).promise;
    assert.equal(r.status, 'ok');
    const d = r.status === 'ok' ? r.result.diagnostics[0] : undefined;
    assert.equal(d?.code, 'limit-astDepth');
    assert.match(d?.message ?? '', /nesting deeper than 16 \(limit losslab\.limits\.astDepth\)/);
  });

  it('language limits apply to evaluation: a line over lineLength fails the request with the diagnostic', async () => {
    const text = `f(z) = z${' + z'.repeat(60)}\n`;
    const r = await client.request<'point'>({ type: 'point', view: 'p', text, loss: 'f', params: {}, at: { z: 1 } }).promise;
    assert.ok(r.status === 'failed' && /limit losslab\.limits\.lineLength/.test(r.message), JSON.stringify(r));
  });

  it('a curve of more points than curvePoints fails naming losslab.limits.curvePoints; one within it is drawn', async () => {
    const over = await client.request<'curves'>({ type: 'curves', view: 'c', text: FOCAL, loss: 'focal', params: {}, points: 101 }).promise;
    assert.ok(over.status === 'failed' && over.message === 'a curve of 101 points is more than 100 (limit losslab.limits.curvePoints)', JSON.stringify(over));
    const within = await client.request<'curves'>({ type: 'curves', view: 'c', text: FOCAL, loss: 'focal', params: {}, points: 100 }).promise;
    assert.ok(within.status === 'ok' && within.result.curves[0]?.value.length === 100, JSON.stringify(within).slice(0, 300));
  });

  it('a check run over checkSeconds stops and fails naming losslab.limits.checkSeconds, without hanging', async () => {
    const r = await client.request<'check'>({ type: 'check', view: 'k', text: CROSS_ENTROPY, loss: 'cross_entropy', params: {} }).promise;
    assert.ok(r.status === 'failed', r.status);
    assert.equal(r.message, "the checks of 'cross_entropy' stopped: over the time budget of 0.001 s (limit losslab.limits.checkSeconds)");
  });

  it('an experiment over experimentSeconds stops and fails naming losslab.limits.experimentSeconds', async () => {
    const r = await experiment({ epochs: 200, points: 200, seeds: [1] });
    assert.ok(
      r.status === 'failed' && /over the time budget of 0\.001 s \(limit losslab\.limits\.experimentSeconds\)$/.test(r.message),
      JSON.stringify(r).slice(0, 300),
    );
  });

  it('a landscape finer than landscapeResolution is refused before training, naming the setting', async () => {
    const r = await experiment({ landscape: true, resolution: 41 });
    assert.ok(r.status === 'failed' && r.message === 'a landscape of 41×41 points is finer than 11 per axis (limit losslab.limits.landscapeResolution)');
  });
});
