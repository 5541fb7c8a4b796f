/**
 * The panel's state reducer for experiments: live curves while one trains, the report after.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentReport } from '../../../src/protocol';
import { applyHostMessage, EMPTY_STATE, isHostToPanel } from '../../../webview/state';

const live = [{ loss: 'mae', seed: 1, train_loss: [1.2, 0.9] }];

describe('the panel state with experiments', () => {
  it('keeps the live curves while an experiment trains', () => {
    const state = applyHostMessage(EMPTY_STATE, { type: 'experimentLive', live });
    assert.deepEqual(state.experimentLive, live);
  });

  it('an empty live list means nothing trains (started, cancelled or failed)', () => {
    const training = applyHostMessage(EMPTY_STATE, { type: 'experimentLive', live });
    assert.equal(applyHostMessage(training, { type: 'experimentLive', live: [] }).experimentLive, undefined);
  });

  it('the result replaces the live curves', () => {
    const training = applyHostMessage(EMPTY_STATE, { type: 'experimentLive', live });
    const result = { runs: [], summary: [] } as unknown as ExperimentReport;
    const done = applyHostMessage(training, { type: 'experiment', result });
    assert.equal(done.experiment, result);
    assert.equal(done.experimentLive, undefined);
  });

  it('recognises the experiment messages and rejects them without their payload', () => {
    assert.equal(isHostToPanel({ type: 'experimentLive', live: [] }), true);
    assert.equal(isHostToPanel({ type: 'experiment', result: {} }), true);
    assert.equal(isHostToPanel({ type: 'experiment' }), false);
  });
});
