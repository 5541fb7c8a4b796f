/** Positions are 0-based lines and columns, as in the VS Code API; the CLI prints them 1-based. */
export interface SourceRange {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** Replace the text of `range` by `newText`: the edit a quick fix applies. */
export interface TextEdit {
  readonly range: SourceRange;
  readonly newText: string;
}

/** An edit that resolves a diagnostic, offered as a quick fix in the editor. */
export interface QuickFix {
  readonly title: string;
  readonly edit: TextEdit;
}

export interface LossDiagnostic {
  readonly range: SourceRange;
  readonly severity: Severity;
  readonly message: string;
  /** A machine-readable reason, stable across versions (e.g. `unknown-function`). */
  readonly code: string;
  readonly fix?: QuickFix;
}

export function rangeOnLine(line: number, startColumn: number, endColumn: number): SourceRange {
  return { startLine: line, startColumn, endLine: line, endColumn: Math.max(endColumn, startColumn + 1) };
}

export function errorAt(range: SourceRange, code: string, message: string): LossDiagnostic {
  return { range, severity: 'error', code, message };
}

/** `file:line:col: message`, 1-based, the form compilers print and editors link. */
export function formatDiagnostic(file: string, d: LossDiagnostic): string {
  return `${file}:${d.range.startLine + 1}:${d.range.startColumn + 1}: ${d.severity}: ${d.message}`;
}
