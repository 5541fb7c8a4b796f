/**
 * A batch loss (examples/contrastive.loss: InfoNCE over B embeddings) in a real VS Code: the
 * CodeLens, the panel's formula and curves along one entry of z1, the landscape, the checks with
 * the batch-order check, and the status line without an error.
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

  evidence.test('LossLab: Check Loss gives verdicts, the batch-order check among them', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'infonce(z1, z2)' }).click();
    await runCommand(page, 'LossLab: Check Loss');
    const panel = await panelFrame(page, '.loss-landscape');
    await panel.locator('details.check', { hasText: 'permutation' }).first().waitFor({ timeout: 120_000 });
    const verdicts = await panel.locator('details.check .verdict').allTextContents();
    assert.ok(verdicts.length >= 3 && verdicts.every((v) => /pass|fail|inconclusive/.test(v)), verdicts.join(', '));
    await page.screenshot({ path: join(RESULTS, '02-checks.png') });
  });
});
