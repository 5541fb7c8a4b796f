/**
 * The plot that explains a check's verdict (the psi-transform for calibration, the minimiser of
 * the conditional risk for properness), drawn with uPlot in the check's expanded row.
 */
import uPlot from 'uplot';
import type { CheckPlot } from '../src/core/checks/report';
import { formatNumber } from './format';
import { axisStyle, readChartTheme } from './theme';

const HEIGHT = 160;

export function checkPlotFigure(plot: CheckPlot): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'check-plot';
  const caption = document.createElement('figcaption');
  caption.textContent = plot.title;
  const host = document.createElement('div');
  figure.append(caption, host);
  const theme = readChartTheme();
  const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);
  const data: uPlot.AlignedData = [plot.x.values.map((v) => v), ...plot.series.map((s) => s.values.map(finite))];
  const axis = axisStyle(theme);
  const readout = (_u: uPlot, v: number | null): string => (v === null ? '–' : formatNumber(v));
  // Drawn once the row is open, at the width it then has.
  requestAnimationFrame(() => {
    new uPlot(
      {
        width: Math.max(240, host.clientWidth || 320),
        height: HEIGHT,
        scales: { x: { time: false } },
        axes: [
          { ...axis, label: plot.x.label },
          { ...axis, size: 56, values: (_u, splits) => splits.map((v) => formatNumber(v, 3)) },
        ],
        series: [
          { label: plot.x.label, value: readout },
          ...plot.series.map((s, i) => ({
            label: s.label,
            stroke: theme.series[i % theme.series.length] ?? theme.foreground,
            width: 1.5,
            ...(i > 0 ? { dash: [4, 4] } : {}),
            // A series of a few values is a marker (the elicitation check's c*, mean, median): show its points.
            points: { show: s.values.filter((v) => Number.isFinite(v)).length <= 3, size: 9 },
            value: readout,
          })),
        ],
      },
      data,
      host,
    );
  });
  return figure;
}
