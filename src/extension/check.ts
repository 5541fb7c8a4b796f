/**
 * `LossLab: Check Loss`: runs the kind's checks on the shown loss at its slider values, with a
 * cancellable progress notification, then shows the report in the panel and a summary in the
 * LossLab output channel (the place a researcher can copy numbers from).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { CheckReport, CheckResult, Verdict } from '../protocol';
import type { WorkerClient } from '../worker/client';
import type { PanelSession } from './panelSession';
import type { LossTarget } from './target';
import type { VerdictStore } from './verdicts';

export async function checkLoss(
  worker: WorkerClient,
  session: PanelSession,
  output: vscode.OutputChannel,
  verdicts: VerdictStore,
  target: LossTarget,
): Promise<void> {
  // Selecting first makes the panel show the loss the report is about.
  if (!session.select(target)) return;
  const subject = session.checkSubject();
  if (!subject) return;
  const file = basename(subject.target.uri.path);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `LossLab: checking ${subject.target.loss}`, cancellable: true },
    (progress, token) => {
      let reported = 0;
      const pending = worker.request<'check'>(
        { type: 'check', view: 'check', text: subject.text, loss: subject.target.loss, params: subject.params },
        (fraction, message) => {
          // withProgress adds increments; the worker reports the fraction done so far.
          const done = Math.min(100, Math.max(reported, fraction * 100));
          progress.report({ message, increment: done - reported });
          reported = done;
        },
      );
      token.onCancellationRequested(() => pending.cancel());
      return pending.promise;
    },
  );
  switch (outcome.status) {
    case 'ok':
      session.showChecks(outcome.result);
      verdicts.record(subject.target.uri, outcome.result);
      output.appendLine(describeReport(file, outcome.result));
      return;
    case 'failed':
      output.appendLine(`${file}: ${subject.target.loss}: the checks failed to run: ${outcome.message}`);
      void vscode.window.showErrorMessage(`LossLab: the checks of ${subject.target.loss} failed to run: ${outcome.message}`);
      return;
    case 'cancelled':
      output.appendLine(`${file}: ${subject.target.loss}: checks cancelled`);
      return;
  }
}

const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'inconclusive'];

/** One headline and one line per check, aligned so that verdicts read as a column. */
export function describeReport(file: string, report: CheckReport): string {
  const params = Object.entries(report.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const counts = VERDICTS.map((v) => `${report.checks.filter((c) => c.verdict === v).length} ${v}`).join(', ');
  const idWidth = Math.max(0, ...report.checks.map((c) => c.id.length));
  const lines = report.checks.map((c) => `  ${c.verdict.padEnd(12)} ${c.id.padEnd(idWidth)}  ${c.summary}${witnessText(c)}`);
  const at = params ? ` at ${params}` : '';
  return [`[${new Date().toLocaleTimeString()}] ${file}: ${report.loss} (${report.kind})${at}: ${counts}`, ...lines].join('\n');
}

function witnessText(check: CheckResult): string {
  if (check.verdict !== 'fail' || !check.witness) return '';
  const parts = Object.entries(check.witness).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`);
  return parts.length > 0 ? ` (witness: ${parts.join(', ')})` : '';
}
