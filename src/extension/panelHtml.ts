/**
 * The panel's HTML for a VS Code webview: a fresh nonce per load and every local file through
 * `asWebviewUri`, as VS Code's webview guide asks. The document itself is `panelDocument.ts`.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { renderPanelDocument } from './panelDocument';

/** A fresh nonce per load: a script injected by a later load cannot reuse it. */
function createNonce(): string {
  return randomBytes(18).toString('base64');
}

export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return renderPanelDocument({
    nonce: createNonce(),
    cspSource: webview.cspSource,
    asset: (file) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString(),
  });
}
