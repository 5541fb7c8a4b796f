/**
 * The 2-D slice of a trained model's loss landscape (Li, Xu, Taylor, Studer & Goldstein 2018) as
 * a heatmap on a <canvas>: values[j][i] at (alphas[i], betas[j]), betas upwards, the trained
 * parameters at the centre marked with a cross. The colour runs between two theme colours on a
 * log scale above the slice's minimum, since the walls of a landscape dwarf its basin.
 */
import type { ExperimentLandscape } from '../src/protocol';
import { formatNumber } from './format';
import type { ChartTheme } from './theme';

const SIZE = 180;

export type Rgb = readonly [number, number, number];

export function parseColor(color: string, fallback: Rgb): Rgb {
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color);
  if (long) return [parseInt(long[1] ?? '0', 16), parseInt(long[2] ?? '0', 16), parseInt(long[3] ?? '0', 16)];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return [parseInt(`${short[1]}${short[1]}`, 16), parseInt(`${short[2]}${short[2]}`, 16), parseInt(`${short[3]}${short[3]}`, 16)];
  return fallback;
}

/** Low values in the theme's blue, high ones in its yellow. */
function colourScale(theme: ChartTheme): (t: number) => string {
  const low = parseColor(theme.series[0] ?? '', [55, 148, 255]);
  const high = parseColor(theme.series[5] ?? '', [204, 167, 0]);
  return (t) => {
    const mix = (k: 0 | 1 | 2) => Math.round(low[k] + (high[k] - low[k]) * t);
    return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
  };
}

export function landscapeFigure(title: string, landscape: ExperimentLandscape, theme: ChartTheme): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'landscape';
  const caption = document.createElement('figcaption');
  const canvas = document.createElement('canvas');
  const ratio = window.devicePixelRatio || 1;
  canvas.width = SIZE * ratio;
  canvas.height = SIZE * ratio;
  canvas.style.width = `${SIZE}px`;
  canvas.style.height = `${SIZE}px`;

  const finite = landscape.values.flat().filter((v) => Number.isFinite(v));
  const min = finite.length > 0 ? Math.min(...finite) : 0;
  const max = finite.length > 0 ? Math.max(...finite) : 1;
  const spread = Math.log1p(max - min) || 1;
  const colour = colourScale(theme);
  const context = canvas.getContext('2d');
  const columns = landscape.alphas.length;
  const rows = landscape.betas.length;
  if (context && columns > 0 && rows > 0) {
    const w = canvas.width / columns;
    const h = canvas.height / rows;
    for (const [j, row] of landscape.values.entries()) {
      for (const [i, v] of row.entries()) {
        // Non-finite values (a diverged direction) are left as the background.
        if (!Number.isFinite(v)) continue;
        context.fillStyle = colour(Math.log1p(v - min) / spread);
        // Row j = betas[j]; betas grow upwards.
        context.fillRect(i * w, (rows - 1 - j) * h, Math.ceil(w), Math.ceil(h));
      }
    }
    context.strokeStyle = theme.foreground;
    context.lineWidth = ratio;
    const cx = canvas.width / 2;
    const cy = canvas.height / 2;
    const arm = 5 * ratio;
    context.beginPath();
    context.moveTo(cx - arm, cy);
    context.lineTo(cx + arm, cy);
    context.moveTo(cx, cy - arm);
    context.lineTo(cx, cy + arm);
    context.stroke();
  }
  const centre = landscape.values[Math.floor(rows / 2)]?.[Math.floor(columns / 2)];
  caption.textContent = `${title}: ${formatNumber(min)} to ${formatNumber(max)}, ${formatNumber(centre)} at the minimum`;
  figure.dataset.cells = String(finite.length);
  figure.append(caption, canvas);
  return figure;
}
