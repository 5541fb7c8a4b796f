/**
 * What a restored panel shows, read from the state its webview saved: checked like a message
 * from the webview, since that is where it came from.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restoredPanel } from '../../../src/extension/panelRestore';

const saved = {
  uri: 'file:///work/examples/focal.loss',
  loss: { name: 'focal', range: { startLine: 4, startColumn: 0, endLine: 4, endColumn: 40 } },
  params: { gamma: 1.5, alpha: 0.25, 'not a name': 1, beta: 'x' },
  status: 'ready',
  pinned: true,
  curvesView: { shown: { value: true, first: true, second: true }, yScale: 'linear', difference: false, range: [0.01, 0.5] },
};

describe('restoredPanel', () => {
  it('gives the loss, its line, the slider values, the input range and the pin', () => {
    assert.deepEqual(restoredPanel(saved), {
      uri: 'file:///work/examples/focal.loss',
      loss: 'focal',
      line: 4,
      params: { gamma: 1.5, alpha: 0.25 },
      range: [0.01, 0.5],
      pinned: true,
    });
  });

  it('gives the direction in logit space the curves ran along, and drops one that is not a direction', () => {
    assert.equal(restoredPanel({ ...saved, curves: { direction: 'logit:2' } })?.direction, 'logit:2');
    assert.equal(restoredPanel({ ...saved, curves: { direction: 'rival' } })?.direction, 'rival');
    assert.equal(restoredPanel({ ...saved, curves: { direction: 'logit:x' } })?.direction, undefined);
    assert.equal(restoredPanel({ ...saved, curves: { direction: { toString: 'margin' } } })?.direction, undefined);
  });

  it('restores nothing from a state without a loss, or with a name that is not one', () => {
    assert.equal(restoredPanel(undefined), undefined);
    assert.equal(restoredPanel({ params: {}, status: 'ready' }), undefined);
    assert.equal(restoredPanel({ ...saved, loss: { name: 'a b', range: saved.loss.range } }), undefined);
  });

  it('drops a range that is not an interval', () => {
    assert.equal(restoredPanel({ ...saved, curvesView: { range: [1, 0] } })?.range, undefined);
  });
});
