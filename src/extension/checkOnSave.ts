/**
 * Checks on save (`losslab.checks.onSave`, none by default): when a document with losses is
 * saved, the chosen checks run on each of its losses at their default params; a failing check
 * becomes a warning on the loss's definition, until the document changes or is checked again.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { WorkerClient } from '../worker/client';
import type { DocumentAnalysis } from './analysis';
import { describeReport } from './check';
import { DIAGNOSTIC_SOURCE, toVsRange } from './diagnostics';
import type { LossLabSettings } from './settings';
import type { VerdictStore } from './verdicts';

export function checkOnSave(
  worker: WorkerClient,
  analysis: DocumentAnalysis,
  verdicts: VerdictStore,
  output: vscode.OutputChannel,
  settings: () => LossLabSettings,
): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('losslab-checks');
  const run = async (document: vscode.TextDocument): Promise<void> => {
    const only = settings().checksOnSave;
    const losses = analysis.lossesIn(document.uri);
    if (only.length === 0 || losses.length === 0) return;
    const found: vscode.Diagnostic[] = [];
    for (const loss of losses) {
      const text = analysis.lossText(document, loss);
      if (text === undefined) continue;
      const params = Object.fromEntries(loss.params.map((p) => [p.name, p.value]));
      const outcome = await worker.request<'check'>({
        type: 'check',
        view: `save:${document.uri.toString()}#${loss.name}`,
        text,
        loss: loss.name,
        params,
        only,
      }).promise;
      if (outcome.status !== 'ok') {
        if (outcome.status === 'failed')
          output.appendLine(`${basename(document.uri.path)}: ${loss.name}: the checks on save failed to run: ${outcome.message}`);
        continue;
      }
      verdicts.record(document.uri, outcome.result);
      output.appendLine(describeReport(basename(document.uri.path), outcome.result));
      for (const c of outcome.result.checks.filter((x) => x.verdict === 'fail')) {
        const d = new vscode.Diagnostic(toVsRange(loss.range), `${loss.name} fails the ${c.id} check: ${c.summary}`, vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = `check:${c.id}`;
        found.push(d);
      }
    }
    collection.set(document.uri, found);
  };
  return [
    collection,
    vscode.workspace.onDidSaveTextDocument((d) => void run(d)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) collection.delete(e.document.uri);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
  ];
}
