/**
 * The editor integration as a user meets it, in a real VS Code (code-server) in Chromium: losses
 * in a Python comment and a Markdown block get the CodeLens and open the panel; a misspelled
 * function in a .loss file gets a squiggle and a quick fix; completion, hover and the LossLab view
 * work; and all of it in Restricted Mode too. Every step waits on a condition, and saves a
 * screenshot under test-results/e2e-editor/; a failed run also keeps code-server's log there.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Frame } from 'playwright-core';
import { packageExtension } from '../../scripts/vscode.mjs';
import { panelFrame as findPanelFrame, launchChromium, runCommand as runPaletteCommand, WorkbenchSession } from './workbench';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'test-results', 'e2e-editor');
const DOCS = join(ROOT, 'docs');

let vsix: string;
let browser: Browser;
let step = 0;

/** The editor suites' session: screenshots of each step, some kept in docs/. */
class Session extends WorkbenchSession {
  constructor(name: string) {
    super(RESULTS, name);
  }

  start(trusted: boolean, settings: Record<string, unknown> = {}): Promise<void> {
    return this.launch(browser, { copyWorkspace: true, vsix, trusted, settings });
  }

  async snap(name: string, docs?: string): Promise<void> {
    step++;
    const file = join(RESULTS, `${String(step).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    if (docs) copyFileSync(file, join(DOCS, docs));
  }

  lens(title: string) {
    return this.page.locator('.contentWidgets .codelens-decoration a', { hasText: title });
  }

  panelFrame(): Promise<Frame> {
    return findPanelFrame(this.page);
  }

  /** Waits until the panel has drawn the value curve of `loss`. */
  async panelShows(loss: string): Promise<Frame> {
    await this.page.locator('.tab', { hasText: `LossLab: ${loss}` }).waitFor();
    const panel = await this.panelFrame();
    await panel.locator('.formula .katex').first().waitFor();
    await panel.waitForFunction(() => Number(document.querySelector('figure[data-order="value"]')?.getAttribute('data-points')) > 0);
    return panel;
  }

  runCommand(title: string): Promise<void> {
    return runPaletteCommand(this.page, title);
  }

  /** Clicks the editor line that contains `text`, then puts the cursor at column `column` (0-based) of it. */
  async cursorAt(text: string, column: number): Promise<void> {
    await this.page.locator('.monaco-editor .view-line', { hasText: text }).first().click();
    await this.page.keyboard.press('Home');
    // Home may stop at the first non-blank character: go to the very start.
    await this.page.keyboard.press('Home');
    for (let i = 0; i < column; i++) await this.page.keyboard.press('ArrowRight');
  }
}

before(async () => {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  mkdirSync(DOCS, { recursive: true });
  vsix = packageExtension();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

describe('LossLab in the editor', { timeout: 10 * 60_000 }, () => {
  const s = new Session('trusted');
  before(() => s.start(true, { 'losslab.checks.onSave': ['stability'] }));
  after(() => s.stop());

  s.test('a Python file with `# loss:` comments gets the CodeLens, and Evaluate loss opens the panel', async () => {
    await s.openFile('embedded.py', '# loss: focal(p)');
    // Exactly three: the third appears, and no fourth (the lenses re-render while the worker
    // answers, so a count taken at one instant can catch them gone).
    await s.lens('Evaluate loss').nth(2).waitFor();
    assert.equal(await s.lens('Evaluate loss').nth(3).count(), 0, 'focal, logistic and pinball');
    await s.lens('Evaluate loss').nth(2).click();
    const panel = await s.panelShows('pinball');
    assert.equal(await panel.locator('input[type="range"]').count(), 1, 'a slider for tau');
    await s.snap('python-panel', 'vscode-embedded-python.png');
  });

  s.test('a Markdown file with ```loss blocks gets the CodeLens, and Evaluate loss opens the panel', async () => {
    await s.openFile('notes.md', 'Generalized cross-entropy');
    await s.lens('Evaluate loss').first().waitFor();
    await s.lens('Evaluate loss').nth(1).waitFor();
    assert.equal(await s.lens('Evaluate loss').nth(2).count(), 0, 'gce and sigmoid_loss');
    await s.lens('Evaluate loss').first().click();
    const panel = await s.panelShows('gce');
    assert.equal(await panel.locator('input[type="range"]').count(), 1, 'a slider for q');
    await s.snap('markdown-panel', 'vscode-embedded-markdown.png');
  });

  s.test('a misspelled function in a .loss file shows a squiggle and a quick fix that corrects it', async () => {
    await s.openFile('focal.loss', 'focal(p) = -alpha');
    await s.page.locator('.monaco-editor .view-line', { hasText: 'focal(p) = -alpha' }).click();
    await s.page.keyboard.press('End');
    await s.page.keyboard.press('Enter');
    await s.page.keyboard.type('bad(z) = sigmod(z)');
    await s.page.locator('.monaco-editor .squiggly-error').first().waitFor();
    // The squiggle may be an analysis of a prefix typed so far (`bad(z) = s`): wait for the one of the whole line.
    await s.runCommand('View: Focus Problems');
    await s.page.locator('.markers-panel', { hasText: "unknown function 'sigmod' (did you mean 'sigmoid'?)" }).waitFor();
    await s.cursorAt('bad(z) = sigmod(z)', 'bad(z) = sig'.length);
    await s.page.keyboard.press('Control+.');
    const fix = s.page.locator('.action-widget .monaco-list-row', { hasText: "Change to 'sigmoid'" });
    await fix.waitFor();
    await s.snap('quickfix', 'vscode-quickfix.png');
    await fix.click();
    await s.page.locator('.monaco-editor .view-line', { hasText: 'bad(z) = sigmoid(z)' }).waitFor();
    await s.page.locator('.monaco-editor .squiggly-error').waitFor({ state: 'detached' });
  });

  s.test('the Outline lists the losses, go to definition jumps to a helper, and rename changes a param everywhere', async () => {
    // The symbol picker can open before the worker has answered for the document, and then it says
    // there are no symbols and does not refresh: ask again, a few times, rather than wait in vain.
    const firstSymbol = s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'gamma' }).first();
    for (let attempt = 1; ; attempt++) {
      await s.page.keyboard.press('Control+Shift+O');
      const shown = await firstSymbol.waitFor({ timeout: 15_000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (attempt === 4) throw new Error('Go to Symbol never listed the param gamma of focal.loss');
      await s.page.keyboard.press('Escape');
    }
    for (const symbol of ['gamma', 'focal(p)', 'p_of(z)', 'focal_logit(z)']) {
      await s.page.locator('.quick-input-list .monaco-list-row', { hasText: symbol }).first().waitFor();
    }
    await s.snap('outline');
    await s.page.keyboard.press('Escape');
    // F12 on the call of p_of in focal_logit: the cursor goes to p_of's definition, line 13 now.
    await s.cursorAt('focal_logit(z) =', 'focal_logit(z) = -alpha * (1 - p_'.length);
    await s.page.keyboard.press('F12');
    await s.page.locator('.statusbar-item', { hasText: 'Ln 13, Col 1' }).waitFor();
    // F2 on gamma in focal: the declaration and both uses change.
    await s.cursorAt('focal(p) = -alpha', 'focal(p) = -alpha * (1 - p)^ga'.length);
    await s.page.keyboard.press('F2');
    const input = s.page.locator('.rename-box input');
    await input.waitFor();
    await input.fill('focusing');
    await s.page.keyboard.press('Enter');
    await s.page.locator('.monaco-editor .view-line', { hasText: 'param focusing = 2 in [0, 5]' }).waitFor();
    await s.page.locator('.monaco-editor .view-line', { hasText: 'focal(p) = -alpha * (1 - p)^focusing * log(p)' }).waitFor();
    await s.page.locator('.monaco-editor .view-line', { hasText: '(1 - p_of(z))^focusing' }).waitFor();
  });

  s.test('completion lists the built-ins with their signature; hover shows a loss and its value', async () => {
    await s.page.locator('.monaco-editor .view-line', { hasText: 'bad(z) = sigmoid(z)' }).click();
    await s.page.keyboard.press('End');
    await s.page.keyboard.type(' + softp');
    const item = s.page.locator('.suggest-widget .monaco-list-row', { hasText: 'softplus' });
    await item.first().waitFor();
    await s.snap('completion');
    // The item inserts softplus($1): the argument goes between the parentheses.
    await s.page.keyboard.press('Enter');
    await s.page.keyboard.type('z');
    await s.page.keyboard.press('Escape');
    await s.page.locator('.monaco-editor .view-line', { hasText: 'bad(z) = sigmoid(z) + softplus(z)' }).waitFor();
    await s.page.locator('.monaco-editor .squiggly-error').waitFor({ state: 'detached' });
    // Moving the cursor closes a suggestion that opened after the Escape.
    await s.page.locator('.monaco-editor .view-line', { hasText: '@helper' }).click();
    await s.page.locator('.suggest-widget.visible').waitFor({ state: 'detached' });
    await s.page
      .locator('.monaco-editor .view-line span', { hasText: /^focal$/ })
      .first()
      .hover();
    const hover = s.page.locator('.monaco-hover', { hasText: 'probability loss' });
    await hover.waitFor();
    assert.match((await hover.textContent()) ?? '', /focusing = 2, alpha = 0\.25: value 0\.04332/);
    await s.snap('hover', 'vscode-hover.png');
  });

  s.test('the LossLab view lists the losses of the workspace by file, with their kind', async () => {
    await s.page.locator('.activitybar .action-item a[aria-label^="LossLab"]').click();
    const view = s.page.locator('.pane', { hasText: 'Losses' });
    for (const file of ['embedded.py', 'focal.loss', 'margins.loss', 'notes.md']) await view.locator('.monaco-list-row', { hasText: file }).first().waitFor();
    await view.locator('.monaco-list-row', { hasText: 'pinball' }).filter({ hasText: 'regression' }).waitFor();
    await s.snap('losses-view', 'vscode-losses-view.png');
  });

  s.test('Check Workspace Losses reports progress and a summary, and the view shows verdicts', async () => {
    await s.runCommand('LossLab: Check Workspace Losses');
    const summary = s.page.locator('.notification-toast', { hasText: /LossLab: checked \d+ losses in \d+ files/ });
    await summary.waitFor({ timeout: 5 * 60_000 });
    // margins.loss writes logistic_naive as log(1 + exp(-z)) on purpose: float32 overflows.
    assert.match((await summary.textContent()) ?? '', /fails the gradient or stability check: logistic_naive \(margins\.loss:\d+: stability\)/);
    const view = s.page.locator('.pane', { hasText: 'Losses' });
    await view
      .locator('.monaco-list-row', { hasText: 'logistic_naive' })
      .filter({ hasText: /margin · ✓ \d+/ })
      .waitFor();
    await s.page.locator('.activitybar .badge-content', { hasText: '1' }).waitFor();
    await s.snap('check-all', 'vscode-check-all.png');
  });

  s.test('with losslab.checks.onSave, saving margins.loss runs the stability check: its failure is a warning on the loss', async () => {
    await s.page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
    await s.openFile('margins.loss', 'logistic_naive(z)');
    // The static warning of the pattern, before any check runs.
    await s.page.locator('.monaco-editor .squiggly-warning').first().waitFor();
    await s.page.locator('.monaco-editor .view-line', { hasText: 'hinge(z) = max(0, 1 - z)' }).click();
    await s.page.keyboard.press('End');
    await s.page.keyboard.type(' ');
    await s.page.keyboard.press('Control+S');
    await s.runCommand('View: Focus Problems');
    await s.page.locator('.markers-panel', { hasText: 'logistic_naive fails the stability check' }).waitFor();
    await s.page.locator('.markers-panel', { hasText: 'log(1 + exp(-z)) is unstable in float32' }).waitFor();
    await s.snap('check-on-save');
  });
});

describe('LossLab in Restricted Mode', { timeout: 10 * 60_000 }, () => {
  const s = new Session('restricted');
  before(() => s.start(false));
  after(() => s.stop());

  s.test('runs in an untrusted workspace: CodeLens, panel and diagnostics', async () => {
    await s.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await s.openFile('focal.loss', 'focal(p) = -alpha');
    await s.lens('Evaluate loss').first().click();
    await s.panelShows('focal');
    await s.page.locator('.monaco-editor .view-line', { hasText: 'focal(p) = -alpha' }).click();
    await s.page.keyboard.press('End');
    await s.page.keyboard.press('Enter');
    await s.page.keyboard.type('bad(z) = sigmod(z)');
    await s.page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await s.snap('restricted');
  });
});
