/**
 * The panel's batch views apart from drawing: the diverging scale (zero in the middle, the
 * largest |gradient| at the ends), the index ticks, the captions that say which matrix the
 * heatmap is the gradient of and how the bars make the loss, and the state kept when the newest
 * evaluation fails (the last views stay, marked by the failure).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchViewsResult } from '../../../src/protocol';
import { divergingColour, divergingScale, indexTicks, nonFiniteNote, pairsCaption, samplesCaption } from '../../../webview/batchScale';
import { applyHostMessage, EMPTY_STATE, isHostToPanel } from '../../../webview/state';

const BATCH = { name: 'B', size: 2 };
const RESULT: BatchViewsResult = {
  loss: 'infonce',
  backend: 'cpu',
  params: { tau: 1 },
  batch: BATCH,
  value: 0.5,
  samples: { ok: true, reduction: 'mean', values: [0.25, 0.75], offset: 0 },
  pairs: { of: 'local', name: 'S', latex: 'S', rows: 2, cols: 2, rowLabel: 'anchor i', colLabel: 'candidate j', values: [-0.2, 0.2, 0.1, -0.1] },
  elapsedMs: 1,
};
const LOSS = { name: 'infonce', kind: 'batch', inputs: [], params: [], classes: 2, range: { startLine: 0, startColumn: 0, endLine: 0, endColumn: 1 } } as const;

describe('the batch views', () => {
  it('a diverging scale: symmetric about zero, bounded by the largest finite |value|, NaN left out', () => {
    const scale = divergingScale([-0.5, 0.25, Number.NaN, Infinity]);
    assert.equal(scale.bound, 0.5);
    assert.deepEqual([scale.unit(-0.5), scale.unit(0), scale.unit(0.25)], [-1, 0, 0.5]);
    assert.equal(scale.unit(Number.NaN), undefined);
    assert.equal(divergingScale([0, 0]).bound, 1);
  });

  it('colours: the mid colour at zero, each end colour at its sign', () => {
    const [low, mid, high] = [
      [0, 0, 255],
      [30, 30, 30],
      [255, 0, 0],
    ] as const;
    assert.deepEqual(divergingColour(0, low, mid, high), mid);
    assert.deepEqual(divergingColour(-1, low, mid, high), low);
    assert.deepEqual(divergingColour(1, low, mid, high), high);
    assert.deepEqual(divergingColour(0.5, low, mid, high), [142.5, 15, 15]);
  });

  it('ticks every index of a small batch, and 1, n and round steps of a large one', () => {
    assert.deepEqual(indexTicks(8), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(indexTicks(64), [1, 8, 16, 24, 32, 40, 48, 56, 64]);
  });

  it('captions say which matrix the heatmap is of, and how the bars make the loss', () => {
    assert.match(pairsCaption(RESULT.pairs, BATCH), /∂L\/∂S_ij.*where line.*anchor.*candidate/);
    assert.match(pairsCaption({ ...RESULT.pairs, of: 'intermediate', name: 'z_1 z_2^T' }, BATCH), /first B × B value the loss reads/);
    assert.match(pairsCaption({ ...RESULT.pairs, of: 'input', name: 'z1', cols: 16 }, BATCH), /^no B × B matrix in the loss: ∂L\/∂z1.*2 × 16/);
    assert.match(samplesCaption(RESULT.samples, 0.5, BATCH), /L = mean_i l_i = 0\.5/);
    assert.match(samplesCaption({ ok: true, reduction: 'sum', values: [1, 2], offset: 3 }, 6, BATCH), /Σ_i c_i \+ 3 = 6/);
    assert.equal(
      samplesCaption({ ok: false, reason: "the loss's outermost step is logsumexp" }, 1, BATCH),
      "No per-sample bars: the loss's outermost step is logsumexp.",
    );
    assert.equal(nonFiniteNote([1, Number.NaN], 'per-sample values'), '1 of 2 per-sample values are not finite (left blank).');
    assert.equal(nonFiniteNote([1, 2], 'per-sample values'), '');
  });

  it('a failed evaluation keeps the last views and says why; a new result clears it; another loss drops both', () => {
    assert.equal(isHostToPanel({ type: 'batch', batch: { result: RESULT } }), true);
    assert.equal(isHostToPanel({ type: 'batch' }), false);
    const shown = applyHostMessage(applyHostMessage(EMPTY_STATE, { type: 'loss', uri: 'file:///c.loss', loss: LOSS, params: {} }), {
      type: 'batch',
      batch: { result: RESULT },
    });
    const failed = applyHostMessage(shown, { type: 'batch', batch: { failed: 'line 3: unknown name' } });
    assert.equal(failed.batch, RESULT);
    assert.equal(failed.batchFailed, 'line 3: unknown name');
    assert.equal(applyHostMessage(failed, { type: 'batch', batch: { result: RESULT } }).batchFailed, undefined);
    const other = applyHostMessage(failed, { type: 'loss', uri: 'file:///c.loss', loss: { ...LOSS, name: 'clip_loss' }, params: {} });
    assert.equal(other.batch, undefined);
    assert.equal(other.batchFailed, undefined);
  });
});
