/**
 * `LossLab: Run Experiment`: trains tiny models with the shown loss and the losses it is compared
 * with, on the same data and seeds, on the experiment worker (a thread of its own, so the curves
 * keep answering the sliders meanwhile), with a cancellable progress notification and, in the
 * panel, a progress bar and a cancel button; the panel draws the training curves as they come
 * and then the comparison table and the landscape. From the panel's form the setup and the
 * comparison are the form's; from the palette they are the form's last ones for this loss, or
 * else the core's defaults with the dataset that fits the kind, and a pick of the file's losses.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ExperimentReport, ExperimentSetupInput, LiveTraining, LossSummary } from '../protocol';
import type { WorkerClient } from '../worker/client';
import type { DocumentAnalysis } from './analysis';
import type { PanelSession } from './panelSession';
import type { LossTarget } from './target';

/** Blobs need K classes; a binary loss (margin, probability) gets the two moons, which a linear model cannot separate. */
export function experimentSetup(loss: LossSummary): ExperimentSetupInput {
  return { dataset: loss.kind === 'multiclass' ? 'blobs' : 'moons', landscape: true };
}

/** Live curves and progress reach the panel at most this often: a plot redrawn per epoch would stall the webview. */
const LIVE_EVERY_MS = 250;

export async function runExperimentCommand(
  worker: () => WorkerClient,
  analysis: DocumentAnalysis,
  session: PanelSession,
  output: vscode.OutputChannel,
  target: LossTarget,
): Promise<void> {
  if (!session.select(target)) return;
  const subject = session.checkSubject();
  const loss = analysis.lossNamed(target.uri, target.loss, target.line);
  if (!subject || !loss) return;
  const form = session.experiments.formFor(subject.target);
  const others = analysis.lossesIn(target.uri).filter((l) => l.kind === loss.kind && l.name !== loss.name);
  const compared = form ? form.with : others.length === 0 ? [] : await pickComparisons(loss, others);
  if (compared === undefined) return;
  const file = basename(target.uri.path);
  const setup = form?.setup ?? experimentSetup(loss);
  const panel = session.experiments;

  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `LossLab: experiment with ${loss.name}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      const live = new Map<string, LiveTraining>();
      let lastPosted = 0;
      let generation = 0;
      const pending = worker().request<'experiment'>(
        {
          type: 'experiment',
          view: `experiment:${target.uri.toString()}`,
          text: subject.text,
          loss: loss.name,
          params: subject.params,
          with: compared,
          setup,
        },
        (fraction, message, curve) => {
          const done = Math.min(100, Math.max(reported, fraction * 100));
          progress.report({ message, increment: done - reported });
          reported = done;
          if (curve) live.set(`${curve.loss}\u0000${curve.seed}`, curve);
          const now = Date.now();
          if (now - lastPosted < LIVE_EVERY_MS) return;
          lastPosted = now;
          panel.progress(generation, done / 100, message, [...live.values()]);
        },
      );
      generation = panel.begin(subject.target, () => pending.cancel());
      token.onCancellationRequested(() => pending.cancel());
      return pending.promise.then((o) => ({ outcome: o, generation }));
    },
  );
  const { generation } = outcome;
  switch (outcome.outcome.status) {
    case 'ok':
      session.revealExperiment();
      panel.end(generation, subject.target, outcome.outcome.result);
      output.appendLine(describeExperiment(file, outcome.outcome.result));
      return;
    case 'failed': {
      const message = outcome.outcome.message;
      panel.end(generation, subject.target, { state: 'failed', message });
      output.appendLine(`${file}: ${loss.name}: the experiment failed: ${message}`);
      void vscode.window.showErrorMessage(`LossLab: the experiment with ${loss.name} failed: ${message}`);
      return;
    }
    case 'cancelled':
      panel.end(generation, subject.target, { state: 'cancelled' });
      output.appendLine(`${file}: ${loss.name}: experiment cancelled`);
      return;
  }
}

/** The losses to compare with; an empty list runs the loss alone, undefined (Escape) runs nothing. */
async function pickComparisons(loss: LossSummary, others: readonly LossSummary[]): Promise<string[] | undefined> {
  const picked = await vscode.window.showQuickPick(
    others.map((l) => ({ label: l.name, description: l.description ?? l.kind, picked: true })),
    { canPickMany: true, title: `Compare ${loss.name} with (same data and seeds)`, placeHolder: 'Losses of this file to train too; none: only this one' },
  );
  return picked?.map((p) => p.label);
}

function describeExperiment(file: string, report: ExperimentReport): string {
  const { setup } = report;
  const head = `[${new Date().toLocaleTimeString()}] ${file}: experiment on ${setup.dataset} (${report.classes} classes, ${setup.points} points, ${setup.model}, ${setup.epochs} epochs, seeds ${setup.seeds.join(', ')}) in ${(report.elapsed_ms / 1000).toFixed(1)} s`;
  const width = Math.max(0, ...report.summary.map((s) => s.loss.length));
  const lines = report.summary.map(
    (s) =>
      `  ${s.loss.padEnd(width)}  test accuracy ${s.test_accuracy.mean.toFixed(3)} ± ${s.test_accuracy.std.toFixed(3)}  ECE ${s.test_ece.mean.toFixed(3)}  final train loss ${s.final_train_loss.mean.toPrecision(4)}`,
  );
  return [head, ...lines].join('\n');
}
