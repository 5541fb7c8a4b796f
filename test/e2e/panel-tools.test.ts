/**
 * The panel as an instrument, in a real VS Code (code-server) in Debian's Chromium: series
 * toggles, zoom and its reset, a library loss overlaid with its difference curve, a parameter
 * that makes the loss NaN everywhere (the message, the last plot kept and marked stale), and the
 * panel restored with its loss and slider values after the window reloads (the serializer).
 * Every step waits on a condition; screenshots go to test-results/e2e-tools/.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { startVSCode, type RunningVSCode } from '../../scripts/vscode.mjs';
import { panelFrame, launchChromium, openWorkbench, runCommand, SuiteEvidence } from './workbench';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'test-results', 'e2e-tools');

// log(c) is NaN for c < 0 at every z: the slider's minimum, -1, makes the whole curve NaN.
const TOOLS_LOSS = `param c = 1 in [-1, 2]
shifted(z) = softplus(-z) + log(c)
`;

let vscode: RunningVSCode;
let browser: Browser;
let page: Page;
let workspace: string;
let step = 0;
const evidence = new SuiteEvidence(RESULTS);

async function snap(name: string): Promise<void> {
  step++;
  await page.screenshot({ path: join(RESULTS, `${String(step).padStart(2, '0')}-${name}.png`) });
}

function figureSeries(frame: Frame, order: string): Promise<string> {
  return frame.$eval(`.curves figure[data-order="${order}"]`, (f) => (f as HTMLElement).dataset.series ?? '');
}

const shownPanel = (): Promise<Frame> => panelFrame(page, '.curves-toolbar');

describe('the LossLab panel as an instrument', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    rmSync(RESULTS, { recursive: true, force: true });
    mkdirSync(RESULTS, { recursive: true });
    workspace = join(mkdtempSync(join(tmpdir(), 'losslab-tools-')), 'examples');
    cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
    writeFileSync(join(workspace, 'tools.loss'), TOOLS_LOSS);
    vscode = await startVSCode({ workspace });
    browser = await launchChromium();
    page = await openWorkbench(browser, vscode);
  });

  const test = evidence.test;

  after(async () => {
    await evidence.close(page, browser, vscode);
    rmSync(join(workspace, '..'), { recursive: true, force: true });
  });

  test('opens tools.loss in the panel', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'tools.loss' }).click();
    await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Evaluate loss' }).first().click();
    const panel = await shownPanel();
    await panel.waitForFunction(() => Number(document.querySelector('.curves figure[data-order="value"]')?.getAttribute('data-points')) > 0);
  });

  test('hides and shows the curvature with its toggle', async () => {
    const panel = await shownPanel();
    const curvature = panel.locator('.curves-toolbar input[data-order="second"]');
    await curvature.uncheck();
    await panel.locator('.curves figure[data-order="second"]').waitFor({ state: 'hidden' });
    await curvature.check();
    await panel.locator('.curves figure[data-order="second"]').waitFor({ state: 'visible' });
  });

  test('zooms by dragging on a plot, and Reset zoom shows the whole range again', async () => {
    const panel = await shownPanel();
    const reset = panel.locator('.curves-toolbar button', { hasText: 'Reset zoom' });
    assert.equal(await reset.isDisabled(), true, 'nothing to reset before a zoom');
    const box = await panel.locator('.curves figure[data-order="value"] .u-over').boundingBox();
    assert.ok(box, 'the value chart is on screen');
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await panel.waitForFunction(() => !(document.querySelector('.curves-toolbar button[aria-label^="reset zoom"]') as HTMLButtonElement | null)?.disabled);
    await snap('zoomed');
    await reset.click();
    await panel.waitForFunction(
      () => (document.querySelector('.curves-toolbar button[aria-label^="reset zoom"]') as HTMLButtonElement | null)?.disabled === true,
    );
  });

  test("overlays the library's hinge loss and draws the difference on demand", async () => {
    const panel = await shownPanel();
    await panel.locator('.compare-picker option[value="library:hinge"]').waitFor({ state: 'attached' });
    await panel.locator('.compare-picker').selectOption('library:hinge');
    await panel.waitForFunction(() => document.querySelector('.curves figure[data-order="value"]')?.getAttribute('data-series') === 'shown compared');
    await panel.locator('.compare-difference').check();
    await panel.waitForFunction(
      () => document.querySelector('.curves figure[data-order="value"]')?.getAttribute('data-series') === 'shown compared difference',
    );
    assert.match(await panel.locator('.compare-legend').innerText(), /dashed: hinge \(library\)/);
    await snap('compared');
    await panel.locator('.compare-picker').selectOption('');
    await panel.waitForFunction(() => document.querySelector('.curves figure[data-order="value"]')?.getAttribute('data-series') === 'shown');
    assert.equal(await figureSeries(panel, 'first'), 'shown');
  });

  test('a parameter that makes the loss NaN everywhere says so and keeps the last plot, marked stale', async () => {
    const panel = await shownPanel();
    const slider = panel.locator('#param-c');
    await slider.focus();
    await slider.press('Home');
    await panel.locator('.status.failed', { hasText: 'the loss is NaN at every point' }).waitFor();
    assert.match(await panel.locator('.status').innerText(), /with c = -1/);
    await panel.locator('.curves .stale-tag').waitFor({ state: 'visible' });
    const points = await panel.$eval('.curves figure[data-order="value"]', (f) => Number((f as HTMLElement).dataset.points));
    assert.ok(points > 0, `the last good plot is kept (${points} points)`);
    await snap('nan-everywhere');
    await slider.press('End');
    await panel.locator('.status:not(.failed)').waitFor();
  });

  test('comes back after the window reloads, with its loss and slider value (WebviewPanelSerializer)', async () => {
    // Reload Window, as a user would: the workbench saves its editors (the panel's state with them)
    // before it reloads; a bare page reload may not give it the time to.
    const reloaded = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor();
    const panel = await shownPanel();
    await panel.waitForFunction(() => document.querySelector('header h1')?.textContent === 'shifted');
    await panel.waitForFunction(() => Number(document.querySelector('.curves figure[data-order="value"]')?.getAttribute('data-points')) > 0);
    assert.equal(Number(await panel.locator('#param-c').inputValue()), 2, 'c at the end of its range, where it was left');
    // The saved webview state alone would show the same picture: a slider that redraws shows the host has the loss again.
    const digest = await panel.$eval('.curves figure[data-order="value"]', (f) => (f as HTMLElement).dataset.digest);
    await panel.locator('#param-c').focus();
    await panel.locator('#param-c').press('ArrowLeft');
    await panel.waitForFunction((d) => document.querySelector('.curves figure[data-order="value"]')?.getAttribute('data-digest') !== d, digest);
    await snap('restored');
  });

  test('shows the landscape as a 3-D surface on demand, turned by the arrow keys, and back as a heatmap', async () => {
    const panel = await shownPanel();
    await panel.locator('.landscape-figure').waitFor({ state: 'visible' });
    await panel.locator('#landscape-mode').selectOption('surface');
    const surface = panel.locator('canvas.landscape-surface');
    await surface.waitFor({ state: 'visible' });
    await panel.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('canvas.landscape-surface')?.dataset.quads) > 0);
    const painted = await surface.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let opaque = 0;
      for (let k = 3; k < data.length; k += 4) if ((data[k] ?? 0) > 0) opaque++;
      return opaque / (c.width * c.height);
    });
    assert.ok(painted > 0.05, `the surface covers part of its canvas (${(painted * 100).toFixed(1)}% of the pixels)`);
    assert.match((await surface.getAttribute('aria-label')) ?? '', /3-D surface of shifted over/);
    const view = await surface.getAttribute('data-view');
    await surface.focus();
    await surface.press('ArrowLeft');
    await panel.waitForFunction((v) => document.querySelector('canvas.landscape-surface')?.getAttribute('data-view') !== v, view);
    await snap('surface');
    await panel.locator('#landscape-mode').selectOption('heatmap');
    await surface.waitFor({ state: 'hidden' });
    await panel.locator('.landscape-figure canvas:not(.landscape-surface)').waitFor({ state: 'visible' });
  });

  test('offers a multiclass loss a direction in logit space, and redraws the curves along it', async () => {
    // Into the text editor's group (not the panel's), then the first loss's code lens of that file.
    await page.locator('.monaco-editor .view-lines', { hasText: 'shifted(z)' }).click();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'multiclass.loss' }).click();
    const editor = page.locator('.monaco-editor', { has: page.locator('.view-lines', { hasText: 'cross_entropy(s, y)' }) });
    await editor.locator('.codelens-decoration a', { hasText: 'Evaluate loss' }).first().click();
    const panel = await shownPanel();
    await panel.waitForFunction(() => document.querySelector('header h1')?.textContent === 'cross_entropy');
    await panel.waitForFunction(() => Number(document.querySelector('.curves figure[data-order="value"]')?.getAttribute('data-points')) > 0);
    const direction = panel.locator('select.curve-direction');
    await direction.waitFor({ state: 'visible' });
    assert.equal(await direction.getAttribute('aria-label'), 'direction in logit space');
    const options = await direction.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(options, ['margin', 'rival', 'logit:2', 'logit:3', 'logit:4'], 'margin, rival and logits 2..4 for K = 4');
    assert.equal(await direction.inputValue(), 'margin');
    const digest = await panel.$eval('.curves figure[data-order="value"]', (f) => (f as HTMLElement).dataset.digest);
    await direction.selectOption('logit:2');
    await panel.waitForFunction((d) => document.querySelector('.curves figure[data-order="value"]')?.getAttribute('data-digest') !== d, digest);
    await snap('direction-logit-2');
  });
});
