/** The panel state with a landscape: kept while the same loss is edited, dropped for another. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LandscapeResult, LossSummary } from '../../../src/protocol';
import { applyHostMessage, EMPTY_STATE, isHostToPanel } from '../../../webview/state';

const focal = {
  name: 'focal',
  kind: 'probability',
  inputs: [],
  params: [],
  classes: 2,
  range: { startLine: 7, startColumn: 0, endLine: 7, endColumn: 5 },
} as unknown as LossSummary;
const result = { loss: 'focal', resolution: 8, value: new Float32Array(64) } as unknown as LandscapeResult;

describe('the panel state with a landscape', () => {
  it('stores the landscape the host sends and recognises the message', () => {
    assert.equal(isHostToPanel({ type: 'landscape', result }), true);
    assert.equal(isHostToPanel({ type: 'landscape' }), false);
    assert.equal(applyHostMessage(EMPTY_STATE, { type: 'landscape', result }).landscape, result);
  });

  it('keeps it while the same loss is re-sent, and drops it for another loss', () => {
    const shown = applyHostMessage(applyHostMessage(EMPTY_STATE, { type: 'loss', uri: 'file:///a.loss', loss: focal, params: {} }), {
      type: 'landscape',
      result,
    });
    assert.equal(applyHostMessage(shown, { type: 'loss', uri: 'file:///a.loss', loss: focal, params: {} }).landscape, result);
    assert.equal(applyHostMessage(shown, { type: 'loss', uri: 'file:///a.loss', loss: { ...focal, name: 'other' }, params: {} }).landscape, undefined);
  });
});
