/**
 * The panel's experiment form without a DOM: its defaults are the core's, what it sends passes the
 * host's boundary check, what is wrong is said per field before anything is sent, and the state
 * keeps the form, the choices and how the last experiment stopped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LR, DEFAULT_SETUP } from '../../../src/core/experiments/setup';
import type { ExperimentChoices, ExperimentReport, LossSummary } from '../../../src/protocol';
import { isPanelToHost } from '../../../src/protocol';
import { checkForm, comparedLosses, comparisonCandidates, defaultForm, formFromSetup, setupOfForm } from '../../../webview/experimentSetupForm';
import { applyHostMessage, EMPTY_STATE, isHostToPanel, withExperimentForm } from '../../../webview/state';

const range = { startLine: 3, startColumn: 0, endLine: 3, endColumn: 40 };
const multiclass: LossSummary = { name: 'cross_entropy', kind: 'multiclass', inputs: [], params: [], classes: 4, range };
const margin: LossSummary = { name: 'mine', kind: 'margin', inputs: [], params: [], classes: 3, range };
const choices: ExperimentChoices = {
  loss: 'cross_entropy',
  file: ['mae'],
  library: ['cross_entropy', 'mae_softmax', 'gce', 'focal_softmax'],
};

describe('the experiment form', () => {
  it("starts from the core's defaults, with the dataset and K that fit the loss", () => {
    const form = defaultForm(multiclass);
    assert.equal(form.dataset, 'blobs');
    assert.equal(form.classes, 4, "the loss's K");
    assert.equal(form.points, DEFAULT_SETUP.points);
    assert.equal(form.epochs, DEFAULT_SETUP.epochs);
    assert.equal(form.lr, DEFAULT_LR[DEFAULT_SETUP.optimizer]);
    assert.equal(form.seeds, DEFAULT_SETUP.seeds.length);
    assert.equal(defaultForm(margin).dataset, 'moons', 'a binary loss gets the two moons');
  });

  it("asks for the issue's comparison: 40% noise, 10:1 imbalance, a 2-layer MLP, 3 seeds, 2,000 points", () => {
    const form = { ...defaultForm(multiclass), noise: 0.4, imbalance: 10, layers: 2 as const, width: 16, seeds: 3, points: 2000 };
    const picked = { ...form, compared: { multiclass: ['focal_softmax', 'gce'] } };
    const checked = checkForm(picked, multiclass, choices);
    assert.ok(checked.ok, JSON.stringify(checked));
    if (!checked.ok) return;
    assert.deepEqual(checked.setup.hidden, [16, 16]);
    assert.deepEqual(checked.setup.seeds, [1, 2, 3]);
    assert.equal(checked.setup.classes, 4);
    assert.equal(checked.setup.landscapeSeeds, 1, 'one landscape per loss, as the panel draws');
    assert.deepEqual(checked.compared, ['gce', 'focal_softmax'], 'in the order offered');
    assert.equal(isPanelToHost({ type: 'runExperiment', setup: checked.setup, with: checked.compared }), true, 'the host accepts what the form sends');
  });

  it('says per field what is out of bounds, and sends nothing', () => {
    const checked = checkForm({ ...defaultForm(multiclass), noise: 1.2, epochs: 0, seeds: 2.5, points: Number.NaN }, multiclass, choices);
    assert.equal(checked.ok, false);
    if (checked.ok) return;
    assert.match(checked.problems.noise ?? '', /\[0, 1\)/);
    assert.match(checked.problems.epochs ?? '', /from 1 to/);
    assert.match(checked.problems.seeds ?? '', /whole number from 1 to 100/);
    assert.equal(checked.problems.points, 'a number, please');
  });

  it('says what is wrong with the whole when each field is fine (the core refuses an imbalance above the points)', () => {
    const checked = checkForm({ ...defaultForm(multiclass), points: 100, imbalance: 500 }, multiclass, choices);
    assert.ok(!checked.ok && /imbalance/.test(checked.problems.form ?? ''));
  });

  it('sends no K for moons or a binary loss, and no hidden layers for a linear model', () => {
    assert.equal(setupOfForm({ ...defaultForm(multiclass), dataset: 'moons' }, multiclass).classes, undefined);
    assert.equal(setupOfForm(defaultForm(margin), margin).classes, undefined);
    assert.equal(setupOfForm({ ...defaultForm(margin), model: 'linear' }, margin).hidden, undefined);
    assert.deepEqual(setupOfForm({ ...defaultForm(margin), layers: 1, width: 8 }, margin).hidden, [8]);
  });

  it("offers the file's losses first and the library's the file does not define, never the loss itself", () => {
    assert.deepEqual(comparisonCandidates(multiclass, choices), { file: ['mae'], library: ['mae_softmax', 'gce', 'focal_softmax'] });
    assert.deepEqual(comparisonCandidates(multiclass, { ...choices, loss: 'other' }), { file: [], library: [] }, 'choices for another loss');
  });

  it("picks the file's other losses until the user picks, then keeps the picks of this kind that are offered", () => {
    const form = defaultForm(multiclass);
    assert.deepEqual(comparedLosses(form, multiclass, choices), ['mae']);
    assert.deepEqual(comparedLosses({ ...form, compared: { multiclass: ['gce', 'gone'] } }, multiclass, choices), ['gce']);
    assert.deepEqual(comparedLosses({ ...form, compared: { margin: ['hinge'] } }, multiclass, choices), ['mae'], "a margin loss's picks");
  });

  it('reads back the setup the host last ran', () => {
    const form = formFromSetup(multiclass, { points: 2000, noise: 0.4, hidden: [32], seeds: [1, 2, 3], optimizer: 'gd', lr: 0.2 }, ['gce']);
    assert.equal(form.points, 2000);
    assert.equal(form.layers, 1);
    assert.equal(form.width, 32);
    assert.equal(form.seeds, 3);
    assert.equal(form.lr, 0.2);
    assert.deepEqual(comparedLosses(form, multiclass, choices), ['gce']);
  });
});

describe('the panel state with the experiment form and status', () => {
  it('keeps the form, the choices and the running progress', () => {
    const form = defaultForm(multiclass);
    let state = withExperimentForm(EMPTY_STATE, form);
    state = applyHostMessage(state, { type: 'experimentChoices', choices });
    state = applyHostMessage(state, { type: 'experimentStatus', status: { state: 'running', fraction: 0.25, message: 'gce, seed 1: epoch 75 of 300' } });
    assert.equal(state.experimentForm, form);
    assert.equal(state.experimentChoices, choices);
    assert.deepEqual(state.experimentStatus, { state: 'running', fraction: 0.25, message: 'gce, seed 1: epoch 75 of 300' });
  });

  it('a cancelled experiment stays cancelled, and keeps the previous report apart', () => {
    const previous = { runs: [], summary: [], losses: [] } as unknown as ExperimentReport;
    let state = applyHostMessage(EMPTY_STATE, { type: 'experiment', result: previous });
    state = applyHostMessage(state, { type: 'experimentStatus', status: { state: 'running', fraction: 0.5, message: '' } });
    state = applyHostMessage(state, { type: 'experimentStatus', status: { state: 'cancelled' } });
    assert.deepEqual(state.experimentStatus, { state: 'cancelled' });
    assert.equal(state.experiment, previous, 'the old report is kept, and the status says it is not new');
    const next = { runs: [], summary: [], losses: [] } as unknown as ExperimentReport;
    assert.equal(applyHostMessage(state, { type: 'experiment', result: next }).experimentStatus, undefined, 'a new result clears it');
  });

  it('recognises the new messages only with their payload', () => {
    assert.equal(isHostToPanel({ type: 'experimentChoices', choices }), true);
    assert.equal(isHostToPanel({ type: 'experimentStatus', status: { state: 'cancelled' } }), true);
    assert.equal(isHostToPanel({ type: 'experimentStatus' }), false);
  });
});
