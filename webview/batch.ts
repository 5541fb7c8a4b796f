/**
 * A batch loss at its held batch: each sample's loss as a bar, and the gradient with respect to
 * the B x B matrix of pairs (or, without one, the first input) as a heatmap on a diverging scale
 * with a colour bar, the anchor i down and the candidate j across. A read-out under the pointer
 * gives the exact number. When the newest evaluation failed the last views stay, dimmed and
 * tagged stale, with the reason above them.
 */
import type { BatchViewsResult } from '../src/protocol';
import { divergingColour, divergingScale, indexTicks, nonFiniteNote, pairsCaption, samplesCaption } from './batchScale';
import { formatNumber } from './format';
import { parseColor, type Rgb } from './landscapeHeatmap';
import type { PanelState } from './state';
import { onThemeChange, readChartTheme, type ChartTheme } from './theme';

const BAR_HEIGHT = 160;
const HEAT_SIZE = 260;
const MARGIN = { left: 54, right: 84, top: 10, bottom: 34 } as const;
const COLOUR_BAR = 12;

interface Frame {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function background(): Rgb {
  const style = getComputedStyle(document.documentElement);
  return parseColor(style.getPropertyValue('--vscode-editor-background').trim(), [30, 30, 30]);
}

/** A canvas sized in CSS pixels, drawn at the screen's resolution. */
function sized(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const context = canvas.getContext('2d');
  context?.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

const rgb = ([r, g, b]: Rgb): string => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;

function figureWith(className: string): { figure: HTMLElement; caption: HTMLElement; canvas: HTMLCanvasElement; readout: HTMLElement } {
  const figure = document.createElement('figure');
  figure.className = `batch-figure ${className}`;
  const caption = document.createElement('figcaption');
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  const stale = document.createElement('span');
  stale.className = 'stale-tag';
  stale.textContent = 'stale';
  const readout = document.createElement('p');
  readout.className = 'batch-readout';
  figure.append(stale, caption, canvas, readout);
  return { figure, caption, canvas, readout };
}

export function createBatchView(parent: HTMLElement): { render(state: PanelState): void } {
  const section = document.createElement('section');
  section.className = 'batch-views';
  const heading = document.createElement('h2');
  heading.textContent = 'Batch';
  const note = document.createElement('p');
  note.className = 'batch-note';
  const failure = document.createElement('p');
  failure.className = 'batch-failure';
  const bars = figureWith('sample-bars');
  const heat = figureWith('pair-heatmap');
  section.append(heading, note, failure, bars.figure, heat.figure);
  parent.append(section);

  let theme: ChartTheme = readChartTheme();
  let drawn: BatchViewsResult | undefined;
  let shown: BatchViewsResult | undefined;
  let barFrame: Frame | undefined;
  let heatFrame: Frame | undefined;

  function drawBars(result: BatchViewsResult): void {
    const samples = result.samples;
    bars.caption.textContent = samplesCaption(samples, result.value, result.batch);
    bars.canvas.hidden = !samples.ok;
    bars.figure.dataset.bars = '0';
    if (!samples.ok) {
      bars.readout.textContent = '';
      return;
    }
    const width = Math.max(240, Math.min(640, section.clientWidth || 360));
    const context = sized(bars.canvas, width, BAR_HEIGHT);
    const finite = samples.values.filter(Number.isFinite);
    bars.figure.dataset.bars = String(finite.length);
    bars.readout.textContent = nonFiniteNote(samples.values, 'per-sample values');
    if (!context) return;
    const plot: Frame = { x: MARGIN.left, y: MARGIN.top, width: width - MARGIN.left - 12, height: BAR_HEIGHT - MARGIN.top - MARGIN.bottom };
    barFrame = plot;
    // The axis always holds zero, so a bar's length is its value.
    const lo = Math.min(0, ...finite);
    const hi = Math.max(0, ...finite) || 1;
    const toY = (v: number): number => plot.y + plot.height - ((v - lo) / (hi - lo)) * plot.height;
    const n = samples.values.length;
    const slot = plot.width / n;
    context.fillStyle = theme.series[0] ?? '#3794ff';
    samples.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const top = Math.min(toY(v), toY(0));
      context.fillRect(plot.x + i * slot + slot * 0.15, top, Math.max(1, slot * 0.7), Math.max(1, Math.abs(toY(v) - toY(0))));
    });
    context.strokeStyle = theme.grid;
    context.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.width - 1, plot.height - 1);
    context.fillStyle = theme.foreground;
    context.fillRect(plot.x, toY(0), plot.width, 1);
    context.font = theme.font;
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (const v of new Set([lo, 0, hi])) context.fillText(formatNumber(v, 3), plot.x - 6, toY(v));
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (const i of indexTicks(n)) context.fillText(String(i), plot.x + (i - 0.5) * slot, plot.y + plot.height + 4);
    context.fillText(`sample i (of ${result.batch.name} = ${n})`, plot.x + plot.width / 2, plot.y + plot.height + 18);
  }

  function drawHeatmap(result: BatchViewsResult): void {
    const pairs = result.pairs;
    heat.caption.textContent = pairsCaption(pairs, result.batch);
    heat.figure.dataset.of = pairs.of;
    heat.figure.dataset.rows = String(pairs.rows);
    heat.figure.dataset.cols = String(pairs.cols);
    const finite = pairs.values.filter(Number.isFinite).length;
    heat.figure.dataset.finite = String(finite);
    heat.readout.textContent = nonFiniteNote(pairs.values, 'gradient entries');
    // Square cells, as many as fit the side.
    const cell = Math.max(1, Math.floor(HEAT_SIZE / Math.max(pairs.rows, pairs.cols)));
    const plot: Frame = { x: MARGIN.left, y: MARGIN.top, width: cell * pairs.cols, height: cell * pairs.rows };
    heatFrame = plot;
    const context = sized(heat.canvas, plot.x + plot.width + MARGIN.right, plot.y + plot.height + MARGIN.bottom);
    if (!context) return;
    const scale = divergingScale(pairs.values);
    const low = parseColor(theme.series[0] ?? '', [55, 148, 255]);
    const high = parseColor(theme.series[4] ?? '', [241, 76, 76]);
    const mid = background();
    // One pixel per entry, scaled up by a whole number without smoothing: a B of 1,024 is a
    // million cells, too many for one fillRect each, and no cell is blended with its neighbours.
    const pixels = new ImageData(pairs.cols, pairs.rows);
    pairs.values.forEach((v, k) => {
      const t = scale.unit(v);
      if (t === undefined) return; // transparent: the background shows through
      const [r, g, b] = divergingColour(t, low, mid, high);
      pixels.data.set([r, g, b, 255], 4 * k);
    });
    const cells = document.createElement('canvas');
    cells.width = pairs.cols;
    cells.height = pairs.rows;
    cells.getContext('2d')?.putImageData(pixels, 0, 0);
    context.imageSmoothingEnabled = false;
    context.drawImage(cells, plot.x, plot.y, plot.width, plot.height);
    context.strokeStyle = theme.grid;
    context.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.width - 1, plot.height - 1);
    context.fillStyle = theme.foreground;
    context.font = theme.font;
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (const j of indexTicks(pairs.cols)) context.fillText(String(j), plot.x + (j - 0.5) * cell, plot.y + plot.height + 3);
    context.fillText(pairs.colLabel, plot.x + plot.width / 2, plot.y + plot.height + 17);
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (const i of indexTicks(pairs.rows)) context.fillText(String(i), plot.x - 5, plot.y + (i - 0.5) * cell);
    context.save();
    context.translate(12, plot.y + plot.height / 2);
    context.rotate(-Math.PI / 2);
    context.textAlign = 'center';
    context.fillText(pairs.rowLabel, 0, 0);
    context.restore();
    // The colour bar: -bound at the bottom, +bound at the top, zero in the middle.
    const left = plot.x + plot.width + 12;
    for (let py = 0; py < plot.height; py++) {
      context.fillStyle = rgb(divergingColour(1 - (2 * py) / Math.max(1, plot.height - 1), low, mid, high));
      context.fillRect(left, plot.y + py, COLOUR_BAR, 1);
    }
    context.fillStyle = theme.foreground;
    context.textAlign = 'left';
    for (const t of [1, 0.5, 0, -0.5, -1]) {
      const py = plot.y + ((1 - t) / 2) * (plot.height - 1);
      context.fillRect(left + COLOUR_BAR, py, 3, 1);
      context.fillText(formatNumber(t * scale.bound, 3), left + COLOUR_BAR + 5, py);
    }
    heat.figure.dataset.bound = String(scale.bound);
    // What the e2e test waits on: the slider values this heatmap was computed at.
    heat.figure.dataset.params = JSON.stringify(result.params);
  }

  function draw(result: BatchViewsResult): void {
    drawn = result;
    note.textContent = `At the held batch: every input at its seeded default (${result.batch.name} = ${result.batch.size}), on ${result.engine ?? result.backend}.`;
    drawBars(result);
    drawHeatmap(result);
  }

  /** The cell or bar under the pointer, read out with its exact value. */
  bars.canvas.addEventListener('mousemove', (event) => {
    const result = shown;
    if (!result?.samples.ok || !barFrame) return;
    const i = Math.floor(((event.offsetX - barFrame.x) / barFrame.width) * result.samples.values.length);
    const v = result.samples.values[i];
    if (v !== undefined) bars.readout.textContent = `sample ${i + 1}: ${result.samples.reduction === 'mean' ? 'l' : 'c'}_${i + 1} = ${formatNumber(v)}`;
  });
  heat.canvas.addEventListener('mousemove', (event) => {
    const result = shown;
    if (!result || !heatFrame) return;
    const { rows, cols, values, rowLabel, colLabel, name } = result.pairs;
    const j = Math.floor(((event.offsetX - heatFrame.x) / heatFrame.width) * cols);
    const i = Math.floor(((event.offsetY - heatFrame.y) / heatFrame.height) * rows);
    if (i < 0 || j < 0 || i >= rows || j >= cols) return;
    const what = result.pairs.of === 'intermediate' ? 'M' : name;
    heat.readout.textContent = `${rowLabel || 'row'} = ${i + 1}, ${colLabel} = ${j + 1}: ∂L/∂${what}[${i + 1}, ${j + 1}] = ${formatNumber(values[i * cols + j])}`;
  });

  onThemeChange(() => {
    theme = readChartTheme();
    if (shown) draw(shown);
  });

  return {
    render(state) {
      const result = state.loss?.kind === 'batch' ? state.batch : undefined;
      section.hidden = state.loss?.kind !== 'batch' || (result === undefined && state.batchFailed === undefined);
      const failed = state.batchFailed ?? (state.status === 'failed' ? state.message : undefined);
      failure.hidden = failed === undefined;
      failure.textContent =
        failed === undefined ? '' : `The last evaluation failed: ${failed}.${result ? ' The views show the last good result (stale).' : ''}`;
      for (const f of [bars.figure, heat.figure]) {
        f.hidden = result === undefined;
        f.classList.toggle('stale', failed !== undefined);
      }
      shown = result;
      if (result && result !== drawn) draw(result);
    },
  };
}
