/**
 * The boundary checks of `src/protocol.ts`: what the webview and the worker may send. A message
 * the host would act on wrongly must be dropped here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXPORT_LIMITS, isPanelToHost, isWorkerMessage } from '../../src/protocol';

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

describe('isPanelToHost: setLandscape', () => {
  it('accepts two different axis names, a vector entry among them, and a resolution in 8..256', () => {
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'p', y: 'gamma', resolution: 128 }), true);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 't', y: 's[2]', resolution: 8 }), true);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'yhat', y: 'y', resolution: 256 }), true);
  });
  it("accepts two entries of a batch loss's tensor (z1[1, 2], a rank-3 entry), as the landscape names them", () => {
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'z1[1, 2]', y: 'z1[8, 16]', resolution: 64 }), true);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'x[1, 2, 3]', y: 'tau', resolution: 64 }), true);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'z1[1,2]', y: 'tau', resolution: 64 }), false);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'z1[0, 2]', y: 'tau', resolution: 64 }), false);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'x[1, 2, 3, 4]', y: 'tau', resolution: 64 }), false);
  });
  it('rejects the same axis twice, odd names, and resolutions out of range or fractional', () => {
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'p', y: 'p', resolution: 64 }), false);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'p', y: 'gamma; rm', resolution: 64 }), false);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'p', y: 's[0]', resolution: 64 }), false);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'p', resolution: 64 }), false);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'p', y: 'gamma', resolution: 4 }), false);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'p', y: 'gamma', resolution: 512 }), false);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'p', y: 'gamma', resolution: 64.5 }), false);
    assert.equal(isPanelToHost({ type: 'setLandscape', x: 'p', y: 'gamma', resolution: '64' }), false);
  });
});

describe('isPanelToHost: the experiment form (issue 9)', () => {
  const setup = { dataset: 'blobs', classes: 3, points: 2000, noise: 0.4, imbalance: 10, model: 'mlp', hidden: [16, 16], seeds: [1, 2, 3], landscape: true };
  it('accepts a run with a setup within the bounds and distinct loss names', () => {
    assert.equal(isPanelToHost({ type: 'runExperiment', setup, with: ['focal_softmax', 'gce'] }), true);
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: {}, with: [] }), true);
  });
  it('rejects a number out of its bounds, a wrong type or an unknown field', () => {
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, noise: 1 } }), false, 'noise is a rate in [0, 1)');
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, points: 1e9 } }), false, 'points above the core limit');
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, epochs: 2.5 } }), false, 'epochs are whole');
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, lr: Number.NaN } }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, lr: '0.1' } }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, resolution: 1001 } }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, script: 'x' } }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: [] }), false);
  });
  it('rejects a name outside the enums and lists of the wrong length', () => {
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, dataset: 'mnist' } }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, noiseType: 'pair' } }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, hidden: [16, 16, 16] } }), false, 'one or two hidden layers');
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, hidden: [] } }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, seeds: [] } }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: { ...setup, seeds: Array.from({ length: 101 }, (_, i) => i) } }), false);
  });
  it('rejects a comparison that is not a short list of distinct loss names', () => {
    assert.equal(isPanelToHost({ type: 'runExperiment', with: ['gce', 'gce'] }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', with: ['../x'] }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', with: 'gce' }), false);
    assert.equal(isPanelToHost({ type: 'runExperiment', with: Array.from({ length: 33 }, (_, i) => `l${i}`) }), false);
  });
  it('accepts cancelExperiment alone', () => {
    assert.equal(isPanelToHost({ type: 'cancelExperiment' }), true);
    assert.equal(isPanelToHost({ type: 'cancelExperiment', id: 3 }), false);
  });
});

describe('isPanelToHost: comparison, exports and the pin', () => {
  it('accepts a comparison by id and a compared parameter by name', () => {
    assert.equal(isPanelToHost({ type: 'compareWith', id: 'library:hinge' }), true);
    assert.equal(isPanelToHost({ type: 'compareWith', id: '' }), false);
    assert.equal(isPanelToHost({ type: 'compareWith', id: 'x'.repeat(5000) }), false);
    assert.equal(isPanelToHost({ type: 'setCompareParam', name: 'gamma', value: 1 }), true);
    assert.equal(isPanelToHost({ type: 'setCompareParam', name: 'gamma', value: Number.NaN }), false);
    assert.equal(isPanelToHost({ type: 'clearCompare' }), true);
    assert.equal(isPanelToHost({ type: 'clearCompare', id: 'x' }), false);
  });

  it('accepts a PNG only as a base64 PNG data URL, and a file name without a path', () => {
    const png = { type: 'saveFile', format: 'png', name: 'focal-value', data: 'data:image/png;base64,iVBORw0KGgo=' };
    assert.equal(isPanelToHost(png), true);
    assert.equal(isPanelToHost({ ...png, data: 'data:text/html;base64,PGI+' }), false);
    assert.equal(isPanelToHost({ ...png, name: '../../etc/passwd' }), false);
    assert.equal(isPanelToHost({ ...png, name: '.bashrc' }), false);
    assert.equal(isPanelToHost({ ...png, format: 'exe' }), false);
  });

  it('accepts SVG and CSV text up to the size limit', () => {
    assert.equal(isPanelToHost({ type: 'saveFile', format: 'svg', name: 'a', data: '<svg xmlns="http://www.w3.org/2000/svg"/>' }), true);
    assert.equal(isPanelToHost({ type: 'saveFile', format: 'svg', name: 'a', data: '<script>' }), false);
    assert.equal(isPanelToHost({ type: 'saveFile', format: 'csv', name: 'a', data: 'x,y\r\n' }), true);
    assert.equal(isPanelToHost({ type: 'saveFile', format: 'csv', name: 'a', data: 'x'.repeat(EXPORT_LIMITS.fileChars + 1) }), false);
  });

  it('accepts text to copy up to its limit, and the pin as a boolean', () => {
    assert.equal(isPanelToHost({ type: 'copyText', text: '\\frac{a}{b}' }), true);
    assert.equal(isPanelToHost({ type: 'copyText', text: 'x'.repeat(EXPORT_LIMITS.clipboardChars + 1) }), false);
    assert.equal(isPanelToHost({ type: 'setPinned', pinned: true }), true);
    assert.equal(isPanelToHost({ type: 'setPinned', pinned: 'yes' }), false);
  });
});

describe('isPanelToHost: the direction of multiclass curves', () => {
  it('accepts margin, rival and logit:k', () => {
    for (const direction of ['margin', 'rival', 'logit:1', 'logit:4']) assert.equal(isPanelToHost({ type: 'setDirection', direction }), true, direction);
  });

  it('rejects other directions, a missing one and extra fields', () => {
    for (const direction of ['', 'logit:0', 'logit:x', 'logit 2', 'MARGIN', 2, null])
      assert.equal(isPanelToHost({ type: 'setDirection', direction }), false, String(direction));
    assert.equal(isPanelToHost({ type: 'setDirection' }), false);
    assert.equal(isPanelToHost({ type: 'setDirection', direction: 'rival', loss: 'ce' }), false);
  });
});
