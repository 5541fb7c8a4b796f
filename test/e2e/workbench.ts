/**
 * What every end-to-end test does with VS Code in Chromium, in one place: launch Debian's
 * Chromium, open the workbench, find the LossLab panel's frame, run a palette command.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { RunningVSCode } from '../../scripts/vscode.mjs';

export const TIMEOUT = 60_000;

/** Debian's Chromium: `npx playwright install` cannot download browsers here, and need not. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** A page on the running VS Code, once its workbench is there. */
export async function openWorkbench(browser: Browser, vscode: RunningVSCode): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(vscode.url);
  await page.locator('.monaco-workbench').waitFor();
  return page;
}

/** The panel's document: the webview's inner frame that holds `selector` (the LossLab app's part). */
export async function panelFrame(page: Page, selector = '.curves'): Promise<Frame> {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (await frame.$(selector).catch(() => null)) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the LossLab panel did not appear');
}

/** Runs `title` from the command palette, once the palette lists it. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * What a suite keeps when one of its steps fails: a step run through `test` marks the suite
 * failed, and then `screenshot` (before the browser closes) and `keepLog` (after code-server
 * stops) save the evidence into the suite's results folder for whoever reads the CI output.
 */
export class SuiteEvidence {
  failed = false;

  constructor(private readonly dir: string) {}

  readonly test = (name: string, body: () => Promise<void>): void => {
    it(name, async () => {
      try {
        await body();
      } catch (e) {
        this.failed = true;
        throw e;
      }
    });
  };

  async screenshot(page: Page | undefined): Promise<void> {
    if (this.failed && page) await page.screenshot({ path: join(this.dir, 'failure.png') }).catch(() => undefined);
  }

  keepLog(vscode: RunningVSCode | undefined): void {
    if (this.failed && vscode) copyFileSync(vscode.logFile, join(this.dir, 'code-server.log'));
  }
}
