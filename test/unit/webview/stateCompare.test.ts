/**
 * The panel state with a comparison, the pin and the curves view: what the host's messages do,
 * and what another loss resets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ComparedCurves, LossSummary } from '../../../src/protocol';
import { DEFAULT_CURVES_VIEW, withCursor, withZoom } from '../../../webview/curvesView';
import { applyHostMessage, EMPTY_STATE, isHostToPanel, withCurvesView } from '../../../webview/state';

const range = { startLine: 0, startColumn: 0, endLine: 0, endColumn: 1 };
const loss = (name: string): LossSummary => ({ name, kind: 'margin', inputs: [], params: [], classes: 3, range }) as unknown as LossSummary;
const compare: ComparedCurves = { id: 'library:hinge', loss: 'hinge', source: 'library', params: [], values: {} };

describe('the panel state with a comparison', () => {
  const shown = applyHostMessage(EMPTY_STATE, { type: 'loss', uri: 'file:///a.loss', loss: loss('logistic'), params: {} });

  it('keeps the comparison and drops it on `compare: false`', () => {
    const compared = applyHostMessage(shown, { type: 'compare', compare });
    assert.equal(compared.compare, compare);
    assert.equal(applyHostMessage(compared, { type: 'compare', compare: false }).compare, undefined);
  });

  it('another loss drops the comparison, the candidates, the zoom and the cursor; the same loss keeps them', () => {
    const view = withCursor(withZoom(DEFAULT_CURVES_VIEW, [0, 1], [-4, 4]), 0.5);
    const before = withCurvesView(
      applyHostMessage(applyHostMessage(shown, { type: 'compare', compare }), {
        type: 'compareCandidates',
        candidates: [{ id: compare.id, loss: 'hinge', source: 'library', detail: 'classification' }],
      }),
      view,
    );
    const same = applyHostMessage(before, { type: 'loss', uri: 'file:///a.loss', loss: loss('logistic'), params: {} });
    assert.equal(same.compare, compare);
    assert.equal(same.curvesView, view);
    const other = applyHostMessage(before, { type: 'loss', uri: 'file:///a.loss', loss: loss('hinge'), params: {} });
    assert.equal(other.compare, undefined);
    assert.equal(other.compareCandidates, undefined);
    assert.deepEqual(other.curvesView, DEFAULT_CURVES_VIEW);
  });

  it('follows the pin', () => {
    assert.equal(applyHostMessage(shown, { type: 'pinned', pinned: true }).pinned, true);
  });

  it('recognises the new messages, `compare: false` included', () => {
    assert.equal(isHostToPanel({ type: 'compare', compare: false }), true);
    assert.equal(isHostToPanel({ type: 'pinned', pinned: false }), true);
    assert.equal(isHostToPanel({ type: 'compareCandidates' }), false);
  });
});
