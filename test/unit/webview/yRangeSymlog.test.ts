/**
 * The symmetric log scale's threshold and the unclipped range it is drawn over.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fullRange, symlogThreshold } from '../../../webview/yRange';

describe('symlogThreshold', () => {
  it('is the 10th percentile of the nonzero |y|, down to a power of ten', () => {
    // The nonzero |y| sorted: 0.03, 0.04, 2, ...; the 10th percentile of 10 values (nearest rank,
    // index round(0.1 * 9) = 1) is 0.04, down to a power of ten 0.01.
    const ys = [0, -0.03, 0.04, 2, -3, 4, 5, 6, 7, 8, 9];
    assert.equal(symlogThreshold([ys]), 0.01);
  });

  it('is 1 for a curve of zeros and gaps', () => {
    assert.equal(symlogThreshold([[0, null, 0]]), 1);
  });
});

describe('fullRange', () => {
  it('keeps the extremes that the linear view clips', () => {
    const ys = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1e6];
    assert.deepEqual(fullRange([ys]), { min: 1, max: 1e6, clipped: false });
  });
});
