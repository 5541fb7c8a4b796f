/**
 * Quick fixes: a diagnostic of the core may carry the edit that resolves it (the closest name for
 * a typo, the stable rewrite of `log(1 + exp(u))`); this offers it as a code action. The edit
 * comes from the last analysis, matched to VS Code's diagnostic by range, code and message.
 */
import * as vscode from 'vscode';
import type { LossDiagnostic } from '../protocol';
import { LOSS_HOSTS, type DocumentAnalysis } from './analysis';
import { DIAGNOSTIC_SOURCE, toVsRange } from './diagnostics';

function matches(d: vscode.Diagnostic, loss: LossDiagnostic): boolean {
  return d.code === loss.code && d.message === loss.message && d.range.isEqual(toVsRange(loss.range));
}

export function registerQuickFixes(analysis: DocumentAnalysis): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, _range, context) {
      const known = analysis.diagnosticsOf(document.uri).filter((d) => d.fix !== undefined);
      return context.diagnostics.flatMap((d) => {
        if (d.source !== DIAGNOSTIC_SOURCE) return [];
        const fix = known.find((k) => matches(d, k))?.fix;
        if (!fix) return [];
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, toVsRange(fix.edit.range), fix.edit.newText);
        action.diagnostics = [d];
        action.isPreferred = true;
        return [action];
      });
    },
  };
  return vscode.languages.registerCodeActionsProvider(LOSS_HOSTS, provider, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] });
}
