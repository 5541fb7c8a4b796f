/**
 * Reopening VS Code restores the panel: VS Code keeps the state the webview saved and hands it
 * back with a fresh panel, which gets this load's HTML, and the loss it showed is selected again
 * with its slider values, input range and pin. The webview restores its own views (series,
 * scale, zoom) from the same saved state.
 */
import * as vscode from 'vscode';
import type { DocumentAnalysis } from './analysis';
import { PANEL_VIEW_TYPE, type LossPanel } from './panel';
import { restoredPanel } from './panelRestore';
import type { PanelSession } from './panelSession';

export function registerPanelSerializer(panel: LossPanel, session: PanelSession, analysis: DocumentAnalysis): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
    async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
      panel.adopt(webviewPanel);
      const saved = restoredPanel(state);
      if (!saved) return;
      try {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(saved.uri, true));
        await analysis.whenAnalyzed(document);
        if (!session.select({ uri: document.uri, loss: saved.loss, line: saved.line }, false)) return;
        session.restoreView(saved.params, saved.range, saved.direction);
        if (saved.pinned) panel.setPinned(true);
      } catch {
        // The file is gone or unreadable: the panel stays empty and says how to fill it.
      }
    },
  });
}
