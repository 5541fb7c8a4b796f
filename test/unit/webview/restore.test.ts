/**
 * The panel survives a reload and a worker restart with its state. A reloaded webview starts
 * from what it saved with `setState` (VS Code keeps it as JSON) and then from what the host
 * re-posts on its `ready` (`PanelSession.repost`: settings, backend, loss, curves, checks,
 * status); a restarted worker changes none of it until new curves arrive.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckReport, CurvesResult, HostToPanel, LossSummary } from '../../../src/protocol';
import { applyHostMessage, EMPTY_STATE, restoreState, withParam, type PanelState } from '../../../webview/state';

const loss: LossSummary = {
  name: 'focal',
  kind: 'probability',
  inputs: [{ name: 'p', shape: 'scalar' }] as unknown as LossSummary['inputs'],
  params: [{ name: 'gamma', value: 2, min: 0, max: 5 }],
  classes: 3,
  range: { startLine: 7, startColumn: 0, endLine: 7, endColumn: 40 },
};
const curves = (gamma: number): CurvesResult => ({
  loss: 'focal',
  kind: 'probability',
  backend: 'wasm',
  params: { gamma },
  axis: { name: 'p', label: 'p', values: [0.25, 0.5, 0.75] },
  curves: [{ label: 'focal', value: [1, 2, 3], first: [-1, -2, -3], second: [1, 1, 1] }],
  latex: { formula: '\\mathrm{focal}(p)', derivative: '0', derivativeOf: '\\partial' },
  elapsedMs: 1,
});
const checks = { loss: 'focal', kind: 'probability', params: { gamma: 2 }, checks: [] } as unknown as CheckReport;

/** What the host re-posts to a webview that says `ready`, in `PanelSession.repost`'s order. */
const repost = (gamma: number): HostToPanel[] => [
  { type: 'settings', readoutDigits: 6 },
  { type: 'backend', backend: 'wasm' },
  { type: 'loss', uri: 'file:///w/focal.loss', loss, params: { gamma } },
  { type: 'curves', result: curves(gamma) },
  { type: 'checks', report: checks },
  { type: 'status', status: 'ready' },
];

const replay = (state: PanelState, messages: readonly HostToPanel[]): PanelState => messages.reduce(applyHostMessage, state);
const shown = (s: PanelState) => ({
  uri: s.uri,
  loss: s.loss?.name,
  params: s.params,
  curves: s.curves?.params,
  checks: s.checks?.loss,
  digits: s.readoutDigits,
});

describe('the panel across a reload', () => {
  const before = withParam(replay(EMPTY_STATE, repost(2)), 'gamma', 3.5);

  it('restores its saved state, a JSON round trip, with the loss and the slider the user moved', () => {
    const restored = restoreState(JSON.parse(JSON.stringify(before)));
    assert.deepEqual(shown(restored), shown(before));
    assert.equal(restored.params.gamma, 3.5);
  });

  it("then takes the host's re-post: the same loss and params as before, nothing lost", () => {
    const restored = replay(restoreState(JSON.parse(JSON.stringify(before))), repost(3.5));
    assert.deepEqual(shown(restored), { ...shown(before), curves: { gamma: 3.5 } });
  });

  it('without a saved state (a new webview) the re-post alone rebuilds it', () => {
    assert.deepEqual(shown(replay(restoreState(undefined), repost(3.5))), shown(replay(EMPTY_STATE, repost(3.5))));
  });

  it('starts empty from a saved state that does not fit, rather than drawing garbage', () => {
    for (const saved of [null, 'state', 42, [], { params: [], status: 'ready' }, { params: {}, status: 1 }, { status: 'ready' }]) {
      assert.deepEqual(restoreState(saved), EMPTY_STATE, JSON.stringify(saved));
    }
  });
});

describe('the panel across a worker restart', () => {
  it('keeps the loss, params, curves and checks while the worker restarts, and takes the new curves', () => {
    const before = replay(EMPTY_STATE, repost(2));
    // The host keeps the panel as it is while the worker restarts, says it computes, re-posts the loss and new curves.
    const during = replay(before, [
      { type: 'status', status: 'computing' },
      { type: 'loss', uri: 'file:///w/focal.loss', loss, params: { gamma: 2 } },
    ]);
    assert.deepEqual(shown(during), shown(before));
    const after = applyHostMessage(during, { type: 'curves', result: { ...curves(2), backend: 'cpu' } });
    assert.equal(after.backend, 'cpu');
    assert.deepEqual(after.curves?.curves, before.curves?.curves);
  });
});
