/**
 * A plot's data as CSV (RFC 4180): one column for x, one per series, one row per point. Cells
 * keep the full double, so the file reads back to the numbers plotted; a gap (NaN or infinite in
 * the computation) is an empty cell, as pandas and spreadsheets read a missing value.
 */
import type { PlotData } from './curvesSeries';

/** Quoted when it holds a comma, a quote or a line break; quotes doubled (RFC 4180, 2.6-2.7). */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function plotToCsv(plot: PlotData): string {
  const header = [plot.xLabel, ...plot.series.map((s) => s.label)].map(csvField).join(',');
  const rows = plot.x.map((x, i) =>
    [String(x), ...plot.series.map((s) => (s.values[i] === null || s.values[i] === undefined ? '' : String(s.values[i])))].join(','),
  );
  return `${[header, ...rows].join('\r\n')}\r\n`;
}
