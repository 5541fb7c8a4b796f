/** Positions are 0-based lines and columns, as in the VS Code API; the CLI prints them 1-based. */
export interface SourceRange {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface LossDiagnostic {
  readonly range: SourceRange;
  readonly severity: Severity;
  readonly message: string;
  /** A machine-readable reason, stable across versions (e.g. `unknown-function`). */
  readonly code: string;
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
