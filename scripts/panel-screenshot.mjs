// Photographs the LossLab panel outside VS Code: serves webview/harness.html under the same
// Content Security Policy as the real panel, in a dark VS Code-like theme, and plays the
// extension host itself: every message from the panel is answered through the real worker
// (dist/worker.js) on examples/focal.loss, so the picture shows real numbers. It drives a slider
// and a check row like a user and writes docs/panel.png. Any CSP violation or script error fails
// the run. Run with `npm run screenshot` (it builds first; tsx loads the worker client's source).
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { WorkerClient } from '../src/worker/client.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'docs', 'panel.png');
const ORIGIN = 'http://losslab.test';
// The panel's policy (src/extension/panelHtml.ts) with this origin as the webview's cspSource.
const CSP = `default-src 'none'; style-src ${ORIGIN} 'nonce-harness'; font-src ${ORIGIN}; img-src ${ORIGIN} data:; script-src 'nonce-harness';`;

// VS Code's Dark Modern theme, the variables the panel reads.
const DARK_THEME = {
  '--vscode-font-family': '"Segoe WPC", "Segoe UI", "Ubuntu", "DejaVu Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-errorForeground': '#f85149',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-widget-border': '#313131',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-hoverBackground': '#026ec1',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-testing-iconFailed': '#f14c4c',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-textCodeBlock-background': '#2b2b2b',
  '--vscode-scrollbarSlider-background': '#79797966',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-icon-foreground': '#cccccc',
  '--vscode-editor-selectionBackground': '#264f78',
};

const MIME = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

if (!existsSync(join(root, 'dist', 'webview.js')) || !existsSync(join(root, 'dist', 'webview.css'))) {
  console.error('panel-screenshot: dist/webview.js or dist/webview.css is missing; run `npm run build` first');
  process.exit(1);
}

const FOCAL = await readFile(join(root, 'examples', 'focal.loss'), 'utf8');
const worker = new WorkerClient(join(root, 'dist', 'worker.js'), {});
const backend = await worker.ready();
const analysed = await worker.request({ type: 'analyze', view: 'analyze', text: FOCAL }).promise;
if (analysed.status !== 'ok') throw new Error(`analysis failed: ${JSON.stringify(analysed)}`);
const focal = analysed.result.losses.find((l) => l.name === 'focal');
let params = Object.fromEntries(focal.params.map((p) => [p.name, p.value]));

/** What the extension host posts back for one panel message, computed by the real worker. */
async function relay(message) {
  const curves = async () => {
    const r = await worker.request({ type: 'curves', view: 'panel', text: FOCAL, loss: 'focal', params, points: 400 }).promise;
    return r.status === 'ok'
      ? [
          { type: 'curves', result: r.result },
          { type: 'status', status: 'ready' },
        ]
      : [{ type: 'status', status: 'failed', message: r.status === 'failed' ? r.message : 'cancelled' }];
  };
  const checks = async () => {
    const r = await worker.request({ type: 'check', view: 'check', text: FOCAL, loss: 'focal', params }).promise;
    return r.status === 'ok' ? [{ type: 'checks', report: r.result }] : [];
  };
  switch (message.type) {
    case 'ready':
      return [
        { type: 'backend', backend },
        { type: 'loss', uri: 'file:///workspace/examples/focal.loss', loss: focal, params },
        ...(await curves()),
        ...(await checks()),
      ];
    case 'setParam':
      params = { ...params, [message.name]: message.value };
      return curves();
    case 'runChecks':
      return checks();
    default:
      return [];
  }
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const problems = [];
try {
  const page = await browser.newPage({ viewport: { width: 680, height: 900 }, deviceScaleFactor: 2 });
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.exposeFunction('harnessRelay', relay);
  await page.addInitScript((theme) => {
    window.harnessTheme = theme;
  }, DARK_THEME);
  // Only the harness and the bundle are served; nothing else is reachable, as in a webview.
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = normalize(decodeURIComponent(new URL(route.request().url()).pathname)).replace(/^\/+/, '');
    if (!/^(webview\/harness\.html|dist\/[\w./-]+)$/.test(path) || path.includes('..')) return route.fulfill({ status: 404, body: '' });
    const headers = path.endsWith('.html') ? { 'Content-Security-Policy': CSP } : {};
    try {
      await route.fulfill({ status: 200, contentType: MIME[extname(path)] ?? 'application/octet-stream', headers, body: await readFile(join(root, path)) });
    } catch {
      await route.fulfill({ status: 404, body: '' });
    }
  });

  await page.goto(`${ORIGIN}/webview/harness.html`);
  await page.waitForSelector('.curves figure canvas');
  await page.waitForSelector('.formula .katex');
  await page.waitForSelector('details.check');
  await page.evaluate(() => document.fonts.ready);

  // Drag gamma to 1 and back to 2 as a user would: each `input` event must reach the host.
  const moveSlider = (value) =>
    page.$eval(
      '#param-gamma',
      (slider, v) => {
        slider.value = String(v);
        slider.dispatchEvent(new Event('input', { bubbles: true }));
      },
      value,
    );
  await moveSlider(1);
  const afterMove = await page.evaluate(() => ({
    posted: window.harnessHost.posted.filter((m) => m.type === 'setParam'),
    readout: document.querySelector('#param-gamma + output')?.textContent,
  }));
  if (!afterMove.posted.some((m) => m.name === 'gamma' && m.value === 1))
    problems.push(`slider: no setParam gamma=1 posted (${JSON.stringify(afterMove.posted)})`);
  if (afterMove.readout !== '1') problems.push(`slider: read-out shows ${afterMove.readout}, expected 1`);
  await moveSlider(2);

  // Open the stability check to show its metrics, and hover the first chart so the read-outs show values.
  await page.click('details.check:has(.check-id:text-is("properness")) > summary');
  await page.waitForSelector('.check-plot canvas');
  const chart = await page.$('.curves figure .u-over');
  const box = await chart?.boundingBox();
  if (box) await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);

  mkdirSync(dirname(output), { recursive: true });
  await page.screenshot({ path: output, fullPage: true });
  console.log(`panel-screenshot: wrote ${output}`);
} finally {
  await browser.close();
  await worker.dispose();
}
if (problems.length > 0) {
  console.error(`panel-screenshot: ${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exitCode = 1;
}
