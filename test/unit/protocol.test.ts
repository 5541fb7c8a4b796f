/**
 * The boundary checks of `src/protocol.ts`: what the webview and the worker may send. A message
 * the host would act on wrongly must be dropped here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPanelToHost, isWorkerMessage } from '../../src/protocol';

describe('isPanelToHost', () => {
  it('accepts runExperiment alone and rejects it with extra fields', () => {
    assert.equal(isPanelToHost({ type: 'runExperiment' }), true);
    assert.equal(isPanelToHost({ type: 'runExperiment', loss: 'mae' }), false);
  });
});

describe('isWorkerMessage', () => {
  const progress = { type: 'progress', id: 1, fraction: 0.5, message: 'epoch 10 of 300' };
  it('accepts progress with or without a live training curve', () => {
    assert.equal(isWorkerMessage(progress), true);
    assert.equal(isWorkerMessage({ ...progress, live: { loss: 'mae', seed: 1, train_loss: [1.2, 0.9] } }), true);
  });
  it('rejects progress whose live curve is not one', () => {
    assert.equal(isWorkerMessage({ ...progress, live: { loss: 'mae', seed: 1 } }), false);
    assert.equal(isWorkerMessage({ ...progress, live: 'curve' }), false);
  });
});
