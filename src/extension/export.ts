/**
 * `LossLab: Export Loss…`: a quick pick of the target (PyTorch, JAX, TensorFlow, NumPy, LaTeX),
 * then the worker generates the code from the loss at the panel's slider values, with a header of
 * LossLab's verdicts, and it opens in a new editor (or goes to the clipboard).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ExportTarget } from '../core/export/exportPlan';
import type { WorkerClient } from '../worker/client';
import type { PanelSession } from './panelSession';
import type { LossTarget } from './target';

const TARGETS: readonly { readonly target: ExportTarget; readonly label: string; readonly language: string }[] = [
  { target: 'pytorch', label: 'PyTorch', language: 'python' },
  { target: 'jax', label: 'JAX', language: 'python' },
  { target: 'tensorflow', label: 'TensorFlow', language: 'python' },
  { target: 'numpy', label: 'NumPy (float64 reference)', language: 'python' },
  { target: 'latex', label: 'LaTeX', language: 'latex' },
];

export async function exportLossCommand(worker: WorkerClient, session: PanelSession, target: LossTarget): Promise<void> {
  if (!session.select(target, false)) return;
  const subject = session.checkSubject();
  if (!subject) return;
  const choice = await vscode.window.showQuickPick(
    TARGETS.map((t) => ({ label: t.label, target: t })),
    { title: `LossLab: export ${target.loss}`, placeHolder: 'Export to…' },
  );
  if (!choice) return;
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `LossLab: exporting ${target.loss}` },
    () =>
      worker.request<'export'>({
        type: 'export',
        view: `export:${target.uri.toString()}`,
        text: subject.text,
        loss: target.loss,
        params: subject.params,
        target: choice.target.target,
        file: basename(target.uri.path),
      }).promise,
  );
  if (outcome.status === 'failed') {
    void vscode.window.showErrorMessage(`LossLab: the export of ${target.loss} failed: ${outcome.message}`);
    return;
  }
  if (outcome.status !== 'ok') return;
  const document = await vscode.workspace.openTextDocument({ content: outcome.result.code, language: choice.target.language });
  await vscode.window.showTextDocument(document, { preview: false });
  const copy = await vscode.window.showInformationMessage(`LossLab: ${target.loss} exported to ${choice.target.label}.`, 'Copy to clipboard');
  if (copy) await vscode.env.clipboard.writeText(outcome.result.code);
}
