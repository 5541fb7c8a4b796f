/**
 * Which loss a command acts on. From a CodeLens or the LossLab view the arguments say it (uri,
 * loss name, and the definition's line, which tells apart two Markdown blocks that define the same
 * name); from the editor title a uri alone; from the command palette nothing, so the loss under
 * the cursor in the active editor, or the one defined above it, or the first.
 */
import * as vscode from 'vscode';
import type { LossSummary } from '../protocol';
import type { DocumentAnalysis } from './analysis';

export interface LossTarget {
  readonly uri: vscode.Uri;
  readonly loss: string;
  readonly line?: number;
}

/** The same name in the same document; `line` tells apart same-named losses, which the caller resolves. */
export function sameTarget(a: LossTarget, b: LossTarget): boolean {
  return a.loss === b.loss && a.uri.toString() === b.uri.toString();
}

/** Command arguments come from anywhere (other extensions, keybindings): check them. */
export function lossTargetFromArgs(args: readonly unknown[], analysis: DocumentAnalysis): LossTarget | undefined {
  const [first, second, third] = args;
  if (first instanceof vscode.Uri && typeof second === 'string') {
    return typeof third === 'number' && Number.isInteger(third) && third >= 0 ? { uri: first, loss: second, line: third } : { uri: first, loss: second };
  }
  const editor = vscode.window.activeTextEditor;
  const uri = first instanceof vscode.Uri ? first : editor && analysis.lossesIn(editor.document.uri).length > 0 ? editor.document.uri : undefined;
  if (!uri) return undefined;
  const cursorLine = editor && editor.document.uri.toString() === uri.toString() ? editor.selection.active.line : 0;
  const loss = lossNearLine(analysis.lossesIn(uri), cursorLine);
  return loss ? { uri, loss: loss.name, line: loss.range.startLine } : undefined;
}

function lossNearLine(losses: readonly LossSummary[], line: number): LossSummary | undefined {
  const above = losses.filter((l) => l.range.startLine <= line).sort((a, b) => a.range.startLine - b.range.startLine);
  return above[above.length - 1] ?? losses[0];
}
