/**
 * The Experiments section: the setup form, a progress bar and cancel while an experiment runs,
 * the training-loss curves (live while an experiment runs, one line per loss and seed), the
 * comparison table (mean ± standard deviation over seeds) and, when the experiment computed it,
 * each loss's landscape around its trained minimum. An experiment is shown while its first loss
 * is the panel's loss.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import uPlot from 'uplot';
import type { ExperimentReport, ExperimentSetupInput, ExperimentStatus, ExperimentSummary, LiveTraining } from '../src/protocol';
import { createExperimentSetup } from './experimentSetup';
import type { ExperimentForm } from './experimentSetupForm';
import { formatNumber } from './format';
import { landscapeFigure } from './landscapeHeatmap';
import type { PanelState } from './state';
import { axisStyle, onThemeChange, readChartTheme, type ChartTheme } from './theme';
import { element } from './element';

const CHART_HEIGHT = 180;

const spread = (s: { mean: number; std: number }, runs: number): string =>
  runs > 1 ? `${formatNumber(s.mean, 3)} ± ${formatNumber(s.std, 2)}` : formatNumber(s.mean, 3);

function comparisonTable(report: ExperimentReport): HTMLTableElement {
  const table = element('table', 'experiment-table');
  const head = table.createTHead().insertRow();
  for (const title of ['loss', 'test accuracy', 'ECE', 'clean train accuracy', 'final train loss']) head.append(element('th', '', title));
  const body = table.createTBody();
  for (const s of report.summary) {
    const row = body.insertRow();
    row.className = 'experiment-row';
    const cells = [s.loss, ...summaryCells(s)];
    for (const text of cells) row.append(element('td', '', text));
  }
  return table;
}

function summaryCells(s: ExperimentSummary): string[] {
  return [spread(s.test_accuracy, s.runs), spread(s.test_ece, s.runs), spread(s.clean_train_accuracy, s.runs), spread(s.final_train_loss, s.runs)];
}

function describeSetup(report: ExperimentReport): string {
  const s = report.setup;
  const model = s.model === 'mlp' ? `MLP ${s.hidden.join('×')}` : 'linear model';
  const noise = s.noise > 0 ? `, ${Math.round(s.noise * 100)}% ${s.noiseType} noise` : '';
  const imbalance = s.imbalance > 1 ? `, imbalance ${s.imbalance}:1` : '';
  return `${s.dataset}, ${report.classes} classes, ${s.points} points${noise}${imbalance}; ${model}, ${s.optimizer} for ${s.epochs} epochs; seeds ${s.seeds.join(', ')}; ${(report.elapsed_ms / 1000).toFixed(1)} s`;
}

/** Every run's curve, padded with gaps to the longest: uPlot wants one x for all series. */
function curveData(curves: readonly LiveTraining[]): uPlot.AlignedData {
  const epochs = Math.max(0, ...curves.map((c) => c.train_loss.length));
  const x = Array.from({ length: epochs }, (_, t) => t + 1);
  return [x, ...curves.map((c) => x.map((_, t) => (Number.isFinite(c.train_loss[t]) ? (c.train_loss[t] as number) : null)))];
}

class TrainingCurves {
  readonly figure = element('figure', 'experiment-curves');
  private readonly host = element('div', 'chart');
  private plot: uPlot | undefined;
  private signature = '';

  constructor() {
    this.figure.append(element('figcaption', '', 'training loss by epoch'), this.host);
  }

  update(curves: readonly LiveTraining[], losses: readonly string[], theme: ChartTheme, themeVersion: number, width: number): void {
    const data = curveData(curves);
    this.figure.dataset.series = String(curves.length);
    const signature = JSON.stringify([curves.map((c) => [c.loss, c.seed]), themeVersion]);
    if (this.plot && signature === this.signature) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.signature = signature;
    const axis = axisStyle(theme);
    const readout = (_u: uPlot, v: number | null): string => (v === null ? '–' : formatNumber(v));
    this.plot = new uPlot(
      {
        width,
        height: CHART_HEIGHT,
        scales: { x: { time: false } },
        axes: [
          { ...axis, label: 'epoch' },
          { ...axis, size: 56, values: (_u, splits) => splits.map((v) => formatNumber(v, 3)) },
        ],
        series: [
          { label: 'epoch' },
          ...curves.map((c) => ({
            label: `${c.loss} (seed ${c.seed})`,
            // One colour per loss, so the seeds of a loss read as a band.
            stroke: theme.series[Math.max(0, losses.indexOf(c.loss)) % theme.series.length] ?? theme.foreground,
            width: 1.25,
            points: { show: false },
            value: readout,
          })),
        ],
      },
      data,
      this.host,
    );
  }

  resize(width: number): void {
    this.plot?.setSize({ width, height: CHART_HEIGHT });
  }
}

/** What the section asks of the panel: run the form's experiment, cancel the running one, keep the form's values. */
export interface ExperimentActions {
  run(setup: ExperimentSetupInput, compared: readonly string[]): void;
  cancel(): void;
  saveForm(form: ExperimentForm): void;
}

/** What the note says when no experiment runs: how the last one stopped, and what the table below is. */
function describeOutcome(status: ExperimentStatus | undefined, report: ExperimentReport | undefined): string {
  const previous = report ? ` Below: the previous experiment (${describeSetup(report)}).` : '';
  if (status?.state === 'cancelled') return `Experiment cancelled.${previous}`;
  if (status?.state === 'failed') return `The experiment failed: ${status.message}.${previous}`;
  return report ? describeSetup(report) : 'Not run yet for this loss: train tiny models with it on synthetic data and compare.';
}

export function createExperimentsView(parent: HTMLElement, actions: ExperimentActions): { render(state: PanelState): void } {
  const section = element('section', 'experiments');
  const head = element('div', 'checks-head');
  const button = element('vscode-button', 'experiment-run', 'Run experiment');
  const cancel = element('vscode-button', 'experiment-cancel', 'Cancel');
  cancel.setAttribute('secondary', '');
  head.append(element('h2', '', 'Experiment'), button, cancel);
  const setupForm = createExperimentSetup((form) => {
    actions.saveForm(form);
  });
  let running = false;
  button.addEventListener('click', () => {
    const checked = setupForm.check();
    if (checked?.ok && !running) actions.run(checked.setup, checked.compared);
  });
  cancel.addEventListener('click', () => actions.cancel());
  const progress = element('div', 'experiment-progress');
  const bar = element('progress', '');
  bar.max = 1;
  const progressText = element('span', 'experiment-progress-text');
  progress.append(bar, progressText);
  const note = element('p', 'checks-note experiment-note');
  const curves = new TrainingCurves();
  const table = element('div', 'experiment-comparison');
  const landscapes = element('div', 'landscapes');
  section.append(head, progress, setupForm.element, note, curves.figure, table, landscapes);
  parent.append(section);

  let theme = readChartTheme();
  let themeVersion = 0;
  let last: PanelState | undefined;
  let drawnReport: ExperimentReport | undefined;
  let drawnLive: readonly LiveTraining[] | undefined;
  let drawnTraining = false;
  const width = (): number => Math.max(240, section.clientWidth);

  /** The form, the buttons, the progress and the note: cheap, drawn on every change. */
  const drawControls = (state: PanelState, report: ExperimentReport | undefined): void => {
    const status = state.experimentStatus;
    running = status?.state === 'running' || state.experimentLive !== undefined;
    if (state.loss) setupForm.render(state.loss, state.experimentForm, state.experimentChoices, running);
    const valid = setupForm.check()?.ok === true;
    button.toggleAttribute('disabled', running || !valid);
    cancel.hidden = !running;
    progress.hidden = !running;
    section.dataset.experiment = running ? 'running' : (status?.state ?? (report ? 'done' : 'none'));
    if (status?.state === 'running') {
      bar.value = Math.min(1, Math.max(0, status.fraction));
      progressText.textContent = `${Math.round(status.fraction * 100)}% · ${status.message}`;
    } else if (running) {
      bar.removeAttribute('value');
      progressText.textContent = 'Starting…';
    }
    note.textContent = running ? 'Training…' : describeOutcome(status, report);
  };

  const draw = (state: PanelState, force: boolean): void => {
    const report = state.experiment && state.experiment.losses[0]?.name === state.loss?.name ? state.experiment : undefined;
    const live = state.experimentLive ?? [];
    drawControls(state, report);
    // While one trains, the last report is not shown: its table would read as the new one's.
    const training = running;
    if (!force && report === drawnReport && state.experimentLive === drawnLive && training === drawnTraining) return;
    drawnReport = report;
    drawnLive = state.experimentLive;
    drawnTraining = training;
    const shownCurves = training ? live : (report?.runs ?? []);
    const losses = training ? [...new Set(live.map((c) => c.loss))] : (report?.losses.map((l) => l.name) ?? []);
    curves.figure.hidden = shownCurves.length === 0;
    if (shownCurves.length > 0) curves.update(shownCurves, losses, theme, themeVersion, width());
    table.replaceChildren(...(report && !training ? [comparisonTable(report)] : []));
    const withLandscape = report && !training ? report.losses.map((l) => report.runs.find((r) => r.loss === l.name && r.landscape)) : [];
    landscapes.replaceChildren(
      ...withLandscape.flatMap((run) => (run?.landscape ? [landscapeFigure(`${run.loss}, seed ${run.seed}`, run.landscape, theme)] : [])),
    );
  };

  onThemeChange(() => {
    theme = readChartTheme();
    themeVersion++;
    if (last) draw(last, true);
  });
  new ResizeObserver(() => requestAnimationFrame(() => curves.resize(width()))).observe(section);

  return {
    render(state) {
      last = state;
      section.hidden = !state.loss;
      draw(state, false);
    },
  };
}
