/**
 * The panel as an instrument, in a real VS Code: how fast it answers a dragged slider, and how
 * it looks in the Dark and the Light theme. The benchmark scripts a drag of focal loss's gamma
 * slider and keyboard steps on it, reads the panel's own measurements (from each `input` event
 * to the frame that shows the curves or the landscape computed for that value, `#latency-log`),
 * and writes their median and 95th percentile to bench/panel-latency.json. Nothing here asserts
 * a time: the figures are recorded, not judged, since this machine is shared.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { startVSCode, type RunningVSCode } from '../../scripts/vscode.mjs';
import type { LatencySample } from '../../webview/latency';
import { panelFrame, launchChromium, openWorkbench, runCommand } from './workbench';

const ROOT = join(__dirname, '..', '..');
const RESULTS = join(ROOT, 'test-results', 'e2e-panel');
const DOCS = join(ROOT, 'docs');
const BENCH = join(ROOT, 'bench', 'panel-latency.json');
const DRAG_STEPS = 30;
const KEY_STEPS = 12;

interface Session {
  readonly vscode: RunningVSCode;
  readonly browser: Browser;
  readonly page: Page;
}

const sessions: Session[] = [];

async function open(theme: string): Promise<Session> {
  const vscode = await startVSCode({ copyWorkspace: true, settings: { 'workbench.colorTheme': theme } });
  const browser = await launchChromium();
  const page = await openWorkbench(browser, vscode);
  const session = { vscode, browser, page };
  sessions.push(session);
  return session;
}

/** focal.loss open, the panel showing focal with its 128 × 128 landscape drawn. */
async function showFocal(page: Page): Promise<Frame> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'focal.loss' }).click();
  await page.locator('.monaco-editor .view-lines', { hasText: 'focal(p) = -alpha' }).waitFor();
  await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Evaluate loss' }).first().click();
  const panel = await panelFrame(page, '.loss-landscape');
  await panel.locator('.formula .katex').first().waitFor();
  await panel.waitForFunction(() => document.querySelector('.landscape-figure')?.getAttribute('data-resolution') === '128');
  return panel;
}

async function samples(panel: Frame): Promise<{ inputs: number; samples: LatencySample[] }> {
  return panel.$eval('#latency-log', (log) => ({
    inputs: Number((log as HTMLElement).dataset.inputs),
    samples: JSON.parse(log.textContent ?? '[]') as LatencySample[],
  }));
}

/** Waits until the panel has drawn `view` for input `input` (at `resolution`, for a landscape). */
async function drawnFor(panel: Frame, input: number, view: LatencySample['view'], resolution?: number): Promise<void> {
  await panel.waitForFunction(
    ([n, v, r]) => {
      const all = JSON.parse(document.getElementById('latency-log')?.textContent ?? '[]') as LatencySample[];
      return all.some((s) => s.input === n && s.view === v && (r === undefined || s.resolution === r));
    },
    [input, view, resolution] as const,
  );
}

function stats(values: readonly number[]): { n: number; median: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const round = (v: number) => Math.round(v * 10) / 10;
  return { n: sorted.length, median: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1] ?? Number.NaN) };
}

/**
 * The check table filled, then the whole panel on screen: sidebar closed, one editor column
 * (the webview reloads when it moves, and the host sends it everything again), arrows on.
 */
async function screenshotPanel(page: Page, panel: Frame, file: string): Promise<void> {
  await page.locator('.monaco-editor .view-line', { hasText: 'focal(p) = -alpha' }).click();
  await runCommand(page, 'LossLab: Check Loss');
  await panel.locator('details.check').first().waitFor();
  await runCommand(page, 'View: Close Primary Side Bar');
  await runCommand(page, 'View: Single Column Editor Layout');
  await page.locator('.tabs-container .tab', { hasText: 'LossLab' }).first().click();
  const moved = await panelFrame(page, '.loss-landscape');
  await moved.locator('details.check').first().waitFor();
  await moved.waitForFunction(() => document.querySelector('.landscape-figure')?.getAttribute('data-resolution') === '128');
  await moved.locator('#landscape-arrows').check();
  await moved.locator('.landscape-figure').scrollIntoViewIfNeeded();
  await page.screenshot({ path: file });
}

describe('the LossLab panel: slider latency and theme screenshots', { timeout: 15 * 60_000 }, () => {
  before(() => {
    rmSync(RESULTS, { recursive: true, force: true });
    mkdirSync(RESULTS, { recursive: true });
  });

  after(async () => {
    for (const [k, s] of sessions.entries()) {
      await s.page.screenshot({ path: join(RESULTS, `last-${k + 1}.png`) }).catch(() => undefined);
      await s.browser.close().catch(() => undefined);
      await s.vscode.stop().catch(() => undefined);
      s.vscode.cleanup();
    }
  });

  it('Dark: a scripted drag of gamma redraws curves and landscape; latency to bench/panel-latency.json', async () => {
    const { page } = await open('Default Dark Modern');
    await page.setViewportSize({ width: 1500, height: 1900 });
    const panel = await showFocal(page);
    const before = await panel.$eval('.landscape-figure', (f) => ({ ...(f as HTMLElement).dataset }));
    assert.ok(Number(before.finite) === 128 * 128, `finite values: ${before.finite}`);
    // The legend says what the colours are (the scale bends at the median) and what the dashed line is.
    const legend = await panel.locator('.landscape-legend').textContent();
    assert.match(legend ?? '', /logarithmic above it/);
    assert.match(legend ?? '', /Dashed line: the slider's gamma = 2/);
    // At 1500 px each label stays on the row of its control (#19: they used to wrap apart).
    const apart = await panel.$$eval(
      '.control-group',
      (groups) => groups.filter((g) => new Set([...g.children].map((c) => Math.round((c as HTMLElement).getBoundingClientRect().top / 10))).size > 1).length,
    );
    assert.equal(apart, 0, 'a label wrapped away from its control');

    // The drag: press on the slider at gamma = 3.5, move down to gamma = 0.5 in steps; each step
    // waits until both views have drawn its value, so every step is measured.
    const loadBefore = loadavg().map((v) => Math.round(v * 100) / 100);
    const slider = panel.locator('#param-gamma');
    const box = await slider.boundingBox();
    assert.ok(box, 'the gamma slider is on screen');
    const at = (gamma: number) => box.x + 8 + ((box.width - 16) * gamma) / 5;
    const y = box.y + box.height / 2;
    let { inputs } = await samples(panel);
    await page.mouse.move(at(3.5), y);
    await page.mouse.down();
    const dragInputs: number[] = [];
    for (let k = 1; k <= DRAG_STEPS; k++) {
      await page.mouse.move(at(3.5 - (3 * k) / DRAG_STEPS), y);
      const now = (await samples(panel)).inputs;
      if (now === inputs) continue; // the pointer moved less than one step of the slider
      inputs = now;
      dragInputs.push(now);
      await drawnFor(panel, now, 'curves');
      await drawnFor(panel, now, 'landscape');
    }
    await page.mouse.up();
    // Let go: the full resolution for the last value.
    await drawnFor(panel, inputs, 'landscape', 128);
    const afterDrag = await panel.$eval('.landscape-figure', (f) => ({ ...(f as HTMLElement).dataset }));
    // p against gamma does not change with gamma's slider: its value is the dashed line, which moved.
    assert.notEqual(afterDrag.params, before.params, 'the landscape was redrawn for the new gamma');
    assert.notEqual(afterDrag.markers, before.markers, 'the dashed line follows the gamma slider');
    assert.match(afterDrag.markers ?? '', /^gamma=0\.[45]/);
    await page.screenshot({ path: join(RESULTS, '01-after-drag.png') });

    // Keyboard steps: each is a drag let go at once, answered at the full 128 × 128.
    await slider.focus();
    const keyInputs: number[] = [];
    for (let k = 0; k < KEY_STEPS; k++) {
      await slider.press('ArrowRight');
      const now = (await samples(panel)).inputs;
      keyInputs.push(now);
      await drawnFor(panel, now, 'curves');
      await drawnFor(panel, now, 'landscape', 128);
    }

    // alpha scales the whole landscape: one step of its slider changes every value.
    const beforeAlpha = await panel.$eval('.landscape-figure', (f) => (f as HTMLElement).dataset.digest);
    await panel.locator('#param-alpha').press('ArrowRight');
    await panel.waitForFunction((digest) => document.querySelector('.landscape-figure')?.getAttribute('data-digest') !== digest, beforeAlpha);

    const all = (await samples(panel)).samples;
    const first = (input: number, accept: (s: LatencySample) => boolean) => all.find((s) => s.input === input && accept(s))?.ms;
    const pick = (inputs: readonly number[], accept: (s: LatencySample) => boolean) =>
      inputs.map((i) => first(i, accept)).filter((v): v is number => v !== undefined);
    const dragResolution = all.find((s) => dragInputs.includes(s.input) && s.view === 'landscape')?.resolution;
    const report = {
      what: 'time from the slider input event to the frame showing the result for that value, focal loss, gamma slider (test/e2e/panel.test.ts)',
      machine: `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}; code-server in Debian's Chromium (software rendering)`,
      loadAverage: { before: loadBefore, after: loadavg().map((v) => Math.round(v * 100) / 100) },
      status: await panel.$eval('.status span', (s) => s.textContent ?? ''),
      drag: {
        steps: dragInputs.length,
        curves: stats(pick(dragInputs, (s) => s.view === 'curves')),
        landscape: { resolution: dragResolution, ...stats(pick(dragInputs, (s) => s.view === 'landscape')) },
      },
      keyboardSteps: {
        steps: keyInputs.length,
        curves: stats(pick(keyInputs, (s) => s.view === 'curves')),
        landscape: { resolution: 128, ...stats(pick(keyInputs, (s) => s.view === 'landscape' && s.resolution === 128)) },
      },
      unit: 'ms',
    };
    writeFileSync(BENCH, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
    assert.equal(report.drag.curves.n, dragInputs.length, 'every drag step redrew the curves');
    assert.equal(report.keyboardSteps.landscape.n, KEY_STEPS, 'every keyboard step redrew the 128 × 128 landscape');

    await screenshotPanel(page, panel, join(DOCS, 'panel-dark.png'));
  });

  it('Light: the same panel, legible in the Light theme', async () => {
    const { page } = await open('Default Light Modern');
    await page.setViewportSize({ width: 1500, height: 1900 });
    const panel = await showFocal(page);
    await screenshotPanel(page, panel, join(DOCS, 'panel-light.png'));
  });
});
