/**
 * The value, gradient and second derivative of the loss along its input axis: three small uPlot
 * charts, one series per curve the worker sent (e.g. y = 1 and y = 0 for a probability loss),
 * with cursors synchronised so that one hover reads all three at the same input. A failed
 * update leaves the last plot in place, dimmed and marked stale.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CurvesResult } from '../src/protocol';
import { formatNumber } from './format';
import type { PanelState } from './state';
import { axisStyle, onThemeChange, readChartTheme, type ChartTheme } from './theme';
import { displayRange, type DisplayRange } from './yRange';

type Order = 'value' | 'first' | 'second';

interface OrderSpec {
  readonly order: Order;
  readonly name: string;
  readonly notation: (loss: string, x: string) => string;
}

const ORDERS: readonly OrderSpec[] = [
  { order: 'value', name: 'value', notation: (f, x) => `${f}(${x})` },
  { order: 'first', name: 'gradient', notation: (f, x) => `∂${f}/∂${x}` },
  { order: 'second', name: 'curvature', notation: (f, x) => `∂²${f}/∂${x}²` },
];

const CHART_HEIGHT = 170;
const SYNC_KEY = 'losslab-curves';

/** Non-finite values become gaps: a NaN would otherwise break the line's path. */
function plotData(result: CurvesResult, order: Order): uPlot.AlignedData {
  const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);
  return [result.axis.values.map((v) => v), ...result.curves.map((c) => c[order].map(finite))];
}

class DerivativeChart {
  readonly figure = document.createElement('figure');
  private readonly title = document.createElement('span');
  private readonly clipNote = document.createElement('span');
  private readonly host = document.createElement('div');
  private plot: uPlot | undefined;
  private signature = '';
  private range: DisplayRange = { min: -1, max: 1, clipped: false };

  constructor(
    private readonly spec: OrderSpec,
    private readonly isLast: boolean,
  ) {
    const caption = document.createElement('figcaption');
    this.clipNote.className = 'clip-note';
    this.clipNote.textContent = 'y clipped to the 2nd-98th percentile';
    this.clipNote.title = 'The extremes dwarf the rest of the curve; hover to read the true values';
    caption.append(this.title, this.clipNote);
    this.host.className = 'chart';
    this.figure.append(caption, this.host);
  }

  update(result: CurvesResult, theme: ChartTheme, themeVersion: number, width: number): void {
    const data = plotData(result, this.spec.order);
    this.describe(data);
    this.range = displayRange(data.slice(1) as (number | null)[][]);
    this.title.textContent = `${this.spec.name}  ${this.spec.notation(result.loss, result.axis.name)}`;
    this.clipNote.hidden = !this.range.clipped;
    const signature = JSON.stringify([result.axis.name, result.axis.label, result.curves.map((c) => c.label), themeVersion]);
    if (this.plot && signature === this.signature) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.signature = signature;
    this.plot = new uPlot(this.options(result, theme, width), data, this.host);
  }

  /**
   * What is drawn, in attributes a test (or a screen reader's inspector) can read: the number of
   * finite points and their sum, which changes whenever the curve does.
   */
  private describe(data: uPlot.AlignedData): void {
    let points = 0;
    let sum = 0;
    for (const series of data.slice(1)) {
      for (const v of series) {
        if (typeof v === 'number') {
          points++;
          sum += v;
        }
      }
    }
    this.figure.dataset.order = this.spec.order;
    this.figure.dataset.points = String(points);
    this.figure.dataset.digest = sum.toPrecision(10);
  }

  resize(width: number): void {
    this.plot?.setSize({ width, height: CHART_HEIGHT });
  }

  private options(result: CurvesResult, theme: ChartTheme, width: number): uPlot.Options {
    const axis = axisStyle(theme);
    const readout = (_u: uPlot, v: number | null): string => (v === null ? '–' : formatNumber(v));
    return {
      width,
      height: CHART_HEIGHT,
      cursor: { sync: { key: SYNC_KEY }, drag: { x: true, y: false } },
      scales: { x: { time: false }, y: { range: () => [this.range.min, this.range.max] } },
      axes: [
        { ...axis, ...(this.isLast ? { label: result.axis.label } : {}) },
        { ...axis, size: 56, values: (_u, splits) => splits.map((v) => formatNumber(v, 3)) },
      ],
      series: [
        { label: result.axis.name, value: readout },
        ...result.curves.map((c, i) => ({
          label: c.label,
          stroke: theme.series[i % theme.series.length] ?? theme.foreground,
          width: 1.5,
          points: { show: false },
          value: readout,
        })),
      ],
    };
  }
}

export function createCurvesView(parent: HTMLElement): { render(state: PanelState): void } {
  const section = document.createElement('section');
  section.className = 'curves';
  const placeholder = document.createElement('p');
  placeholder.className = 'placeholder';
  placeholder.textContent = 'No curves yet.';
  const staleTag = document.createElement('span');
  staleTag.className = 'stale-tag';
  staleTag.textContent = 'stale';
  const charts = ORDERS.map((spec, i) => new DerivativeChart(spec, i === ORDERS.length - 1));
  section.append(staleTag, placeholder, ...charts.map((c) => c.figure));
  parent.append(section);

  let theme = readChartTheme();
  let themeVersion = 0;
  let drawn: CurvesResult | undefined;
  const width = (): number => Math.max(240, section.clientWidth);

  const draw = (result: CurvesResult): void => {
    for (const chart of charts) chart.update(result, theme, themeVersion, width());
    drawn = result;
  };

  onThemeChange(() => {
    theme = readChartTheme();
    themeVersion++;
    if (drawn) draw(drawn);
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
    render(state) {
      const curves = state.curves;
      section.hidden = state.loss === undefined;
      placeholder.hidden = curves !== undefined;
      for (const chart of charts) chart.figure.hidden = curves === undefined;
      section.classList.toggle('stale', curves !== undefined && (state.status === 'failed' || state.status === 'stale'));
      if (curves && curves !== drawn) draw(curves);
    },
  };
}
