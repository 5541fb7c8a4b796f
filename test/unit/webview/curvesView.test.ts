/**
 * The curves' view state: series toggles, zoom clipped to the computed range, pan that stops at
 * its edges, and a saved view that is checked before it is used.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_CURVES_VIEW,
  forOtherLoss,
  panZoom,
  restoreCurvesView,
  toggleOrder,
  visibleWindow,
  withCursor,
  withRange,
  withZoom,
} from '../../../webview/curvesView';

const RANGE = [-4, 4] as const;

describe('the curves view', () => {
  it('toggles one series and leaves the others', () => {
    const view = toggleOrder(DEFAULT_CURVES_VIEW, 'second', false);
    assert.deepEqual(view.shown, { value: true, first: true, second: false });
  });

  it('zooms to a dragged window in either direction, clipped to the range', () => {
    assert.deepEqual(withZoom(DEFAULT_CURVES_VIEW, [2, -1], RANGE).zoom, [-1, 2]);
    assert.deepEqual(withZoom(DEFAULT_CURVES_VIEW, [-9, 1], RANGE).zoom, [-4, 1]);
  });

  it('a click (an empty window) changes nothing, and a window covering the range is no zoom', () => {
    assert.equal(withZoom(DEFAULT_CURVES_VIEW, [1, 1], RANGE), DEFAULT_CURVES_VIEW);
    assert.equal(withZoom(DEFAULT_CURVES_VIEW, [-5, 5], RANGE).zoom, undefined);
  });

  it('resets the zoom', () => {
    const zoomed = withZoom(DEFAULT_CURVES_VIEW, [0, 1], RANGE);
    assert.equal(withZoom(zoomed, undefined, RANGE).zoom, undefined);
  });

  it('pans by a quarter of the window and stops at the edge of the range, keeping the width', () => {
    const zoomed = withZoom(DEFAULT_CURVES_VIEW, [0, 2], RANGE);
    assert.deepEqual(panZoom(zoomed, 0.25, RANGE).zoom, [0.5, 2.5]);
    assert.deepEqual(panZoom(zoomed, 10, RANGE).zoom, [2, 4]);
    assert.deepEqual(panZoom(zoomed, -10, RANGE).zoom, [-4, -2]);
    assert.equal(panZoom(DEFAULT_CURVES_VIEW, 0.25, RANGE), DEFAULT_CURVES_VIEW);
  });

  it('draws the whole range when the zoom no longer lies in it (the range changed)', () => {
    const zoomed = withZoom(DEFAULT_CURVES_VIEW, [0, 2], RANGE);
    assert.deepEqual(visibleWindow(zoomed, RANGE), [0, 2]);
    assert.deepEqual(visibleWindow(zoomed, [0.5, 1]), [0.5, 1]);
  });

  it('a new input range replaces the zoom; another loss drops zoom, cursor and range but keeps the toggles', () => {
    const view = withCursor(withZoom(toggleOrder(DEFAULT_CURVES_VIEW, 'first', false), [0, 1], RANGE), 0.5);
    assert.equal(withRange(view, [0, 1]).zoom, undefined);
    const other = forOtherLoss(withRange(view, [0, 1]));
    assert.deepEqual(other, { ...DEFAULT_CURVES_VIEW, shown: { value: true, first: false, second: true } });
  });

  it('a cursor that is not a finite number is no cursor', () => {
    assert.equal(withCursor(DEFAULT_CURVES_VIEW, Number.NaN).cursor, undefined);
    assert.equal(withCursor(DEFAULT_CURVES_VIEW, 0.3).cursor, 0.3);
  });

  it('restores a saved view, and the defaults for what does not fit', () => {
    const saved = { shown: { value: false, first: 'yes' }, yScale: 'symlog', difference: true, zoom: [1, 0], range: [0, 2], cursor: 1 };
    assert.deepEqual(restoreCurvesView(saved), {
      shown: { value: false, first: true, second: true },
      yScale: 'symlog',
      difference: true,
      range: [0, 2],
      cursor: 1,
    });
    assert.equal(restoreCurvesView('garbage'), DEFAULT_CURVES_VIEW);
  });
});
