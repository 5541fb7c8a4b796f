/**
 * What the panel shows and how it stays current: the selected loss, its parameter values, the
 * last curves, check report and experiment. It asks the worker for curves when the loss is selected, when a
 * slider moves and when the document is analysed again, and re-posts everything when the webview
 * (re)loads. Answers to superseded requests are dropped, so the panel never goes backwards.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { BackendName, CheckReport, CurveDirection, CurvesResult, HostToPanel, LossDiagnostic, LossSummary, PanelStatus, PanelToHost } from '../protocol';
import type { PendingRequest, WorkerClient } from '../worker/client';
import type { DocumentAnalysis } from './analysis';
import { commandId } from './commandNames';
import { CrashRecovery } from './crashRecovery';
import { ExperimentPanelState } from './experiment';
import { PanelBatch } from './panelBatch';
import { PanelLandscape } from './panelLandscape';
import { nonFiniteCurvesMessage } from './curvesFailure';
import type { LossPanel } from './panel';
import type { LossLabSettings } from './settings';
import { sameTarget, type LossTarget } from './target';

/** The loss on screen, with the values its sliders are at. */
interface ShownLoss {
  readonly uri: vscode.Uri;
  readonly summary: LossSummary;
  readonly params: Readonly<Record<string, number>>;
  readonly range?: readonly [number, number];
}

/** What a check of the shown loss needs. */
export interface CheckSubject {
  readonly target: LossTarget;
  readonly text: string;
  readonly params: Readonly<Record<string, number>>;
}

type StatusMessage = Extract<HostToPanel, { type: 'status' }>;

export class PanelSession implements vscode.Disposable {
  private shown: ShownLoss | undefined;
  private curves: CurvesResult | undefined;
  private checks: CheckReport | undefined;
  /** Experiments' reports (kept when the panel closes), forms, progress and cancel. */
  readonly experiments = new ExperimentPanelState(
    (m) => this.panel.post(m),
    (uri) => this.analysis.lossesIn(uri),
  );
  private backend: BackendName | undefined;
  private status: StatusMessage = { type: 'status', status: 'ready' };
  private curvesRequest: PendingRequest<CurvesResult> | undefined;
  private readonly recovery = new CrashRecovery();
  private readonly landscape: PanelLandscape;
  /** A batch loss's per-sample bars and pair-gradient heatmap. */
  private readonly batch: PanelBatch;
  private readonly subscriptions: vscode.Disposable[];
  /** The direction in logit space chosen for each multiclass loss (by uri and name) this session. */
  private readonly directions = new Map<string, CurveDirection>();

  constructor(
    private readonly worker: WorkerClient,
    private readonly analysis: DocumentAnalysis,
    private readonly panel: LossPanel,
    private settings: LossLabSettings,
  ) {
    this.landscape = new PanelLandscape(worker, (m) => panel.post(m));
    this.batch = new PanelBatch(worker, (m) => panel.post(m));
    this.subscriptions = [
      panel.onDidReceiveMessage((m) => this.receive(m)),
      panel.onDidClose(() => this.clear()),
      analysis.onDidAnalyze((uri) => this.documentAnalysed(uri)),
    ];
  }

  get shownTarget(): LossTarget | undefined {
    return this.shown ? { uri: this.shown.uri, loss: this.shown.summary.name, line: this.shown.summary.range.startLine } : undefined;
  }

  /** The slider values of the shown loss, for hovers over it. */
  get shownParams(): Readonly<Record<string, number>> | undefined {
    return this.shown?.params;
  }

  /**
   * Shows `target` in the panel; false, with a message, when there is no such loss. `reveal`
   * opens the panel or brings it forward; following the cursor only changes what it shows.
   */
  select(target: LossTarget, reveal = true): boolean {
    const summary = this.analysis.lossNamed(target.uri, target.loss, target.line);
    if (!summary) {
      void vscode.window.showWarningMessage(
        `LossLab: no loss named "${target.loss}" in ${basename(target.uri.path)}; if the file has errors, the Problems view lists them`,
      );
      return false;
    }
    const current = this.shownTarget;
    const show = (): void => (reveal ? this.panel.show(panelTitle(summary)) : this.panel.setTitle(panelTitle(summary)));
    if (current && sameTarget(current, target) && current.line === summary.range.startLine) {
      show();
      return true;
    }
    this.shown = { uri: target.uri, summary, params: defaultParams(summary) };
    this.curves = undefined;
    this.checks = undefined;
    this.landscape.reset();
    this.batch.reset();
    show();
    this.postLoss();
    this.postExperiments();
    this.requestCurves();
    return true;
  }

  /** The text, loss and slider values a check should run on, or undefined when nothing is shown. */
  checkSubject(): CheckSubject | undefined {
    const shown = this.shown;
    const document = shown && openDocument(shown.uri);
    const text = shown && document && this.analysis.lossText(document, shown.summary);
    if (!shown || text === undefined) return undefined;
    return { target: { uri: shown.uri, loss: shown.summary.name, line: shown.summary.range.startLine }, text, params: shown.params };
  }

  /** A restored panel: the slider values (inside their ranges) and the input range it was left with. */
  restoreView(params: Readonly<Record<string, number>>, range?: readonly [number, number], direction?: CurveDirection): void {
    const shown = this.shown;
    if (!shown) return;
    if (direction !== undefined && shown.summary.kind === 'multiclass') this.directions.set(directionKey(shown), direction);
    const clamp = (p: LossSummary['params'][number]): number => Math.min(p.max, Math.max(p.min, params[p.name] ?? shown.params[p.name] ?? p.value));
    this.shown = { ...shown, params: Object.fromEntries(shown.summary.params.map((p) => [p.name, clamp(p)])), ...(range ? { range } : {}) };
    this.postLoss();
    this.requestCurves();
  }

  showChecks(report: CheckReport): void {
    if (!this.shown || report.loss !== this.shown.summary.name) return;
    this.checks = report;
    this.panel.show(panelTitle(this.shown.summary));
    this.panel.post({ type: 'checks', report });
  }

  /** An experiment finished: bring the panel forward (if it shows a loss) to show its report. */
  revealExperiment(): void {
    if (this.shown) this.panel.show(panelTitle(this.shown.summary));
  }

  showBackend(backend: BackendName): void {
    this.backend = backend;
    this.panel.post({ type: 'backend', backend });
  }

  /** The settings changed: redraw with the new resolution, range or digits. */
  applySettings(settings: LossLabSettings): void {
    this.settings = settings;
    this.panel.post({ type: 'settings', readoutDigits: settings.readoutDigits });
    this.requestCurves();
  }

  workerCrashed(): void {
    this.recovery.crashed();
  }

  workerRestarting(): void {
    this.recovery.restarting();
  }

  workerReady(): void {
    if (this.recovery.takeRerun()) this.requestCurves();
  }

  dispose(): void {
    this.curvesRequest?.cancel();
    this.landscape.dispose();
    this.batch.dispose();
    for (const d of this.subscriptions) d.dispose();
  }

  private receive(message: PanelToHost): void {
    switch (message.type) {
      case 'ready':
        this.repost();
        return;
      case 'setParam':
        this.setParam(message.name, message.value);
        return;
      case 'setLandscape':
        this.landscape.choose(message.x, message.y, message.resolution);
        return;
      case 'setRange':
        if (!this.shown) return;
        this.shown = { ...this.shown, range: [message.min, message.max] };
        this.requestCurves();
        return;
      case 'runChecks': {
        const target = this.shownTarget;
        if (target) void vscode.commands.executeCommand(commandId('check'), target.uri, target.loss);
        return;
      }
      case 'runExperiment': {
        const target = this.shownTarget;
        if (!target) return;
        if (message.setup || message.with) this.experiments.rememberForm(target, { setup: message.setup ?? {}, with: message.with ?? [] });
        void vscode.commands.executeCommand(commandId('runExperiment'), target.uri, target.loss, target.line);
        return;
      }
      case 'cancelExperiment':
        this.experiments.cancel();
        return;
      case 'setDirection':
        if (!this.shown || this.shown.summary.kind !== 'multiclass') return;
        this.directions.set(directionKey(this.shown), message.direction);
        this.requestCurves();
        return;
    }
  }

  private setParam(name: string, value: number): void {
    const shown = this.shown;
    // Only the loss's own parameters: a stale webview may still name one that was removed.
    if (!shown || !shown.summary.params.some((p) => p.name === name)) return;
    this.shown = { ...shown, params: { ...shown.params, [name]: value } };
    this.landscape.dragged();
    this.requestCurves();
  }

  /** The webview may have reloaded (hidden and shown again): give it everything it shows. */
  private repost(): void {
    this.panel.post({ type: 'settings', readoutDigits: this.settings.readoutDigits });
    if (this.backend) this.panel.post({ type: 'backend', backend: this.backend });
    if (!this.shown) return;
    this.postLoss();
    if (this.curves) this.panel.post({ type: 'curves', result: this.curves });
    this.landscape.repost();
    this.batch.repost();
    if (this.checks) this.panel.post({ type: 'checks', report: this.checks });
    this.postExperiments();
    this.panel.post(this.status);
  }

  private documentAnalysed(uri: vscode.Uri): void {
    const shown = this.shown;
    if (!shown || shown.uri.toString() !== uri.toString()) return;
    const summary = this.analysis.lossNamed(uri, shown.summary.name, shown.summary.range.startLine);
    if (!summary) {
      this.postStatus('failed', lossMissingMessage(shown.summary.name, this.analysis.firstError(uri)));
      return;
    }
    this.shown = { ...shown, summary, params: carryParams(shown.summary, summary, shown.params) };
    this.panel.setTitle(panelTitle(summary));
    this.postLoss();
    this.requestCurves();
  }

  private requestCurves(): void {
    const shown = this.shown;
    if (!shown) return;
    const document = openDocument(shown.uri);
    const text = document && this.analysis.lossText(document, shown.summary);
    if (text === undefined) {
      this.postStatus('failed', `${basename(shown.uri.path)} was closed`);
      return;
    }
    this.postStatus('computing');
    const range = shown.range ?? this.settings.plotRanges[shown.summary.kind];
    const direction = shown.summary.kind === 'multiclass' ? this.directions.get(directionKey(shown)) : undefined;
    const pending = this.worker.request<'curves'>({
      type: 'curves',
      view: 'panel',
      text,
      loss: shown.summary.name,
      params: shown.params,
      points: this.settings.plotPoints,
      ...(range ? { range } : {}),
      ...(direction ? { direction } : {}),
    });
    this.curvesRequest = pending;
    this.landscape.request({ text, loss: shown.summary.name, params: shown.params, ...(range ? { inputRange: range } : {}) });
    if (shown.summary.kind === 'batch') this.batch.request({ text, loss: shown.summary.name, params: shown.params });
    else this.batch.reset();
    void pending.promise.then((outcome) => {
      if (this.curvesRequest !== pending) return;
      this.curvesRequest = undefined;
      switch (outcome.status) {
        case 'ok': {
          this.recovery.succeeded();
          // NaN everywhere is a failed evaluation: keep the last good plot and say why.
          const nonFinite = nonFiniteCurvesMessage(outcome.result);
          if (nonFinite) {
            this.postStatus('failed', nonFinite);
            return;
          }
          this.curves = outcome.result;
          this.panel.post({ type: 'curves', result: outcome.result });
          this.postStatus('ready');
          return;
        }
        case 'failed':
          if (this.recovery.awaitingRestart) return;
          this.postStatus('failed', failureMessage(outcome.message, outcome.diagnostics));
          return;
        case 'cancelled':
          return;
      }
    });
  }

  private postLoss(): void {
    if (!this.shown) return;
    this.panel.post({ type: 'loss', uri: this.shown.uri.toString(), loss: this.shown.summary, params: this.shown.params });
    const target = this.shownTarget;
    if (target) this.experiments.postChoices(target, this.shown.summary);
  }

  /** The shown loss's last experiment report, and the running one's progress. */
  private postExperiments(): void {
    const target = this.shownTarget;
    if (target) this.experiments.repost(target);
  }

  private postStatus(status: PanelStatus, message?: string): void {
    this.status = message === undefined ? { type: 'status', status } : { type: 'status', status, message };
    this.panel.post(this.status);
  }

  private clear(): void {
    this.curvesRequest?.cancel();
    this.landscape.reset();
    this.batch.reset();
    this.curvesRequest = undefined;
    this.shown = undefined;
    this.curves = undefined;
    this.checks = undefined;
    this.status = { type: 'status', status: 'ready' };
  }
}

function directionKey(shown: ShownLoss): string {
  return `${shown.uri.toString()}#${shown.summary.name}`;
}

function panelTitle(summary: LossSummary): string {
  return `LossLab: ${summary.name}`;
}

function defaultParams(summary: LossSummary): Record<string, number> {
  return Object.fromEntries(summary.params.map((p) => [p.name, p.value]));
}

/**
 * Slider values survive an edit of the document, except where the edit changed the parameter's
 * default in the text: then the writer meant the new value.
 */
function carryParams(before: LossSummary, after: LossSummary, values: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    after.params.map((p) => {
      const previous = before.params.find((q) => q.name === p.name);
      const kept = values[p.name];
      return [p.name, previous && previous.value === p.value && kept !== undefined ? kept : p.value];
    }),
  );
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

function failureMessage(message: string, diagnostics: readonly LossDiagnostic[] | undefined): string {
  const first = diagnostics?.[0];
  return first ? `line ${first.range.startLine + 1}: ${first.message}` : message;
}

function lossMissingMessage(name: string, error: LossDiagnostic | undefined): string {
  return error ? `${name} cannot be drawn: line ${error.range.startLine + 1}: ${error.message}` : `${name} is no longer defined in the document`;
}
