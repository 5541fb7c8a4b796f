/**
 * `LossLab: Run Experiment`: trains tiny models with the shown loss and, if the user picks them,
 * the file's other losses of the same kind, on the same data and seeds, with a cancellable
 * progress notification; the panel draws the training curves as they come and then the
 * comparison table and the landscape. The setup is the core's defaults, with the dataset that
 * fits the kind and the landscape turned on.
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

/** Live curves reach the panel at most this often: a plot redrawn per epoch would stall the webview. */
const LIVE_EVERY_MS = 250;

export async function runExperimentCommand(
  worker: WorkerClient,
  analysis: DocumentAnalysis,
  session: PanelSession,
  output: vscode.OutputChannel,
  target: LossTarget,
): Promise<void> {
  if (!session.select(target)) return;
  const subject = session.checkSubject();
  const loss = analysis.lossNamed(target.uri, target.loss, target.line);
  if (!subject || !loss) return;
  const others = analysis.lossesIn(target.uri).filter((l) => l.kind === loss.kind && l.name !== loss.name);
  const compared = others.length === 0 ? [] : await pickComparisons(loss, others);
  if (compared === undefined) return;
  const file = basename(target.uri.path);
  const setup = experimentSetup(loss);

  const live = new Map<string, LiveTraining>();
  let lastPosted = 0;
  const postLive = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - lastPosted < LIVE_EVERY_MS) return;
    lastPosted = now;
    session.showExperimentLive([...live.values()]);
  };
  postLive(true);

  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `LossLab: experiment with ${loss.name}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      const pending = worker.request<'experiment'>(
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
          if (curve) {
            live.set(`${curve.loss}\u0000${curve.seed}`, curve);
            postLive(false);
          }
        },
      );
      token.onCancellationRequested(() => pending.cancel());
      return pending.promise;
    },
  );
  switch (outcome.status) {
    case 'ok':
      session.showExperiment(outcome.result);
      output.appendLine(describeExperiment(file, outcome.result));
      return;
    case 'failed':
      session.showExperimentLive([]);
      output.appendLine(`${file}: ${loss.name}: the experiment failed: ${outcome.message}`);
      void vscode.window.showErrorMessage(`LossLab: the experiment with ${loss.name} failed: ${outcome.message}`);
      return;
    case 'cancelled':
      session.showExperimentLive([]);
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
