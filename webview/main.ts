/**
 * The LossLab panel. State lives in one object (`state.ts`), is saved with `setState` after every
 * change and restored on load; each view module draws its part of it. Messages from the host are
 * checked before use; the host is told `ready` once the listeners are in place, and answers by
 * sending everything the panel shows.
 */
import './panel.css';
import { createChecksView } from './checks';
import { createCurvesView } from './curves';
import { createExperimentsView } from './experiments';
import { setReadoutDigits } from './format';
import { createFormulaView } from './formula';
import { createHeader } from './header';
import { createParamsView } from './params';
import { applyHostMessage, isHostToPanel, restoreState, withParam, type PanelState } from './state';
import { createStatusLine } from './status';
import { loadSavedState, postToHost, saveState } from './vscodeApi';

const app = document.getElementById('app') ?? document.body;

let state: PanelState = restoreState(loadSavedState());

function commit(next: PanelState): void {
  state = next;
  saveState(state);
  setReadoutDigits(state.readoutDigits ?? 4);
  for (const view of views) view.render(state);
}

const views = [
  createHeader(app),
  createFormulaView(app),
  createParamsView(app, (name, value) => {
    commit(withParam(state, name, value));
    postToHost({ type: 'setParam', name, value });
  }),
  createStatusLine(app),
  createCurvesView(app),
  createChecksView(app, () => postToHost({ type: 'runChecks' })),
  createExperimentsView(app, () => postToHost({ type: 'runExperiment' })),
];

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToPanel(event.data)) commit(applyHostMessage(state, event.data));
});

setReadoutDigits(state.readoutDigits ?? 4);
for (const view of views) view.render(state);
postToHost({ type: 'ready' });
