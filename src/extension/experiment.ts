/**
 * The panel's side of experiments: the reports, the forms and the running experiment of each
 * loss, kept by the PanelSession. The command that starts one is `experimentCommand.ts`.
 */
import * as vscode from 'vscode';
import { libraryLossesOfKind } from '../core/experiments/candidates';
import type { ExperimentChoices, ExperimentReport, ExperimentSetupInput, ExperimentStatus, HostToPanel, LiveTraining, LossSummary } from '../protocol';
import type { LossTarget } from './target';

/** Reports kept per loss, so that a panel closed and opened again shows them at once. */
const REPORTS_KEPT = 32;

/** A setup and comparison from the panel's form. */
export interface ExperimentRequestForm {
  readonly setup: ExperimentSetupInput;
  readonly with: readonly string[];
}

const targetKey = (t: LossTarget): string => `${t.uri.toString()}\u0000${t.loss}`;

/**
 * The panel's side of experiments, kept by the PanelSession: the last report of each loss (they
 * outlive the panel: the host re-posts them when it loads), the form last run for each loss, and
 * the running experiment with its cancel. One experiment runs at a time; a newer one supersedes
 * it, and what the older one says after that is not shown.
 */
export class ExperimentPanelState {
  private readonly reports = new Map<string, ExperimentReport>();
  private readonly forms = new Map<string, ExperimentRequestForm>();
  private running: { readonly generation: number; readonly key: string; readonly cancel: () => void; status: ExperimentStatus } | undefined;
  private stopped: { readonly key: string; readonly status: ExperimentStatus } | undefined;
  private generation = 0;

  constructor(
    private readonly post: (m: HostToPanel) => void,
    private readonly fileLosses: (uri: vscode.Uri) => readonly LossSummary[],
  ) {}

  /** The form the panel ran last for `target`, which the palette's command reuses. */
  formFor(target: LossTarget): ExperimentRequestForm | undefined {
    return this.forms.get(targetKey(target));
  }

  rememberForm(target: LossTarget, form: ExperimentRequestForm): void {
    this.forms.set(targetKey(target), form);
  }

  /** The cancel button of the panel. */
  cancel(): void {
    this.running?.cancel();
  }

  /** An experiment on `target` starts; the returned generation names it in what follows. */
  begin(target: LossTarget, cancel: () => void): number {
    const generation = ++this.generation;
    const status: ExperimentStatus = { state: 'running', fraction: 0, message: 'starting' };
    this.running = { generation, key: targetKey(target), cancel, status };
    this.stopped = undefined;
    this.post({ type: 'experimentLive', live: [] });
    this.post({ type: 'experimentStatus', status });
    return generation;
  }

  progress(generation: number, fraction: number, message: string, live: readonly LiveTraining[]): void {
    if (this.running?.generation !== generation) return;
    this.running.status = { state: 'running', fraction, message };
    this.post({ type: 'experimentStatus', status: this.running.status });
    if (live.length > 0) this.post({ type: 'experimentLive', live });
  }

  /** The experiment ended: its report, or how it stopped (cancelled, failed). */
  end(generation: number, target: LossTarget, outcome: ExperimentReport | ExperimentStatus): void {
    const current = this.running?.generation === generation;
    if (current) this.running = undefined;
    if ('runs' in outcome) {
      const key = targetKey(target);
      this.reports.delete(key);
      this.reports.set(key, outcome);
      for (const k of this.reports.keys()) if (this.reports.size > REPORTS_KEPT) this.reports.delete(k);
      if (current) this.post({ type: 'experiment', result: outcome });
      return;
    }
    if (!current) return;
    this.stopped = { key: targetKey(target), status: outcome };
    this.post({ type: 'experimentLive', live: [] });
    this.post({ type: 'experimentStatus', status: outcome });
  }

  /** A (re)loaded webview or another loss shown: what the panel needs for `target`'s experiments. */
  repost(target: LossTarget): void {
    const key = targetKey(target);
    const report = this.reports.get(key);
    if (report) this.post({ type: 'experiment', result: report });
    if (this.running?.key === key) this.post({ type: 'experimentStatus', status: this.running.status });
    else if (this.stopped?.key === key) this.post({ type: 'experimentStatus', status: this.stopped.status });
  }

  postChoices(target: LossTarget, loss: LossSummary): void {
    const last = this.forms.get(targetKey(target));
    const choices: ExperimentChoices = {
      loss: loss.name,
      file: this.fileLosses(target.uri)
        .filter((l) => l.kind === loss.kind && l.name !== loss.name)
        .map((l) => l.name),
      library: libraryLossesOfKind(loss.kind),
      ...(last ? { last: { setup: last.setup, with: last.with } } : {}),
    };
    this.post({ type: 'experimentChoices', choices });
  }
}
