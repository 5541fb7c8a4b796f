/**
 * While the panel is open it follows the writer: moving the cursor onto another loss's definition
 * in a document with losses shows that loss. Lines between definitions change nothing, so reading a
 * helper or a comment does not make the plot jump.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './analysis';
import type { LossPanel } from './panel';
import type { PanelSession } from './panelSession';
import { sameTarget } from './target';

export function followCursor(analysis: DocumentAnalysis, panel: LossPanel, session: PanelSession): vscode.Disposable {
  return vscode.window.onDidChangeTextEditorSelection((e) => {
    const document = e.textEditor.document;
    // Pinned, the panel stays on its loss.
    if (!panel.isOpen || panel.pinned) return;
    const line = e.selections[0]?.active.line;
    if (line === undefined) return;
    const loss = analysis.lossDefinedAt(document.uri, line);
    if (!loss) return;
    const target = { uri: document.uri, loss: loss.name, line: loss.range.startLine };
    const shown = session.shownTarget;
    if (!shown || !sameTarget(shown, target) || shown.line !== target.line) session.select(target, false);
  });
}
