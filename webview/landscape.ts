/**
 * The loss over two axes (focal's p against gamma, two inputs, a logit against another): a
 * heatmap with contour lines on a <canvas>, a colour bar, axis labels and ticks in the theme's
 * colours, a read-out of the value and both partial derivatives under the pointer, the descent
 * direction as arrows on demand, and pickers for the axes and the resolution. A toggle shows the
 * same grid as a 3-D surface instead (`surface.ts`), in the same colours, turned by dragging or by
 * the arrow keys. A failed update leaves the last landscape in place, dimmed like the curves.
 */
import type { LandscapeResult } from '../src/protocol';
import { contourSegments, evenLevels } from './contours';
import { formatNumber } from './format';
import { parseColor, type Rgb } from './landscapeHeatmap';
import { valueScale, type ValueScale } from './landscapeScale';
import type { PanelState } from './state';
import { DEFAULT_SURFACE_VIEW, drawSurface, rotated, type SurfaceView } from './surface';
import { onThemeChange, readChartTheme, withAlpha, type ChartTheme } from './theme';

const RESOLUTIONS = [32, 64, 128, 256] as const;
const DEFAULT_RESOLUTION = 128;
const HEIGHT = 280;
const MARGIN = { left: 56, right: 78, top: 10, bottom: 38 } as const;
const BAR_WIDTH = 12;
const CONTOURS = 9;
const ARROWS = 14;

/**
 * VS Code carries typed arrays to the webview as bytes; should a channel hand over a plain array
 * (or an object with numeric keys, as JSON makes of a typed array) the grids are converted.
 */
function withTypedGrids(result: LandscapeResult): LandscapeResult {
  const typed = (grid: unknown): Float32Array => {
    if (grid instanceof Float32Array) return grid;
    if (Array.isArray(grid)) return Float32Array.from(grid as number[]);
    return Float32Array.from(Object.values(grid ?? {}) as number[]);
  };
  return result.value instanceof Float32Array ? result : { ...result, value: typed(result.value), dx: typed(result.dx), dy: typed(result.dy) };
}

export type ChooseLandscape = (x: string, y: string, resolution: number) => void;

interface Frame {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Low values in the theme's blue, through its green, to its yellow: legible on dark and light. */
function colourStops(theme: ChartTheme): Rgb[] {
  return [
    parseColor(theme.series[0] ?? '', [55, 148, 255]),
    parseColor(theme.series[2] ?? '', [137, 209, 133]),
    parseColor(theme.series[5] ?? '', [204, 167, 0]),
  ];
}

function colourAt(stops: readonly Rgb[], t: number): Rgb {
  const scaled = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(scaled));
  const f = scaled - k;
  const a = stops[k] as Rgb;
  const b = stops[k + 1] as Rgb;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

function labelled(text: string, control: HTMLElement, id: string): HTMLLabelElement {
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = text;
  control.id = id;
  return label;
}

/** Round tick values (1, 2 or 5 times a power of ten apart), about `count` of them inside the range. */
function ticks([lo, hi]: readonly [number, number], count = 5): number[] {
  const raw = (hi - lo) / count;
  if (!(raw > 0)) return [lo];
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** The theme's main text colour (the chart theme's is the dimmer description colour). */
function readForeground(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim() || '#cccccc';
}

/** The page's background: contour lines in it read as cuts through the colours, in any theme. */
function backgroundColour(): string {
  const style = getComputedStyle(document.documentElement);
  return style.getPropertyValue('--vscode-editor-background').trim() || style.getPropertyValue('--vscode-sideBar-background').trim() || '#1e1e1e';
}

export function createLandscapeView(parent: HTMLElement, choose: ChooseLandscape): { render(state: PanelState): void } {
  const section = document.createElement('section');
  section.className = 'loss-landscape';
  const heading = document.createElement('h2');
  heading.textContent = 'Landscape';

  const controls = document.createElement('div');
  controls.className = 'landscape-controls';
  const xSelect = document.createElement('select');
  const ySelect = document.createElement('select');
  const resolutionSelect = document.createElement('select');
  for (const n of RESOLUTIONS) resolutionSelect.append(new Option(`${n} × ${n}`, String(n), n === DEFAULT_RESOLUTION, n === DEFAULT_RESOLUTION));
  const arrows = document.createElement('input');
  arrows.type = 'checkbox';
  const mode = document.createElement('select');
  mode.append(new Option('heatmap', 'heatmap', true, true), new Option('3-D surface', 'surface'));
  // Each label with its control, as one item of the wrapping row: they never wrap apart.
  const field = (...parts: HTMLElement[]): HTMLSpanElement => {
    const span = document.createElement('span');
    span.className = 'control-group';
    span.append(...parts);
    return span;
  };
  controls.append(
    field(labelled('view', mode, 'landscape-mode'), mode),
    field(labelled('x', xSelect, 'landscape-x'), xSelect),
    field(labelled('y', ySelect, 'landscape-y'), ySelect),
    field(labelled('grid', resolutionSelect, 'landscape-resolution'), resolutionSelect),
    field(arrows, labelled('descent arrows (−∇)', arrows, 'landscape-arrows')),
  );

  const note = document.createElement('p');
  note.className = 'landscape-note';
  const figure = document.createElement('figure');
  figure.className = 'landscape-figure';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  const staleTag = document.createElement('span');
  staleTag.className = 'stale-tag';
  staleTag.textContent = 'stale';
  const readout = document.createElement('p');
  readout.className = 'landscape-readout';
  // What the colours and the dashed line mean: the bar's ticks alone do not say the scale bends.
  const legend = document.createElement('p');
  legend.className = 'landscape-legend';
  // The surface: its own canvas, focusable so that the arrow keys turn it.
  const surfaceCanvas = document.createElement('canvas');
  surfaceCanvas.className = 'landscape-surface';
  surfaceCanvas.tabIndex = 0;
  surfaceCanvas.setAttribute('role', 'img');
  surfaceCanvas.hidden = true;
  figure.append(staleTag, canvas, surfaceCanvas);
  section.append(heading, controls, note, figure, legend, readout);
  parent.append(section);

  let theme = readChartTheme();
  let drawn: LandscapeResult | undefined;
  let frame: Frame | undefined;
  let chosenResolution: number = DEFAULT_RESOLUTION;
  /** The last result as the host sent it (`drawn` is the same with its grids as typed arrays). */
  let received: LandscapeResult | undefined;

  const send = (): void => {
    if (xSelect.value && ySelect.value && xSelect.value !== ySelect.value) choose(xSelect.value, ySelect.value, chosenResolution);
  };
  // Choosing an axis the other one shows swaps them, rather than asking for x against x.
  const onAxis = (changed: HTMLSelectElement, other: HTMLSelectElement, previous: () => string | undefined): void => {
    if (changed.value === other.value) other.value = previous() ?? other.value;
    send();
  };
  xSelect.addEventListener('change', () => onAxis(xSelect, ySelect, () => drawn?.x?.name));
  ySelect.addEventListener('change', () => onAxis(ySelect, xSelect, () => drawn?.y?.name));
  resolutionSelect.addEventListener('change', () => {
    chosenResolution = Number(resolutionSelect.value);
    send();
  });
  arrows.addEventListener('change', () => drawn && draw(drawn));
  let surfaceView: SurfaceView = DEFAULT_SURFACE_VIEW;
  const showingSurface = (): boolean => mode.value === 'surface';
  mode.addEventListener('change', () => {
    canvas.hidden = showingSurface();
    surfaceCanvas.hidden = !showingSurface();
    arrows.disabled = showingSurface();
    if (drawn) draw(drawn);
  });
  const turn = (dAzimuth: number, dElevation: number): void => {
    surfaceView = rotated(surfaceView, dAzimuth, dElevation);
    if (drawn) paintSurface(drawn);
  };
  let dragFrom: { x: number; y: number } | undefined;
  surfaceCanvas.addEventListener('pointerdown', (event) => {
    dragFrom = { x: event.clientX, y: event.clientY };
    surfaceCanvas.setPointerCapture(event.pointerId);
  });
  surfaceCanvas.addEventListener('pointermove', (event) => {
    if (!dragFrom) return;
    const dx = event.clientX - dragFrom.x;
    const dy = event.clientY - dragFrom.y;
    dragFrom = { x: event.clientX, y: event.clientY };
    turn(-dx * 0.01, dy * 0.01);
  });
  const endDrag = (): void => {
    dragFrom = undefined;
  };
  surfaceCanvas.addEventListener('pointerup', endDrag);
  surfaceCanvas.addEventListener('pointercancel', endDrag);
  surfaceCanvas.addEventListener('keydown', (event) => {
    const step = 0.08;
    const by: Readonly<Record<string, readonly [number, number]>> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const d = by[event.key];
    if (!d) return;
    event.preventDefault();
    turn(d[0], d[1]);
  });
  // A slider let go (or stepped with the keyboard): the full resolution now, not after the drag's pause.
  document.addEventListener('change', (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type === 'range' && target.closest('.params')) send();
  });

  const pickers = (result: LandscapeResult): void => {
    const signature = JSON.stringify(result.options.map((o) => o.name));
    if (xSelect.dataset.options !== signature) {
      xSelect.dataset.options = signature;
      for (const select of [xSelect, ySelect]) select.replaceChildren(...result.options.map((o) => new Option(o.label, o.name)));
    }
    if (result.x) xSelect.value = result.x.name;
    if (result.y) ySelect.value = result.y.name;
  };

  /** The grid as a surface, in the heatmap's colour scale and with its value scale as height. */
  function paintSurface(result: LandscapeResult): void {
    const { x, y } = result;
    const context = surfaceCanvas.getContext('2d');
    const width = Math.max(280, Math.min(640, section.clientWidth || 480));
    const ratio = window.devicePixelRatio || 1;
    surfaceCanvas.width = Math.round(width * ratio);
    surfaceCanvas.height = Math.round(HEIGHT * ratio);
    surfaceCanvas.style.width = `${width}px`;
    surfaceCanvas.style.height = `${HEIGHT}px`;
    if (!context || !x || !y) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, HEIGHT);
    const s = valueScale(result.value, result.min, result.max);
    const stops = colourStops(theme);
    const quads = drawSurface(
      context,
      { x: 8, y: 8, width: width - 16, height: HEIGHT - 16 },
      {
        values: result.value,
        n: result.resolution,
        x,
        y,
        valueName: result.loss,
        height: (v) => s.toUnit(v),
        colour: (v) => colourAt(stops, s.toUnit(v)),
        valueAt: (t) => s.fromUnit(t),
        format: (v) => formatNumber(v, 3),
      },
      surfaceView,
      theme,
    );
    surfaceCanvas.dataset.quads = String(quads);
    surfaceCanvas.dataset.view = `${surfaceView.azimuth.toFixed(3)},${surfaceView.elevation.toFixed(3)}`;
    surfaceCanvas.setAttribute(
      'aria-label',
      `3-D surface of ${result.loss} over ${x.name} and ${y.name}, from ${formatNumber(result.min)} to ${formatNumber(result.max)}; arrow keys or dragging rotate it`,
    );
  }

  function draw(result: LandscapeResult): void {
    drawn = result;
    if (showingSurface()) {
      paintSurface(result);
      describe(result);
      return;
    }
    const { x, y } = result;
    const n = result.resolution;
    const context = canvas.getContext('2d');
    const width = Math.max(280, Math.min(640, section.clientWidth || 480));
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(HEIGHT * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${HEIGHT}px`;
    if (!context || !x || !y) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, HEIGHT);
    const plot: Frame = { x: MARGIN.left, y: MARGIN.top, width: width - MARGIN.left - MARGIN.right, height: HEIGHT - MARGIN.top - MARGIN.bottom };
    frame = plot;
    const s = valueScale(result.value, result.min, result.max);
    const stops = colourStops(theme);

    // The heatmap: one pixel per grid point, scaled up with its centres on the grid points.
    const image = new ImageData(n, n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const v = result.value[j * n + i] as number;
        const at = ((n - 1 - j) * n + i) * 4;
        if (!Number.isFinite(v)) continue; // left transparent: the loss is undefined there
        const [r, g, b] = colourAt(stops, s.toUnit(v));
        image.data[at] = r;
        image.data[at + 1] = g;
        image.data[at + 2] = b;
        image.data[at + 3] = 255;
      }
    }
    const pixels = document.createElement('canvas');
    pixels.width = n;
    pixels.height = n;
    pixels.getContext('2d')?.putImageData(image, 0, 0);
    const cellW = plot.width / (n - 1);
    const cellH = plot.height / (n - 1);
    context.save();
    context.beginPath();
    context.rect(plot.x, plot.y, plot.width, plot.height);
    context.clip();
    context.imageSmoothingEnabled = true;
    context.drawImage(pixels, plot.x - cellW / 2, plot.y - cellH / 2, plot.width + cellW, plot.height + cellH);

    // Contours, even in the colour scale's units.
    const toX = (gx: number): number => plot.x + gx * cellW;
    const toY = (gy: number): number => plot.y + plot.height - gy * cellH;
    context.strokeStyle = withAlpha(backgroundColour(), 0.7);
    context.lineWidth = 1;
    context.beginPath();
    for (const t of evenLevels(0, 1, CONTOURS)) {
      const segments = contourSegments(result.value, n, n, s.fromUnit(t));
      for (let k = 0; k < segments.length; k += 4) {
        context.moveTo(toX(segments[k] as number), toY(segments[k + 1] as number));
        context.lineTo(toX(segments[k + 2] as number), toY(segments[k + 3] as number));
      }
    }
    context.stroke();
    if (arrows.checked) drawArrows(context, result, plot, toX, toY);
    const markers = drawSliderMarkers(context, result, plot);
    context.restore();
    figure.dataset.markers = markers;
    legend.textContent = legendText(result, s, markers);

    drawAxes(context, result, plot);
    drawColourBar(context, s, stops, plot);
    describe(result);
  }

  /**
   * −∇ in screen units, so arrows cross the drawn contours at right angles. All arrows have one
   * length: the gradient's size spans decades (1/p near p = 0) and the contours' spacing shows it.
   */
  function drawArrows(context: CanvasRenderingContext2D, result: LandscapeResult, plot: Frame, toX: (g: number) => number, toY: (g: number) => number): void {
    const { x, y } = result;
    if (!x || !y) return;
    const n = result.resolution;
    const spanX = (x.range[1] - x.range[0]) / plot.width;
    const spanY = (y.range[1] - y.range[0]) / plot.height;
    const samples: [number, number, number, number][] = [];
    for (let b = 0; b < ARROWS; b++) {
      for (let a = 0; a < ARROWS; a++) {
        const i = Math.round(((a + 0.5) / ARROWS) * (n - 1));
        const j = Math.round(((b + 0.5) / ARROWS) * (n - 1));
        const gx = -(result.dx[j * n + i] as number) * spanX;
        const gy = (result.dy[j * n + i] as number) * spanY; // screen y grows downwards
        const size = Math.hypot(gx, gy);
        if (!Number.isFinite(size) || size === 0) continue;
        samples.push([i, j, gx, gy]);
      }
    }
    const cell = Math.min(plot.width, plot.height) / ARROWS;
    // In the background's colour, as the contours: it contrasts with the colour scale in any theme.
    const colour = withAlpha(backgroundColour(), 0.9);
    context.strokeStyle = colour;
    context.fillStyle = colour;
    context.lineWidth = 1.4;
    const length = 0.7 * cell;
    for (const [i, j, gx, gy] of samples) {
      const size = Math.hypot(gx, gy);
      const ux = gx / size;
      const uy = gy / size;
      const x0 = toX(i) - (ux * length) / 2;
      const y0 = toY(j) - (uy * length) / 2;
      const x1 = x0 + ux * length;
      const y1 = y0 + uy * length;
      const head = Math.min(4, length / 2);
      context.beginPath();
      context.moveTo(x0, y0);
      context.lineTo(x1, y1);
      context.stroke();
      context.beginPath();
      context.moveTo(x1, y1);
      context.lineTo(x1 - head * (ux - 0.5 * uy), y1 - head * (uy + 0.5 * ux));
      context.lineTo(x1 - head * (ux + 0.5 * uy), y1 - head * (uy - 0.5 * ux));
      context.fill();
    }
  }

  /**
   * A param on an axis is not at its slider value in the picture, so the slider's value is drawn
   * as a dashed line: the curves above are the landscape along it.
   */
  function drawSliderMarkers(context: CanvasRenderingContext2D, result: LandscapeResult, plot: Frame): string {
    const drawnAt: string[] = [];
    context.setLineDash([6, 4]);
    for (const axis of [result.x, result.y]) {
      const isParam = result.options.some((o) => o.name === axis?.name && o.role === 'param');
      const value = axis && result.params[axis.name];
      if (!axis || !isParam || value === undefined) continue;
      const f = (value - axis.range[0]) / (axis.range[1] - axis.range[0]);
      if (!(f >= 0 && f <= 1)) continue;
      context.beginPath();
      if (axis === result.x) {
        context.moveTo(plot.x + f * plot.width, plot.y);
        context.lineTo(plot.x + f * plot.width, plot.y + plot.height);
      } else {
        context.moveTo(plot.x, plot.y + plot.height - f * plot.height);
        context.lineTo(plot.x + plot.width, plot.y + plot.height - f * plot.height);
      }
      // A halo in the background's colour keeps the line legible over every colour of the scale.
      context.strokeStyle = withAlpha(backgroundColour(), 0.8);
      context.lineWidth = 4;
      context.stroke();
      context.strokeStyle = readForeground();
      context.lineWidth = 1.6;
      context.stroke();
      drawnAt.push(`${axis.name}=${value}`);
    }
    context.setLineDash([]);
    return drawnAt.join(',');
  }

  function drawAxes(context: CanvasRenderingContext2D, result: LandscapeResult, plot: Frame): void {
    const { x, y } = result;
    if (!x || !y) return;
    context.strokeStyle = theme.grid;
    context.lineWidth = 1;
    context.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.width - 1, plot.height - 1);
    context.fillStyle = theme.foreground;
    context.font = theme.font;
    context.textAlign = 'center';
    context.textBaseline = 'top';
    const [x0, x1] = x.range;
    for (const v of ticks(x.range)) {
      const px = plot.x + ((v - x0) / (x1 - x0)) * plot.width;
      context.fillRect(px, plot.y + plot.height, 1, 4);
      context.fillText(formatNumber(v, 3), px, plot.y + plot.height + 6);
    }
    context.fillText(x.name, plot.x + plot.width / 2, plot.y + plot.height + 22);
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    const [y0, y1] = y.range;
    for (const v of ticks(y.range)) {
      const py = plot.y + plot.height - ((v - y0) / (y1 - y0)) * plot.height;
      context.fillRect(plot.x - 4, py, 4, 1);
      context.fillText(formatNumber(v, 3), plot.x - 6, py);
    }
    context.save();
    context.translate(12, plot.y + plot.height / 2);
    context.rotate(-Math.PI / 2);
    context.textAlign = 'center';
    context.fillText(y.name, 0, 0);
    context.restore();
  }

  function drawColourBar(context: CanvasRenderingContext2D, s: ValueScale, stops: readonly Rgb[], plot: Frame): void {
    const left = plot.x + plot.width + 10;
    for (let py = 0; py < plot.height; py++) {
      const [r, g, b] = colourAt(stops, 1 - py / (plot.height - 1));
      context.fillStyle = `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
      context.fillRect(left, plot.y + py, BAR_WIDTH, 1);
    }
    context.fillStyle = theme.foreground;
    context.textAlign = 'left';
    context.textBaseline = 'middle';
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      const py = plot.y + plot.height - t * (plot.height - 1);
      context.fillRect(left + BAR_WIDTH, py, 3, 1);
      context.fillText(formatNumber(s.fromUnit(t), 3), left + BAR_WIDTH + 5, py);
    }
  }

  /** The colour scale in words (linear to the median, logarithmic above), and the dashed line's meaning. */
  function legendText(result: LandscapeResult, s: ValueScale, markers: string): string {
    const colour =
      s.max > s.min
        ? `Colour: the value of ${result.loss}, from ${formatNumber(s.min, 3)} to ${formatNumber(s.max, 3)}, nearly linear up to the median and logarithmic above it; the bar's ticks are even steps of that scale and the contours are its even levels.`
        : `Colour: ${result.loss} is ${formatNumber(s.min, 3)} everywhere on the grid.`;
    const lines = markers
      .split(',')
      .filter(Boolean)
      .map((m) => m.replace('=', ' = '));
    return lines.length > 0 ? `${colour} Dashed line: the slider's ${lines.join(' and ')}, where the curves above are drawn.` : colour;
  }

  /** What is drawn, for a test or a screen reader: the grid, its range, and a digest of its values. */
  function describe(result: LandscapeResult): void {
    let sum = 0;
    for (const v of result.value) if (Number.isFinite(v)) sum += v;
    figure.dataset.resolution = String(result.resolution);
    figure.dataset.finite = String(result.finite);
    figure.dataset.digest = sum.toPrecision(10);
    figure.dataset.params = JSON.stringify(result.params);
    canvas.setAttribute(
      'aria-label',
      `${result.loss} over ${result.x?.name ?? ''} and ${result.y?.name ?? ''}: from ${formatNumber(result.min)} to ${formatNumber(result.max)}`,
    );
    readout.textContent = summary(result);
  }

  const summary = (r: LandscapeResult): string =>
    `${r.resolution} × ${r.resolution} on ${r.engine ?? r.backend} in ${formatNumber(r.elapsedMs, 2)} ms; from ${formatNumber(r.min)} to ${formatNumber(r.max)}` +
    (r.finite < r.value.length ? `; undefined at ${r.value.length - r.finite} points (blank)` : '');

  canvas.addEventListener('mousemove', (event) => {
    const r = drawn;
    if (!r || !r.x || !r.y || !frame) return;
    const box = canvas.getBoundingClientRect();
    const gx = ((event.clientX - box.left - frame.x) / frame.width) * (r.resolution - 1);
    const gy = ((frame.y + frame.height - (event.clientY - box.top)) / frame.height) * (r.resolution - 1);
    const i = Math.round(gx);
    const j = Math.round(gy);
    if (i < 0 || j < 0 || i >= r.resolution || j >= r.resolution) {
      readout.textContent = summary(r);
      return;
    }
    const k = j * r.resolution + i;
    readout.textContent =
      `${r.x.name} = ${formatNumber(r.x.values[i])}, ${r.y.name} = ${formatNumber(r.y.values[j])}: ${r.loss} = ${formatNumber(r.value[k])}, ` +
      `∂/∂${r.x.name} = ${formatNumber(r.dx[k])}, ∂/∂${r.y.name} = ${formatNumber(r.dy[k])}`;
  });
  canvas.addEventListener('mouseleave', () => {
    if (drawn) readout.textContent = summary(drawn);
  });

  onThemeChange(() => {
    theme = readChartTheme();
    if (drawn) draw(drawn);
  });
  let pendingResize = false;
  new ResizeObserver(() => {
    if (pendingResize) return;
    pendingResize = true;
    requestAnimationFrame(() => {
      pendingResize = false;
      if (drawn) draw(drawn);
    });
  }).observe(section);

  return {
    render(state) {
      const result = state.landscape;
      section.hidden = state.loss === undefined || result === undefined;
      if (!result) return;
      pickers(result);
      const unavailable = result.unavailable !== undefined;
      controls.hidden = unavailable;
      figure.hidden = unavailable;
      readout.hidden = unavailable;
      note.textContent = unavailable ? (result.unavailable ?? '') : result.held ? `Held: ${result.held}.` : '';
      note.hidden = note.textContent === '';
      figure.classList.toggle('stale', state.status === 'failed' || state.status === 'stale');
      if (!unavailable && result !== received) {
        received = result;
        draw(withTypedGrids(result));
      }
    },
  };
}
