/**
 * The LossLab panel. State lives in one object (`state.ts`), is saved with `setState` after every
 * change and restored on load; each view module draws its part of it. Messages from the host are
 * checked before use; the host is told `ready` once the listeners are in place, and answers by
 * sending everything the panel shows.
 */
import './panel.css';
import { createBatchView } from './batch';
import { createChecksView } from './checks';
import { createCompareView } from './compare';
import { createCurvesView } from './curves';
import { DEFAULT_CURVES_VIEW, restoreCurvesView, withCursor, withRange, type CurvesView } from './curvesView';
import { createExperimentsView } from './experiments';
import { setReadoutDigits } from './format';
import { createFormulaView } from './formula';
import { createHeader } from './header';
import { createLandscapeView } from './landscape';
import { createLatencyProbe } from './latency';
import { createParamsView } from './params';
import { applyHostMessage, isHostToPanel, restoreState, withCurvesView, withExperimentForm, withParam, type PanelState } from './state';
import { createStatusLine } from './status';
import { loadSavedState, postToHost, saveState } from './vscodeApi';

const app = document.getElementById('app') ?? document.body;

let state: PanelState = restoreState(loadSavedState());
// The saved curves view is checked on its own: an older panel may have saved another shape.
if (state.curvesView !== undefined) state = withCurvesView(state, restoreCurvesView(state.curvesView));

const curvesView = (): CurvesView => state.curvesView ?? DEFAULT_CURVES_VIEW;
const setCurvesView = (view: CurvesView): void => commit(withCurvesView(state, view));

function commit(next: PanelState): void {
  state = next;
  // The landscape and the batch views are large and the host sends them again when the webview reloads: not saved.
  saveState({ ...state, landscape: undefined, batch: undefined });
  setReadoutDigits(state.readoutDigits ?? 4);
  for (const view of views) view.render(state);
}

/** Slider-to-redraw times, read by the end-to-end benchmark. */
const latency = createLatencyProbe(app);

const views = [
  createHeader(app, (pinned) => postToHost({ type: 'setPinned', pinned })),
  createFormulaView(app, (latex) => postToHost({ type: 'copyText', text: latex })),
  createParamsView(app, (name, value) => {
    latency.input({ ...state.params, [name]: value });
    commit(withParam(state, name, value));
    postToHost({ type: 'setParam', name, value });
  }),
  createStatusLine(app),
  createCompareView(app, {
    compareWith: (id) => postToHost({ type: 'compareWith', id }),
    clear: () => postToHost({ type: 'clearCompare' }),
    setParam: (name, value) => postToHost({ type: 'setCompareParam', name, value }),
    view: setCurvesView,
  }),
  createCurvesView(app, {
    view: setCurvesView,
    range: (min, max) => {
      setCurvesView(withRange(curvesView(), [min, max]));
      postToHost({ type: 'setRange', min, max });
    },
    direction: (direction) => postToHost({ type: 'setDirection', direction }),
    save: (format, name, data) => postToHost({ type: 'saveFile', format, name, data }),
  }),
  createBatchView(app),
  createLandscapeView(app, (x, y, resolution) => postToHost({ type: 'setLandscape', x, y, resolution })),
  createChecksView(
    app,
    () => postToHost({ type: 'runChecks' }),
    (x) => setCurvesView(withCursor(curvesView(), x)),
  ),
  createExperimentsView(app, {
    run: (setup, compared) => postToHost({ type: 'runExperiment', setup, with: compared }),
    cancel: () => postToHost({ type: 'cancelExperiment' }),
    saveForm: (form) => commit(withExperimentForm(state, form)),
  }),
];

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToPanel(event.data)) return;
  commit(applyHostMessage(state, event.data));
  latency.drawn(state);
});

setReadoutDigits(state.readoutDigits ?? 4);
for (const view of views) view.render(state);
postToHost({ type: 'ready' });
