/**
 * `LossLab: Check Workspace Losses`: runs every loss's checks at its default params, one
 * loss at a time, with a cancellable progress notification; records each report for the LossLab
 * view, writes them to the LossLab output channel and ends with a one-line summary.
 */
import * as vscode from 'vscode';
import { lossTextAt } from '../core/lang/embedded';
import type { LossSummary, Verdict } from '../protocol';
import type { WorkerClient } from '../worker/client';
import { describeReport } from './check';
import { summarizeReport, type VerdictStore } from './verdicts';
import type { WorkspaceLosses } from './workspaceLosses';

export interface CheckAllSummary {
  /** Losses checked, and checks run over them by verdict. */
  readonly losses: number;
  readonly checks: Readonly<Record<Verdict, number>>;
  /** `name (file:line)` of the losses that fail a gradient or stability check. */
  readonly defects: readonly string[];
  readonly errors: readonly string[];
  readonly cancelled: boolean;
}

export async function checkAllLosses(
  worker: WorkerClient,
  workspace: WorkspaceLosses,
  verdicts: VerdictStore,
  output: vscode.OutputChannel,
): Promise<CheckAllSummary | undefined> {
  const files = await workspace.list();
  const jobs = files.flatMap((file) => file.losses.map((loss) => ({ file, loss })));
  if (jobs.length === 0) {
    void vscode.window.showInformationMessage('LossLab: no losses in this workspace (.loss files, `# loss:` comments, ```loss blocks in Markdown)');
    return undefined;
  }
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'LossLab: checking every loss', cancellable: true },
    async (progress, token) => {
      const checks: Record<Verdict, number> = { pass: 0, fail: 0, inconclusive: 0 };
      const defects: string[] = [];
      const errors: string[] = [];
      let losses = 0;
      for (const [k, { file, loss }] of jobs.entries()) {
        if (token.isCancellationRequested) break;
        const where = `${vscode.workspace.asRelativePath(file.uri)}:${loss.range.startLine + 1}`;
        progress.report({ message: `${k + 1}/${jobs.length}: ${loss.name} (${where})`, increment: k === 0 ? 0 : 100 / jobs.length });
        const text = lossTextAt(file.text, file.languageId, loss.range.startLine);
        if (text === undefined) continue;
        const pending = worker.request<'check'>({ type: 'check', view: 'checkAll', text, loss: loss.name, params: defaults(loss) });
        const listener = token.onCancellationRequested(() => pending.cancel());
        const outcome = await pending.promise;
        listener.dispose();
        if (outcome.status === 'ok') {
          verdicts.record(file.uri, outcome.result);
          const last = summarizeReport(outcome.result);
          losses++;
          for (const v of ['pass', 'fail', 'inconclusive'] as const) checks[v] += last.counts[v];
          if (last.defects.length > 0) defects.push(`${loss.name} (${where}: ${last.defects.join(', ')})`);
          output.appendLine(describeReport(where, outcome.result));
        } else if (outcome.status === 'failed') {
          errors.push(`${loss.name} (${where}): ${outcome.message}`);
          output.appendLine(`${where}: ${loss.name}: the checks failed to run: ${outcome.message}`);
        }
      }
      return { losses, checks, defects, errors, cancelled: token.isCancellationRequested };
    },
  );
  const line = describeSummary(summary, files.filter((f) => f.losses.length > 0).length);
  output.appendLine(line);
  const show = summary.defects.length > 0 || summary.errors.length > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(`LossLab: ${line}`, 'Show Output').then((choice) => {
    if (choice) output.show(true);
  });
  return summary;
}

function defaults(loss: LossSummary): Record<string, number> {
  return Object.fromEntries(loss.params.map((p) => [p.name, p.value]));
}

/**
 * `checked 13 losses in 5 files: 52 checks pass, 31 fail, 2 inconclusive; 1 loss fails the
 * gradient or stability check: logistic_naive (margins.loss:6: stability)`. A failed property
 * check (not convex, not bounded) describes a loss; a failed numerical check is a defect to fix.
 */
export function describeSummary(s: CheckAllSummary, files: number): string {
  const plural = (n: number, word: string, many = `${word}es`): string => `${n} ${n === 1 ? word : many}`;
  const counts = `${plural(s.checks.pass, 'check', 'checks')} pass, ${s.checks.fail} fail, ${s.checks.inconclusive} inconclusive`;
  const defects =
    s.defects.length > 0
      ? `; ${plural(s.defects.length, 'loss')} ${s.defects.length === 1 ? 'fails' : 'fail'} the gradient or stability check: ${s.defects.join(', ')}`
      : '; no loss fails the gradient or stability check';
  const errors = s.errors.length > 0 ? `; ${plural(s.errors.length, 'loss')} could not be checked` : '';
  return `${s.cancelled ? 'cancelled after checking' : 'checked'} ${plural(s.losses, 'loss')} in ${plural(files, 'file', 'files')}: ${counts}${defects}${errors}`;
}
