/**
 * The value, gradient and second derivative of the loss along its input axis: three small uPlot
 * charts, each toggleable, one series per curve the worker sent (e.g. y = 1 and y = 0 for a
 * probability loss), with the compared loss dashed and the difference dotted on demand. Cursors
 * are synchronised so that one hover reads all three at the same input; dragging zooms all three,
 * double-click resets; a check's witness puts a vertical marker. Each chart saves as PNG (its
 * canvas), SVG (redrawn from the data) or CSV. A failed update leaves the last plot in place,
 * dimmed and marked stale.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CurvesResult, ExportFormat } from '../src/protocol';
import { plotSeries, type PlotData, type SeriesRole } from './curvesSeries';
import { computedRange, createCurvesToolbar, ORDER_LABELS, type CurvesToolbarActions } from './curvesToolbar';
import { DEFAULT_CURVES_VIEW, ORDER_NAMES, visibleWindow, withZoom, type CurvesView, type Order } from './curvesView';
import { formatNumber } from './format';
import { plotToCsv } from './plotExportCsv';
import { plotToSvg } from './plotExportSvg';
import type { PanelState } from './state';
import { axisStyle, onThemeChange, readChartTheme, type ChartTheme } from './theme';
import { displayRange, fullRange, symlogThreshold, type DisplayRange } from './yRange';

export interface CurvesActions extends CurvesToolbarActions {
  readonly save: (format: ExportFormat, name: string, data: string) => void;
}

const NOTATION: Readonly<Record<Order, (loss: string, x: string) => string>> = {
  value: (f, x) => `${f}(${x})`,
  first: (f, x) => `∂${f}/∂${x}`,
  second: (f, x) => `∂²${f}/∂${x}²`,
};

const CHART_HEIGHT = 170;
const SYNC_KEY = 'losslab-curves';
const DASH: Readonly<Record<SeriesRole, number[] | undefined>> = { shown: undefined, compared: [6, 4], difference: [2, 3] };

/** What one chart draws now: the data, the window, the scale, the marker. */
interface ChartInput {
  readonly result: CurvesResult;
  readonly data: PlotData;
  readonly view: CurvesView;
  readonly window: readonly [number, number];
  readonly theme: ChartTheme;
  readonly themeVersion: number;
  readonly width: number;
}

/** The values of the series at the points inside the window: what the y range is fitted to. */
function visibleValues(data: PlotData, window: readonly [number, number]): (number | null)[][] {
  return data.series.map((s) => s.values.filter((_, i) => (data.x[i] ?? NaN) >= window[0] && (data.x[i] ?? NaN) <= window[1]));
}

function fileSafe(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9_.-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'losslab'
  );
}

function editorBackground(): string {
  return getComputedStyle(document.body).backgroundColor || '#ffffff';
}

class DerivativeChart {
  readonly figure = document.createElement('figure');
  private readonly title = document.createElement('span');
  private readonly clipNote = document.createElement('span');
  private readonly host = document.createElement('div');
  private plot: uPlot | undefined;
  private signature = '';
  private range: DisplayRange = { min: -1, max: 1, clipped: false };
  private window: readonly [number, number] = [0, 1];
  private cursor: number | undefined;
  private input: ChartInput | undefined;
  private threshold = 1;

  constructor(
    readonly order: Order,
    private readonly isLast: boolean,
    private readonly onZoom: (window: readonly [number, number] | undefined) => void,
    private readonly save: (format: ExportFormat, name: string, data: string) => void,
  ) {
    const caption = document.createElement('figcaption');
    this.clipNote.className = 'clip-note';
    this.clipNote.textContent = 'y clipped to the 2nd-98th percentile';
    this.clipNote.title = 'The extremes dwarf the rest of the curve; hover to read the true values';
    const exports = document.createElement('span');
    exports.className = 'export-buttons';
    for (const format of ['png', 'svg', 'csv'] as const) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'tool-button';
      b.dataset.format = format;
      b.textContent = format.toUpperCase();
      const what = `Save the ${ORDER_LABELS[order]} plot as ${format.toUpperCase()}`;
      b.setAttribute('aria-label', what);
      b.title = what;
      b.addEventListener('click', () => this.export(format));
      exports.append(b);
    }
    caption.append(this.title, this.clipNote, exports);
    this.host.className = 'chart';
    this.figure.dataset.order = order;
    this.figure.append(caption, this.host);
  }

  update(input: ChartInput): void {
    this.input = input;
    const { data, view, result } = input;
    this.describe(data);
    this.window = input.window;
    this.cursor = view.cursor;
    const visible = visibleValues(data, input.window);
    this.threshold = symlogThreshold(visible);
    this.range = view.yScale === 'symlog' ? fullRange(visible) : displayRange(visible);
    this.title.textContent = `${ORDER_LABELS[this.order]}  ${NOTATION[this.order](result.loss, result.axis.name)}`;
    this.clipNote.hidden = !this.range.clipped;
    const aligned: uPlot.AlignedData = [data.x.map((v) => v), ...data.series.map((s) => s.values.map((v) => v))];
    const signature = JSON.stringify([
      result.axis.name,
      result.axis.label,
      data.series.map((s) => [s.label, s.role]),
      view.yScale,
      view.yScale === 'symlog' ? this.threshold : 0,
      input.themeVersion,
    ]);
    if (this.plot && signature === this.signature) {
      this.plot.setData(aligned);
      return;
    }
    this.plot?.destroy();
    this.signature = signature;
    this.plot = new uPlot(this.options(input), aligned, this.host);
    this.plot.over.addEventListener('dblclick', () => this.onZoom(undefined));
  }

  /**
   * What is drawn, in attributes a test (or a screen reader's inspector) can read: the number of
   * finite points and their sum, which changes whenever the curve does, and the series drawn.
   */
  private describe(data: PlotData): void {
    let points = 0;
    let sum = 0;
    for (const series of data.series) {
      for (const v of series.values) {
        if (v !== null) {
          points++;
          sum += v;
        }
      }
    }
    this.figure.dataset.points = String(points);
    this.figure.dataset.digest = sum.toPrecision(10);
    this.figure.dataset.series = data.series.map((s) => s.role).join(' ');
  }

  resize(width: number): void {
    this.plot?.setSize({ width, height: CHART_HEIGHT });
  }

  private export(format: ExportFormat): void {
    const input = this.input;
    if (!input || !this.plot) return;
    const name = fileSafe(`${input.result.loss}-${ORDER_LABELS[this.order]}`);
    if (format === 'csv') {
      this.save('csv', name, plotToCsv(input.data));
      return;
    }
    if (format === 'png') {
      // The canvas is transparent: paint the editor's background under it, so that a dark theme's light lines stay readable.
      const canvas = this.plot.ctx.canvas;
      const out = document.createElement('canvas');
      out.width = canvas.width;
      out.height = canvas.height;
      const ctx = out.getContext('2d');
      if (!ctx) return;
      ctx.fillStyle = editorBackground();
      ctx.fillRect(0, 0, out.width, out.height);
      ctx.drawImage(canvas, 0, 0);
      this.save('png', name, out.toDataURL('image/png'));
      return;
    }
    const { theme } = input;
    const svg = plotToSvg(
      {
        title: this.title.textContent ?? '',
        data: input.data,
        xWindow: this.window,
        yRange: [this.range.min, this.range.max],
        yScale: input.view.yScale,
        symlogThreshold: this.threshold,
        ...(this.cursor !== undefined ? { cursor: this.cursor } : {}),
      },
      {
        width: Math.round(this.plot.width),
        height: CHART_HEIGHT + 40,
        foreground: theme.foreground,
        grid: theme.grid,
        background: editorBackground(),
        palette: theme.series,
        fontFamily: getComputedStyle(document.body).fontFamily || 'sans-serif',
      },
    );
    this.save('svg', name, svg);
  }

  /** The witness marker: a dashed vertical line at the cursor's input, over the series. */
  private drawCursor(u: uPlot): void {
    const x = this.cursor;
    if (x === undefined || x < this.window[0] || x > this.window[1]) return;
    const px = u.valToPos(x, 'x', true);
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = this.input?.theme.foreground ?? '#888';
    ctx.lineWidth = devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(px, u.bbox.top);
    ctx.lineTo(px, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  }

  private options(input: ChartInput): uPlot.Options {
    const { theme, result, data, view } = input;
    const axis = axisStyle(theme);
    const readout = (_u: uPlot, v: number | null): string => (v === null ? '–' : formatNumber(v));
    const yScale: uPlot.Scale =
      view.yScale === 'symlog'
        ? { distr: 4, asinh: this.threshold, range: () => [this.range.min, this.range.max] }
        : { range: () => [this.range.min, this.range.max] };
    return {
      width: input.width,
      height: CHART_HEIGHT,
      cursor: { sync: { key: SYNC_KEY }, drag: { x: true, y: false, setScale: false } },
      scales: { x: { time: false, range: () => [this.window[0], this.window[1]] }, y: yScale },
      axes: [
        { ...axis, ...(this.isLast ? { label: result.axis.label } : {}) },
        // On the log scale uPlot leaves the splits between decades unlabelled (null).
        { ...axis, size: 56, values: (_u, splits) => splits.map((v) => (v === null || v === undefined ? '' : formatNumber(v, 3))) },
      ],
      series: [
        { label: result.axis.name, value: readout },
        ...data.series.map((s) => ({
          label: s.label,
          stroke: theme.series[s.colorIndex % theme.series.length] ?? theme.foreground,
          width: s.role === 'shown' ? 1.5 : 1.25,
          ...(DASH[s.role] ? { dash: DASH[s.role] } : {}),
          points: { show: false },
          value: readout,
        })),
      ],
      hooks: {
        draw: [(u) => this.drawCursor(u)],
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            this.onZoom([a, b]);
          },
        ],
      },
    };
  }
}

export function createCurvesView(parent: HTMLElement, actions: CurvesActions): { render(state: PanelState): void } {
  const section = document.createElement('section');
  section.className = 'curves';
  section.setAttribute('aria-label', 'curves');
  const toolbar = createCurvesToolbar(section, actions);
  const placeholder = document.createElement('p');
  placeholder.className = 'placeholder';
  placeholder.textContent = 'No curves yet.';
  const staleTag = document.createElement('span');
  staleTag.className = 'stale-tag';
  staleTag.textContent = 'stale: last good plot';
  let state: PanelState | undefined;
  const zoom = (window: readonly [number, number] | undefined): void => {
    const range = state && computedRange(state);
    if (!state || !range) return;
    const view = state.curvesView ?? DEFAULT_CURVES_VIEW;
    const next = withZoom(view, window, range);
    if (next !== view && JSON.stringify(next.zoom) !== JSON.stringify(view.zoom)) actions.view(next);
  };
  const charts = ORDER_NAMES.map((order, i) => new DerivativeChart(order, i === ORDER_NAMES.length - 1, zoom, actions.save));
  const plots = document.createElement('div');
  plots.className = 'curves-plots';
  plots.append(staleTag, ...charts.map((c) => c.figure));
  section.append(placeholder, plots);
  parent.append(section);

  let theme = readChartTheme();
  let themeVersion = 0;
  let drawn: unknown[] = [];
  const width = (): number => Math.max(240, section.clientWidth);

  const draw = (s: PanelState, curves: CurvesResult): void => {
    const view = s.curvesView ?? DEFAULT_CURVES_VIEW;
    const range = computedRange(s) ?? [0, 1];
    const window = visibleWindow(view, range);
    for (const chart of charts) {
      const data = plotSeries(curves, chart.order, s.compare?.curves, view.difference);
      chart.update({ result: curves, data, view, window, theme, themeVersion, width: width() });
    }
    drawn = [curves, s.compare, view, themeVersion];
  };

  onThemeChange(() => {
    theme = readChartTheme();
    themeVersion++;
    if (state?.curves) draw(state, state.curves);
  });
  let pendingResize = false;
  new ResizeObserver(() => {
    if (pendingResize) return;
    pendingResize = true;
    requestAnimationFrame(() => {
      pendingResize = false;
      for (const chart of charts) chart.resize(width());
    });
  }).observe(section);

  return {
    render(next) {
      state = next;
      const curves = next.curves;
      const view = next.curvesView ?? DEFAULT_CURVES_VIEW;
      toolbar.render(next);
      section.hidden = next.loss === undefined;
      placeholder.hidden = curves !== undefined;
      for (const chart of charts) chart.figure.hidden = curves === undefined || !view.shown[chart.order];
      const stale = curves !== undefined && (next.status === 'failed' || next.status === 'stale');
      plots.classList.toggle('stale', stale);
      section.classList.toggle('stale', stale);
      staleTag.title = stale ? (next.message ?? 'the last update failed') : '';
      const key = [curves, next.compare, view, themeVersion];
      if (curves && key.some((k, i) => k !== drawn[i])) draw(next, curves);
    },
  };
}
