/**
 * What every end-to-end test does with VS Code in Chromium, in one place: launch Debian's
 * Chromium, open the workbench, find the LossLab panel's frame, run a palette command.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { startVSCode, type RunningVSCode } from '../../scripts/vscode.mjs';

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

  /** The end of a suite: the evidence if a step failed, then the browser and code-server stopped. */
  async close(page: Page | undefined, browser: Browser | undefined, vscode: RunningVSCode | undefined): Promise<void> {
    await this.screenshot(page);
    await browser?.close();
    await vscode?.stop();
    this.keepLog(vscode);
    vscode?.cleanup();
  }
}

/**
 * One VS Code with a browser page on it, started and stopped by the describe block that uses it.
 * A step run through `test` that fails marks the session, and `stop` then keeps a screenshot and
 * code-server's log under `results`, named after the session.
 */
export class WorkbenchSession {
  vscode!: RunningVSCode;
  page!: Page;
  failed = false;

  constructor(
    protected readonly results: string,
    readonly name: string,
  ) {}

  async launch(browser: Browser, options: Parameters<typeof startVSCode>[0], prepare: (vscode: RunningVSCode) => void = () => undefined): Promise<void> {
    this.vscode = await startVSCode(options);
    prepare(this.vscode);
    this.page = await openWorkbench(browser, this.vscode);
  }

  async stop(): Promise<void> {
    if (this.failed && this.page) await this.page.screenshot({ path: join(this.results, `${this.name}-failure.png`) }).catch(() => undefined);
    await this.page?.close();
    await this.vscode?.stop();
    if (this.failed && this.vscode) copyFileSync(this.vscode.logFile, join(this.results, `${this.name}-code-server.log`));
    this.vscode?.cleanup();
  }

  test(name: string, body: () => Promise<void>): void {
    it(name, async () => {
      try {
        await body();
      } catch (e) {
        this.failed = true;
        await this.page?.screenshot({ path: join(this.results, `failed-${name.slice(0, 40).replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
        throw e;
      }
    });
  }

  /** Opens a file from the Explorer and waits for its text. */
  async openFile(name: string, shows: string): Promise<void> {
    await this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
    await this.page.locator('.monaco-editor .view-lines', { hasText: shows }).first().waitFor();
  }
}
