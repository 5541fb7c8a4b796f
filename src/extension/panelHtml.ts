/**
 * The panel's HTML: a strict Content Security Policy (nothing remote, scripts only with this
 * load's nonce) and every local file through `asWebviewUri`, as VS Code's webview guide asks.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh nonce per load: a script injected by a later load cannot reuse it. */
function createNonce(): string {
  return randomBytes(18).toString('base64');
}

export function renderPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = createNonce();
  const asset = (file: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', file)).toString();
  const csp = [
    `default-src 'none'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp};">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset('webview.css')}" nonce="${nonce}">
  <title>LossLab</title>
</head>
<body>
  <main id="app" aria-live="polite"></main>
  <script nonce="${nonce}" src="${asset('webview.js')}"></script>
</body>
</html>`;
}
