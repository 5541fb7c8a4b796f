/**
 * `LossLab: Run Experiment` as a user meets it: from the command palette on examples/multiclass.loss,
 * taking the quick pick's default comparison (the file's other multiclass losses), to the panel's
 * comparison table and landscapes. Every step waits on a condition, never a fixed delay, and saves
 * a screenshot under test-results/e2e-experiments/.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { startVSCode, type RunningVSCode } from '../../scripts/vscode.mjs';
import { panelFrame as findPanelFrame, launchChromium, openWorkbench, runCommand as runPaletteCommand } from './workbench';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'test-results', 'e2e-experiments');
/** Training two losses with the core's defaults and their landscapes takes seconds; a slow machine, more. */
const EXPERIMENT_TIMEOUT = 5 * 60_000;

let vscode: RunningVSCode;
let browser: Browser;
let page: Page;
let failed = false;

const panelFrame = (): Promise<Frame> => findPanelFrame(page, '.experiments');

describe('LossLab: Run Experiment in VS Code', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    rmSync(RESULTS, { recursive: true, force: true });
    mkdirSync(RESULTS, { recursive: true });
    vscode = await startVSCode({ copyWorkspace: true });
    browser = await launchChromium();
    page = await openWorkbench(browser, vscode);
  });

  after(async () => {
    if (failed && page) await page.screenshot({ path: join(RESULTS, 'failure.png') }).catch(() => undefined);
    await browser?.close();
    await vscode?.stop();
    if (failed) copyFileSync(vscode.logFile, join(RESULTS, 'code-server.log'));
    vscode?.cleanup();
  });

  it('runs from the palette on multiclass.loss and fills the comparison table with numbers', async () => {
    try {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'multiclass.loss' }).click();
      const definition = page.locator('.monaco-editor .view-line', { hasText: 'cross_entropy(s, y) =' });
      await definition.waitFor();
      // The CodeLens appears once the file is analysed: then the command knows its losses.
      await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Evaluate loss' }).first().waitFor();
      await definition.click();

      await runPaletteCommand(page, 'LossLab: Run Experiment');
      // The comparison pick: mae, picked by default; Enter accepts it.
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'mae' }).first().waitFor();
      await page.screenshot({ path: join(RESULTS, '01-comparison-pick.png') });
      await page.keyboard.press('Enter');

      const panel = await panelFrame();
      await panel.locator('.experiment-row').first().waitFor({ timeout: EXPERIMENT_TIMEOUT });
      const rows = await panel
        .locator('.experiment-row')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      assert.deepEqual(
        rows.map((r) => r[0]),
        ['cross_entropy', 'mae'],
        'a row for the loss under the cursor and one for the comparison',
      );
      for (const [loss, accuracy, ece] of rows) {
        // Four well-separated blobs: any trained classifier beats chance (1/4) on the clean test set.
        assert.ok(Number(accuracy) > 0.25 && Number(accuracy) <= 1, `${loss}: test accuracy ${accuracy}`);
        assert.ok(Number(ece) >= 0 && Number(ece) <= 1, `${loss}: ECE ${ece}`);
      }
      assert.equal(await panel.locator('figure.experiment-curves').getAttribute('data-series'), '2', 'a training curve per loss');
      assert.equal(await panel.locator('figure.landscape').count(), 2, 'a landscape per loss');
      await panel.locator('.experiments').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(RESULTS, '02-experiment.png') });
    } catch (e) {
      failed = true;
      throw e;
    }
  });
});
