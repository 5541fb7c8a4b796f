/**
 * The panel's comparison: another loss of the same kind overlaid on the curves, from the library
 * or from the workspace, with its own parameters, computed by the worker on the shown loss's x
 * grid (same range, same points) so that the difference is taken point by point. It follows what
 * the panel shows by watching what is posted to it: a new loss lists its candidates again and
 * drops the comparison; new curves (another range, resolution, direction) recompute the compared ones.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { lossTextAt } from '../core/lang/embedded';
import type { CompareCandidate, ComparedCurves, CurvesResult, HostToPanel, LossSummary, ParamSummary, PanelToHost, WorkerResults } from '../protocol';
import type { PendingRequest, WorkerClient } from '../worker/client';
import { nonFiniteCurvesMessage } from './curvesFailure';
import type { LossPanel } from './panel';
import type { WorkspaceLosses } from './workspaceLosses';

/** Where a candidate's .loss text comes from, and what it declares. */
interface CandidateSource {
  readonly candidate: CompareCandidate;
  readonly params: readonly ParamSummary[];
  readonly text: () => string | undefined;
}

interface Shown {
  readonly uri: string;
  readonly loss: LossSummary;
}

interface Selected {
  readonly source: CandidateSource;
  readonly values: Readonly<Record<string, number>>;
}

export class PanelComparison implements vscode.Disposable {
  private shown: Shown | undefined;
  private grid: CurvesResult | undefined;
  private candidates = new Map<string, CandidateSource>();
  private selected: Selected | undefined;
  private library: Promise<WorkerResults['library'] | undefined> | undefined;
  private request: PendingRequest<CurvesResult> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly worker: WorkerClient,
    private readonly workspaceLosses: WorkspaceLosses,
    private readonly panel: LossPanel,
  ) {
    this.subscriptions = [panel.onDidPost((m) => this.posted(m)), panel.onDidReceiveMessage((m) => this.receive(m)), panel.onDidClose(() => this.clear())];
  }

  dispose(): void {
    this.request?.cancel();
    for (const d of this.subscriptions) d.dispose();
  }

  private posted(message: HostToPanel): void {
    if (message.type === 'loss') {
      const same = this.shown && this.shown.uri === message.uri && this.shown.loss.name === message.loss.name && this.shown.loss.kind === message.loss.kind;
      this.shown = { uri: message.uri, loss: message.loss };
      if (!same) {
        this.clear(true);
        this.shown = { uri: message.uri, loss: message.loss };
        void this.listCandidates();
      } else if (this.selected) {
        this.postCompare();
      }
      return;
    }
    if (message.type === 'curves') {
      const before = this.grid;
      this.grid = message.result;
      const axis = message.result.axis.values;
      const moved =
        !before ||
        before.axis.values.length !== axis.length ||
        before.axis.values[0] !== axis[0] ||
        before.axis.values.at(-1) !== axis.at(-1) ||
        before.direction !== message.result.direction;
      if (this.selected && moved) this.computeCompared();
    }
  }

  private receive(message: PanelToHost): void {
    switch (message.type) {
      case 'ready':
        if (this.shown) void this.listCandidates();
        return;
      case 'compareWith': {
        const source = this.candidates.get(message.id);
        if (!source) return;
        this.selected = { source, values: Object.fromEntries(source.params.map((p) => [p.name, p.value])) };
        this.computeCompared();
        return;
      }
      case 'setCompareParam': {
        const selected = this.selected;
        // Only the compared loss's own parameters, inside their declared range.
        const param = selected?.source.params.find((p) => p.name === message.name);
        if (!selected || !param) return;
        const value = Math.min(param.max, Math.max(param.min, message.value));
        this.selected = { ...selected, values: { ...selected.values, [param.name]: value } };
        this.computeCompared();
        return;
      }
      case 'clearCompare':
        this.request?.cancel();
        this.request = undefined;
        this.selected = undefined;
        this.panel.post({ type: 'compare', compare: false });
        return;
      default:
        return;
    }
  }

  /** The library's losses and the workspace's, of the shown loss's kind, the shown loss left out. */
  private async listCandidates(): Promise<void> {
    const shown = this.shown;
    if (!shown) return;
    this.library ??= this.worker.request<'library'>({ type: 'library', view: 'library' }).promise.then((o) => (o.status === 'ok' ? o.result : undefined));
    const [library, files] = await Promise.all([this.library, this.workspaceLosses.list()]);
    if (this.shown !== shown) return;
    const sources: CandidateSource[] = [];
    for (const file of files) {
      for (const loss of file.losses) {
        if (loss.kind !== shown.loss.kind || (file.uri.toString() === shown.uri && loss.name === shown.loss.name)) continue;
        const line = loss.range.startLine;
        sources.push({
          candidate: { id: `workspace:${file.uri.toString()}#${line}:${loss.name}`, loss: loss.name, source: 'workspace', detail: basename(file.uri.path) },
          params: loss.params,
          text: () => {
            const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.uri.toString());
            return open ? lossTextAt(open.getText(), open.languageId, line) : lossTextAt(file.text, file.languageId, line);
          },
        });
      }
    }
    for (const { family, loss } of library?.losses ?? []) {
      if (loss.kind !== shown.loss.kind) continue;
      // The library loss brought in as a file would: `use`, with the shown loss's number of classes.
      const text = `@classes ${shown.loss.classes}\nuse ${loss.name} from "library"\n`;
      sources.push({ candidate: { id: `library:${loss.name}`, loss: loss.name, source: 'library', detail: family }, params: loss.params, text: () => text });
    }
    this.candidates = new Map(sources.map((s) => [s.candidate.id, s]));
    this.panel.post({ type: 'compareCandidates', candidates: sources.map((s) => s.candidate) });
  }

  /** The compared loss's curves on the grid of the shown curves: their range and their number of points. */
  private computeCompared(): void {
    const selected = this.selected;
    const grid = this.grid;
    if (!selected) return;
    if (!grid) {
      this.postCompare();
      return;
    }
    const text = selected.source.text();
    if (text === undefined) {
      this.postCompare(undefined, `${selected.source.candidate.loss} is no longer in ${selected.source.candidate.detail}`);
      return;
    }
    const axis = grid.axis.values;
    const pending = this.worker.request<'curves'>({
      type: 'curves',
      view: 'panel-compare',
      text,
      loss: selected.source.candidate.loss,
      params: selected.values,
      points: axis.length,
      range: [axis[0] ?? 0, axis.at(-1) ?? 1],
      // The compared loss along the same line through logit space as the shown one.
      ...(grid.direction ? { direction: grid.direction } : {}),
    });
    this.request = pending;
    void pending.promise.then((outcome) => {
      if (this.request !== pending || this.selected !== selected) return;
      this.request = undefined;
      if (outcome.status === 'cancelled') return;
      if (outcome.status === 'failed') {
        this.postCompare(undefined, outcome.diagnostics?.[0]?.message ?? outcome.message);
        return;
      }
      const nonFinite = nonFiniteCurvesMessage(outcome.result);
      this.postCompare(nonFinite ? undefined : outcome.result, nonFinite);
    });
  }

  private postCompare(curves?: CurvesResult, message?: string): void {
    const selected = this.selected;
    if (!selected) return;
    const { candidate } = selected.source;
    const compare: ComparedCurves = {
      id: candidate.id,
      loss: candidate.loss,
      source: candidate.source,
      params: selected.source.params,
      values: selected.values,
      ...(curves ? { curves } : {}),
      ...(message ? { message } : {}),
    };
    this.panel.post({ type: 'compare', compare });
  }

  private clear(keepPanelInformed = false): void {
    this.request?.cancel();
    this.request = undefined;
    this.selected = undefined;
    this.shown = undefined;
    this.grid = undefined;
    this.candidates = new Map();
    if (keepPanelInformed) this.panel.post({ type: 'compare', compare: false });
  }
}
