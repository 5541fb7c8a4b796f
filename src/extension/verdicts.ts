/**
 * The last check report of each loss, from any run (the Check command, Check All, checks on save),
 * for the LossLab view. A failed property check (not convex, not bounded) describes the loss; a
 * failed `gradient` or `stability` check is a defect (a wrong derivative, a float32 breakdown),
 * and the view marks it as one.
 */
import * as vscode from 'vscode';
import type { CheckReport, Verdict } from '../protocol';

/** The checks whose failure is a defect of the loss as written, not a property of the function. */
export const NUMERICAL_CHECKS: readonly string[] = ['gradient', 'stability'];

export interface LastCheck {
  readonly report: CheckReport;
  readonly counts: Readonly<Record<Verdict, number>>;
  /** The numerical checks that failed. */
  readonly defects: readonly string[];
  readonly at: Date;
}

export function summarizeReport(report: CheckReport): Omit<LastCheck, 'at'> {
  const count = (v: Verdict): number => report.checks.filter((c) => c.verdict === v).length;
  return {
    report,
    counts: { pass: count('pass'), fail: count('fail'), inconclusive: count('inconclusive') },
    defects: report.checks.filter((c) => c.verdict === 'fail' && NUMERICAL_CHECKS.includes(c.id)).map((c) => c.id),
  };
}

export class VerdictStore implements vscode.Disposable {
  private readonly last = new Map<string, LastCheck>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  record(uri: vscode.Uri, report: CheckReport): void {
    this.last.set(key(uri, report.loss), { ...summarizeReport(report), at: new Date() });
    this.changed.fire();
  }

  get(uri: vscode.Uri, loss: string): LastCheck | undefined {
    return this.last.get(key(uri, loss));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const key = (uri: vscode.Uri, loss: string): string => `${uri.toString()}#${loss}`;
