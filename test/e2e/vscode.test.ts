/**
 * LossLab as a user meets it: a real VS Code (code-server) in a real browser (Debian's Chromium).
 * Every step waits on a condition, never a fixed delay, and saves a screenshot under
 * test-results/e2e/; a failed run also keeps code-server's log there.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { startVSCode, type RunningVSCode } from '../../scripts/vscode.mjs';
import { panelFrame as findPanelFrame, launchChromium, openWorkbench, runCommand as runPaletteCommand, SuiteEvidence } from './workbench';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'test-results', 'e2e');
const DOCS = join(ROOT, 'docs');

let vscode: RunningVSCode;
let browser: Browser;
let page: Page;
const evidence = new SuiteEvidence(RESULTS);
let step = 0;

async function snap(name: string, keepInDocs = false): Promise<void> {
  step++;
  const file = join(RESULTS, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  if (keepInDocs) copyFileSync(file, join(DOCS, `vscode-${name}.png`));
}

const panelFrame = (): Promise<Frame> => findPanelFrame(page);

async function figureData(frame: Frame, order: string): Promise<{ points: number; digest: string }> {
  return frame.$eval(`figure[data-order="${order}"]`, (f) => ({
    points: Number((f as HTMLElement).dataset.points),
    digest: String((f as HTMLElement).dataset.digest),
  }));
}

const runCommand = (title: string): Promise<void> => runPaletteCommand(page, title);

describe('LossLab in VS Code', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    rmSync(RESULTS, { recursive: true, force: true });
    mkdirSync(RESULTS, { recursive: true });
    mkdirSync(DOCS, { recursive: true });
    vscode = await startVSCode({ copyWorkspace: true });
    browser = await launchChromium();
    page = await openWorkbench(browser, vscode);
  });

  after(async () => {
    await evidence.close(page, browser, vscode);
  });

  const test = evidence.test;

  test('opens examples/focal.loss and shows the CodeLens above each loss', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'focal.loss' }).click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'focal(p) = -alpha' }).waitFor();
    const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Evaluate loss' });
    await lens.first().waitFor();
    assert.equal(await lens.count(), 2, 'one Evaluate loss lens above focal and one above focal_logit');
    await snap('codelens');
  });

  test('the status bar names the backend', async () => {
    await page.locator('.statusbar-item', { hasText: 'LossLab: wasm' }).waitFor();
  });

  test('Evaluate loss opens the panel: formula typeset, curves drawn with data, sliders', async () => {
    await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Evaluate loss' }).first().click();
    const panel = await panelFrame();
    await panel.locator('.formula .katex').first().waitFor();
    await panel.waitForFunction(() => Number(document.querySelector('figure[data-order="value"]')?.getAttribute('data-points')) > 0);
    for (const order of ['value', 'first', 'second']) {
      const { points } = await figureData(panel, order);
      assert.ok(points >= 300, `${order}: ${points} points drawn`);
    }
    assert.equal(await panel.locator('input[type="range"]').count(), 2, 'a slider for gamma and one for alpha');
    await snap('panel', true);
  });

  test('moving the gamma slider redraws the curves', async () => {
    const panel = await panelFrame();
    const before = await figureData(panel, 'value');
    const slider = panel.locator('#param-gamma');
    await slider.focus();
    for (let i = 0; i < 10; i++) await slider.press('ArrowLeft');
    await panel.waitForFunction((digest) => document.querySelector('figure[data-order="value"]')?.getAttribute('data-digest') !== digest, before.digest);
    const afterMove = await figureData(panel, 'value');
    assert.notEqual(afterMove.digest, before.digest);
    await snap('slider-moved');
  });

  test('LossLab: Check Loss from the command palette fills the check table with verdicts', async () => {
    // Put the cursor in the editor so the command knows which loss is meant.
    await page.locator('.monaco-editor .view-line', { hasText: 'focal(p) = -alpha' }).click();
    await runCommand('LossLab: Check Loss');
    const panel = await panelFrame();
    await panel.locator('details.check').first().waitFor();
    const verdicts = await panel.locator('details.check .verdict').allTextContents();
    assert.ok(verdicts.length >= 2, `verdicts: ${verdicts.join(', ')}`);
    assert.ok(
      verdicts.every((v) => /pass|fail|inconclusive/.test(v)),
      verdicts.join(', '),
    );
    await panel.locator('details.check').first().scrollIntoViewIfNeeded();
    await snap('checks', true);
  });

  test('LossLab: Export Loss… opens the loss as PyTorch code with its verdicts', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'focal(p) = -alpha' }).click();
    await runCommand('LossLab: Export Loss');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'PyTorch' }).first().waitFor();
    await input.fill('PyTorch');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'def focal(' }).waitFor();
    await page.locator('.monaco-editor .view-lines', { hasText: 'import torch' }).first().waitFor();
    await snap('export');
    // Back to focal.loss for the steps that edit it.
    await page.locator('.tabs-container .tab', { hasText: 'focal.loss' }).click();
  });

  test('a typo shows a diagnostic in the Problems view', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'focal(p) = -alpha' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('bad(z) = sigmod(z)');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await runCommand('View: Focus Problems');
    await page.locator('.markers-panel', { hasText: "unknown function 'sigmod' (did you mean 'sigmoid'?)" }).waitFor();
    await snap('diagnostic', true);
  });

  test('a typo in the shown loss keeps the last plot, marked stale, with the message', async () => {
    const panel = await panelFrame();
    await page.locator('.monaco-editor .view-line', { hasText: 'focal(p) = -alpha' }).click();
    await page.keyboard.press('End');
    for (let i = 0; i < 'log(p)'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('lgo(p)');
    await panel.locator('.curves .stale-tag').waitFor({ state: 'visible' });
    await panel.locator('.status', { hasText: "unknown function 'lgo'" }).waitFor();
    const { points } = await figureData(panel, 'value');
    assert.ok(points > 0, 'the last good plot is still drawn');
    await snap('stale');
  });
});
