/**
 * The panel's HTML document, apart from VS Code so that a test can parse it: a strict Content
 * Security Policy (nothing remote, no inline code, scripts only with this load's nonce) and
 * every local file through the URL the caller makes for it (`asWebviewUri` in VS Code).
 */

export interface PanelDocumentSources {
  /** A fresh random value per load: a script injected by a later load cannot reuse it. */
  readonly nonce: string;
  /** The webview's own origin (`webview.cspSource`): where styles, fonts and images may come from. */
  readonly cspSource: string;
  /** The URL of a bundled file of `dist/`. */
  readonly asset: (file: string) => string;
}

/** The policy, one directive per line of the array: `default-src 'none'` refuses all the rest. */
export function panelContentSecurityPolicy(nonce: string, cspSource: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

const escapeAttribute = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function renderPanelDocument({ nonce, cspSource, asset }: PanelDocumentSources): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(panelContentSecurityPolicy(nonce, cspSource))};">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(asset('webview.css'))}" nonce="${attr(nonce)}">
  <title>LossLab</title>
</head>
<body>
  <main id="app" aria-live="polite"></main>
  <script nonce="${attr(nonce)}" src="${attr(asset('webview.js'))}"></script>
</body>
</html>`;
}
