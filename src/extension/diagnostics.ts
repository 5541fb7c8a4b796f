/**
 * Turns the core's diagnostics (0-based ranges, severities as words) into VS Code's, and a worker
 * failure that carries no range into one at the top of the file, so that nothing is lost silently.
 */
import * as vscode from 'vscode';
import type { LossDiagnostic, SourceRange } from '../protocol';

export const DIAGNOSTIC_SOURCE = 'LossLab';

const SEVERITY: Readonly<Record<LossDiagnostic['severity'], vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

// vscode.Range throws on negative numbers; a worker is trusted to send none, but a thrown
// exception here would lose every other diagnostic of the document.
const position = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

export function toVsRange(r: SourceRange): vscode.Range {
  return new vscode.Range(position(r.startLine), position(r.startColumn), position(r.endLine), position(r.endColumn));
}

export function toVsDiagnostic(d: LossDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVsRange(d.range), d.message, SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Error);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = d.code;
  return diagnostic;
}

/** A failure of the analysis itself (not of the text): shown on the first line of the file. */
export function analysisFailureDiagnostic(message: string): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `LossLab could not analyse this file: ${message}`, vscode.DiagnosticSeverity.Warning);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = 'analysis-failed';
  return diagnostic;
}
