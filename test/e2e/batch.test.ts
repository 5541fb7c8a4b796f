/**
 * A batch loss (examples/contrastive.loss: InfoNCE over B embeddings) in a real VS Code: the
 * CodeLens, the panel's formula and curves along one entry of z1, the per-sample bars and the
 * dL/dS heatmap, the landscape along two chosen entries, the checks with the batch-order check,
 * and the status line without an error.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startVSCode, type RunningVSCode } from '../../scripts/vscode.mjs';
import { panelFrame, launchChromium, openWorkbench, runCommand, SuiteEvidence } from './workbench';

const RESULTS = join(__dirname, '..', '..', 'test-results', 'e2e-batch');

let vscode: RunningVSCode;
let browser: Browser;
let page: Page;
const evidence = new SuiteEvidence(RESULTS);

describe('a batch loss in VS Code', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    rmSync(RESULTS, { recursive: true, force: true });
    mkdirSync(RESULTS, { recursive: true });
    vscode = await startVSCode({ copyWorkspace: true });
    browser = await launchChromium();
    page = await openWorkbench(browser, vscode);
  });

  after(async () => {
    await evidence.close(page, browser, vscode);
  });

  evidence.test('Evaluate loss on InfoNCE: formula, curves along z1[1, 1], a landscape', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'contrastive.loss' }).click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'infonce(z1, z2)' }).waitFor();
    await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Evaluate loss' }).first().click();
    const panel = await panelFrame(page, '.loss-landscape');
    await panel.locator('.formula .katex').first().waitFor();
    await panel.waitForFunction(() => Number(document.querySelector('figure[data-order="value"]')?.getAttribute('data-points')) > 0);
    assert.match(await panel.locator('body').innerText(), /z1\[1, 1\]/);
    await panel.waitForFunction(() => Number(document.querySelector('.landscape-figure')?.getAttribute('data-resolution')) > 0);
    await page.screenshot({ path: join(RESULTS, '01-panel.png') });
  });

  evidence.test(
    'the batch views: a bar per sample, dL/dS as an 8 x 8 heatmap that follows tau, a landscape along two chosen entries, stale with the reason after a breaking edit',
    async () => {
      const panel = await panelFrame(page, '.batch-views');
      await panel.waitForFunction(() => document.querySelector('figure.sample-bars')?.getAttribute('data-bars') === '8');
      await panel.waitForFunction(() => document.querySelector('figure.pair-heatmap')?.getAttribute('data-finite') === '64');
      const heatmap = panel.locator('figure.pair-heatmap');
      assert.deepEqual(
        [await heatmap.getAttribute('data-of'), await heatmap.getAttribute('data-rows'), await heatmap.getAttribute('data-cols')],
        ['local', '8', '8'],
      );
      assert.match(await panel.locator('figure.sample-bars figcaption').innerText(), /Per-sample loss l_i, i = 1…8: L = mean_i l_i = /);
      assert.match(await heatmap.locator('figcaption').innerText(), /∂L\/∂S_ij.*row i the anchor, column j the candidate/);
      assert.ok(Number(await heatmap.getAttribute('data-bound')) > 0, 'the colour bar spans the largest |dL/dS_ij|');
      await panel.locator('.batch-views').screenshot({ path: join(RESULTS, '02-batch-views.png') });

      // One keyboard step of the tau slider: the heatmap is computed again at the new tau.
      const before = await heatmap.getAttribute('data-params');
      await panel.locator('#param-tau').focus();
      await panel.locator('#param-tau').press('ArrowRight');
      await panel.waitForFunction((was) => document.querySelector('figure.pair-heatmap')?.getAttribute('data-params') !== was, before);
      assert.equal(await panel.locator('.batch-failure').isVisible(), false);

      // Two entries of z1 chosen for the landscape's axes: no param on either, so no slider line.
      await panel.locator('#landscape-x').selectOption('z1[3, 5]');
      await panel.locator('#landscape-y').selectOption('z1[8, 16]');
      await panel.waitForFunction(() => {
        const figure = document.querySelector('.landscape-figure');
        return figure?.getAttribute('data-markers') === '' && Number(figure.getAttribute('data-finite')) > 0;
      });
      assert.equal(await panel.locator('#landscape-x').inputValue(), 'z1[3, 5]');
      await page.screenshot({ path: join(RESULTS, '03-batch-panel.png') });

      // An edit that breaks the loss: the last views stay, dimmed, and say why; fixing it clears that.
      await page.locator('.monaco-editor .view-line', { hasText: "where S = z1 * z2' / tau" }).first().click();
      await page.keyboard.press('End');
      await page.keyboard.type(' + zz');
      await panel.locator('.batch-failure').waitFor({ state: 'visible' });
      assert.match(await panel.locator('.batch-failure').innerText(), /The last evaluation failed: .*zz/);
      assert.equal(await heatmap.evaluate((f) => f.classList.contains('stale')), true);
      for (let i = 0; i < ' + zz'.length; i++) await page.keyboard.press('Backspace');
      await panel.locator('.batch-failure').waitFor({ state: 'hidden' });
      assert.equal(await heatmap.evaluate((f) => f.classList.contains('stale')), false);
    },
  );

  evidence.test('LossLab: Check Loss gives verdicts, the batch-order check among them', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'infonce(z1, z2)' }).click();
    await runCommand(page, 'LossLab: Check Loss');
    const panel = await panelFrame(page, '.loss-landscape');
    await panel.locator('details.check', { hasText: 'permutation' }).first().waitFor({ timeout: 120_000 });
    const verdicts = await panel.locator('details.check .verdict').allTextContents();
    assert.ok(verdicts.length >= 3 && verdicts.every((v) => /pass|fail|inconclusive/.test(v)), verdicts.join(', '));
    await page.screenshot({ path: join(RESULTS, '04-checks.png') });
  });
});
