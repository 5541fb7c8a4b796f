/**
 * A plot as a standalone SVG, written from the data rather than copied from the canvas: lines
 * stay sharp at any size and the numbers are in the file. uPlot draws on a canvas, which has no
 * vector form, so this draws the same series again: a frame, ticks and their labels, the axis
 * label, the title, one polyline per unbroken run of points, and a legend. Pure: no DOM.
 */
import type { PlotData, SeriesRole } from './curvesSeries';
import type { YScale } from './curvesView';

export interface SvgStyle {
  readonly width: number;
  readonly height: number;
  readonly foreground: string;
  readonly grid: string;
  readonly background: string;
  readonly palette: readonly string[];
  readonly fontFamily: string;
}

export interface SvgPlot {
  readonly title: string;
  readonly data: PlotData;
  readonly xWindow: readonly [number, number];
  readonly yRange: readonly [number, number];
  readonly yScale: YScale;
  /** The threshold c of the symmetric log scale, sign(y)·asinh(|y|/c). */
  readonly symlogThreshold: number;
  /** A vertical marker (a check's witness), drawn when inside the window. */
  readonly cursor?: number;
}

const MARGIN = { left: 64, right: 16, top: 28, bottom: 44 } as const;
const LEGEND_ROW = 16;
const DASH: Readonly<Record<SeriesRole, string>> = { shown: '', compared: '6 4', difference: '2 3' };

/** Text and attribute values in XML: the five characters that would end them. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** Up to about `count` ticks at 1, 2 or 5 times a power of ten (Heckbert's nice numbers, 1990). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  // Multiples of the step, rounded to 12 digits: 3 * 0.2 is 0.6000000000000001 in binary.
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) ticks.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return ticks;
}

function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(2).replace(/\.?0+e/, 'e') : String(Number(v.toPrecision(4)));
}

const round = (v: number): string => String(Math.round(v * 100) / 100);

export function plotToSvg(plot: SvgPlot, style: SvgStyle): string {
  const { data } = plot;
  const legendHeight = data.series.length * LEGEND_ROW + 8;
  const height = style.height + legendHeight;
  const plotW = style.width - MARGIN.left - MARGIN.right;
  const plotH = style.height - MARGIN.top - MARGIN.bottom;
  const [x0, x1] = plot.xWindow;
  const ty = (y: number): number => (plot.yScale === 'symlog' ? Math.asinh(y / plot.symlogThreshold) : y);
  const [y0, y1] = [ty(plot.yRange[0]), ty(plot.yRange[1])];
  const px = (x: number): number => MARGIN.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number): number => MARGIN.top + plotH - ((ty(y) - y0) / (y1 - y0 || 1)) * plotH;
  const font = `font-family="${escapeXml(style.fontFamily)}" font-size="11" fill="${escapeXml(style.foreground)}"`;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${style.width}" height="${height}" viewBox="0 0 ${style.width} ${height}">`,
    `<rect width="100%" height="100%" fill="${escapeXml(style.background)}"/>`,
    `<defs><clipPath id="plot-area"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`,
    `<text x="${MARGIN.left}" y="16" ${font} font-weight="bold">${escapeXml(plot.title)}</text>`,
  ];
  for (const t of niceTicks(x0, x1)) {
    const x = round(px(t));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="${escapeXml(style.grid)}"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + plotH + 14}" text-anchor="middle" ${font}>${escapeXml(formatTick(t))}</text>`);
  }
  // On the symmetric log scale the ticks are nice in the transformed coordinate, labelled with the value.
  const yTicks = plot.yScale === 'symlog' ? niceTicks(y0, y1).map((t) => Math.sinh(t) * plot.symlogThreshold) : niceTicks(y0, y1);
  for (const t of yTicks) {
    const y = round(py(t));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + plotW}" y2="${y}" stroke="${escapeXml(style.grid)}"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y}" dy="4" text-anchor="end" ${font}>${escapeXml(formatTick(t))}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="${escapeXml(style.foreground)}"/>`);
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 34}" text-anchor="middle" ${font}>${escapeXml(data.xLabel)}</text>`);
  out.push('<g clip-path="url(#plot-area)" fill="none" stroke-width="1.5" stroke-linejoin="round">');
  data.series.forEach((s) => {
    const color = escapeXml(style.palette[s.colorIndex % style.palette.length] ?? style.foreground);
    const dash = DASH[s.role] ? ` stroke-dasharray="${DASH[s.role]}"` : '';
    for (const run of unbrokenRuns(data.x, s.values, x0, x1)) {
      out.push(`<polyline stroke="${color}"${dash} points="${run.map(([x, y]) => `${round(px(x))},${round(py(y))}`).join(' ')}"/>`);
    }
  });
  out.push('</g>');
  if (plot.cursor !== undefined && plot.cursor >= x0 && plot.cursor <= x1) {
    const x = round(px(plot.cursor));
    out.push(
      `<line class="cursor" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="${escapeXml(style.foreground)}" stroke-dasharray="3 3"/>`,
    );
  }
  data.series.forEach((s, i) => {
    const y = style.height + i * LEGEND_ROW + 8;
    const color = escapeXml(style.palette[s.colorIndex % style.palette.length] ?? style.foreground);
    const dash = DASH[s.role] ? ` stroke-dasharray="${DASH[s.role]}"` : '';
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + 24}" y2="${y}" stroke="${color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${MARGIN.left + 30}" y="${y}" dy="4" ${font}>${escapeXml(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The points inside the x window, split where a value is missing: a gap, not a line across it. */
export function unbrokenRuns(x: readonly number[], values: readonly (number | null)[], lo: number, hi: number): [number, number][][] {
  const runs: [number, number][][] = [];
  let run: [number, number][] = [];
  x.forEach((xi, i) => {
    const v = values[i];
    if (v === null || v === undefined || xi < lo || xi > hi) {
      if (run.length > 0) runs.push(run);
      run = [];
      return;
    }
    run.push([xi, v]);
  });
  if (run.length > 0) runs.push(run);
  return runs;
}
