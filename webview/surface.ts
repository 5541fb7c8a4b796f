/**
 * The landscape as a 3-D surface on a 2-D canvas: the grid (at most 64 × 64 quads) in a unit box,
 * turned by an azimuth about the value axis and tilted by an elevation, projected orthographically
 * and painted back to front (the painter's algorithm: a nearer quad covers a farther one). Each
 * quad takes the heatmap's colour of its mean value, darkened by how squarely it faces a light
 * above the viewer; quads with an undefined corner are left out, as the heatmap leaves them blank.
 * The pure parts (projection, depth order, downsampling, quads) come first: the tests read them.
 */
import type { Rgb } from './landscapeHeatmap';
import type { ChartTheme } from './theme';

export interface SurfaceView {
  /** Turn about the value axis, radians. */
  readonly azimuth: number;
  /** Tilt above the floor, radians: 0 looks along the floor, π/2 straight down. */
  readonly elevation: number;
}

export const DEFAULT_SURFACE_VIEW: SurfaceView = { azimuth: -Math.PI / 6, elevation: Math.PI / 5 };
export const MAX_SURFACE_QUADS = 64;
const MIN_ELEVATION = 0.05;
const MAX_ELEVATION = Math.PI / 2;

/** A point of the box [-1, 1]³ (x, y the floor, z the value) on the screen: x right, y up, depth away from the viewer. */
export interface Projected {
  readonly x: number;
  readonly y: number;
  readonly depth: number;
}

export function project(x: number, y: number, z: number, view: SurfaceView): Projected {
  const ca = Math.cos(view.azimuth);
  const sa = Math.sin(view.azimuth);
  const ce = Math.cos(view.elevation);
  const se = Math.sin(view.elevation);
  // Turn the floor by the azimuth; y1 then points away from the viewer before the tilt.
  const x1 = x * ca - y * sa;
  const y1 = x * sa + y * ca;
  return { x: x1, y: z * ce + y1 * se, depth: y1 * ce - z * se };
}

/** The view turned by a drag or a key: any azimuth, the elevation kept between the floor and straight down. */
export function rotated(view: SurfaceView, dAzimuth: number, dElevation: number): SurfaceView {
  const elevation = Math.min(MAX_ELEVATION, Math.max(MIN_ELEVATION, view.elevation + dElevation));
  const turn = 2 * Math.PI;
  return { azimuth: ((((view.azimuth + dAzimuth + Math.PI) % turn) + turn) % turn) - Math.PI, elevation };
}

/**
 * Grid indices kept along one side of n points so that at most `maxQuads` quads remain: evenly
 * spread, the first and the last always kept.
 */
export function sampleIndices(n: number, maxQuads = MAX_SURFACE_QUADS): number[] {
  const m = Math.min(n, maxQuads + 1);
  if (m <= 1) return n > 0 ? [0] : [];
  return Array.from({ length: m }, (_, k) => Math.round((k * (n - 1)) / (m - 1)));
}

/** The row-major n × n grid at the kept indices: m × m values, row j at the j-th kept y. */
export function downsample(values: ArrayLike<number>, n: number, maxQuads = MAX_SURFACE_QUADS): { readonly values: Float64Array; readonly size: number } {
  const keep = sampleIndices(n, maxQuads);
  const m = keep.length;
  const out = new Float64Array(m * m);
  for (const [j, gj] of keep.entries()) for (const [i, gi] of keep.entries()) out[j * m + i] = values[gj * n + gi] ?? NaN;
  return { values: out, size: m };
}

export interface Quad {
  /** The four corners on the screen, in order around the quad. */
  readonly corners: readonly [Projected, Projected, Projected, Projected];
  /** The mean of its four values: what colours it. */
  readonly value: number;
  /** The mean depth of its corners: larger is farther. */
  readonly depth: number;
  /** How squarely it faces the light, 0 (edge on) to 1. */
  readonly light: number;
}

/** Indices of the quads from the farthest to the nearest: the order a painter lays them down. */
export function depthOrder(quads: readonly { readonly depth: number }[]): number[] {
  return quads.map((_, k) => k).sort((a, b) => (quads[b]?.depth ?? 0) - (quads[a]?.depth ?? 0));
}

/**
 * The quads of an m × m grid of values, `height` mapping a value to [0, 1] up the box; a quad
 * with a value that is not finite is left out. The light comes from above the viewer's shoulder.
 */
export function surfaceQuads(values: ArrayLike<number>, m: number, height: (v: number) => number, view: SurfaceView): Quad[] {
  const coord = (i: number): number => -1 + (2 * i) / (m - 1);
  const light = normalised([0.3, -0.5, 1]);
  const quads: Quad[] = [];
  for (let j = 0; j + 1 < m; j++) {
    for (let i = 0; i + 1 < m; i++) {
      const ids: [number, number][] = [
        [i, j],
        [i + 1, j],
        [i + 1, j + 1],
        [i, j + 1],
      ];
      const vs = ids.map(([a, b]) => values[b * m + a] ?? NaN);
      if (!vs.every(Number.isFinite)) continue;
      const points = ids.map(([a, b], k) => [coord(a), coord(b), -1 + 2 * height(vs[k] as number)] as const);
      const corners = points.map(([x, y, z]) => project(x, y, z, view)) as [Projected, Projected, Projected, Projected];
      // The normal from the diagonals, in the box (before the turn): the light is fixed to the box.
      const [p0, p1, p2, p3] = points as [
        readonly [number, number, number],
        readonly [number, number, number],
        readonly [number, number, number],
        readonly [number, number, number],
      ];
      const d1 = [p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]] as const;
      const d2 = [p3[0] - p1[0], p3[1] - p1[1], p3[2] - p1[2]] as const;
      const normal = normalised([d1[1] * d2[2] - d1[2] * d2[1], d1[2] * d2[0] - d1[0] * d2[2], d1[0] * d2[1] - d1[1] * d2[0]]);
      quads.push({
        corners,
        value: (vs[0]! + vs[1]! + vs[2]! + vs[3]!) / 4,
        depth: (corners[0].depth + corners[1].depth + corners[2].depth + corners[3].depth) / 4,
        light: Math.abs(normal[0] * light[0] + normal[1] * light[1] + normal[2] * light[2]),
      });
    }
  }
  return quads;
}

function normalised(v: readonly [number, number, number]): [number, number, number] {
  const size = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / size, v[1] / size, v[2] / size];
}

// ---- drawing -----------------------------------------------------------------------------

export interface SurfaceInput {
  /** Row-major n × n values, row j at y[j]. */
  readonly values: ArrayLike<number>;
  readonly n: number;
  readonly x: { readonly name: string; readonly range: readonly [number, number] };
  readonly y: { readonly name: string; readonly range: readonly [number, number] };
  readonly valueName: string;
  /** A value's place up the box, 0 to 1: the heatmap's colour scale, so heights and colours agree. */
  readonly height: (v: number) => number;
  /** The heatmap's colour of a value. */
  readonly colour: (v: number) => Rgb;
  /** The value at a place up the box, for the value axis's labels. */
  readonly valueAt: (t: number) => number;
  readonly format: (v: number) => string;
}

/** Draws the surface into the frame; returns the number of quads drawn. */
export function drawSurface(
  context: CanvasRenderingContext2D,
  frame: { readonly x: number; readonly y: number; readonly width: number; readonly height: number },
  input: SurfaceInput,
  view: SurfaceView,
  theme: ChartTheme,
): number {
  const { values, size } = downsample(input.values, input.n);
  if (size < 2) return 0;
  // The box's corners reach at most √3 from its centre whatever the turn: the scale never clips.
  const scale = Math.min(frame.width, frame.height) / (2 * Math.sqrt(3));
  const cx = frame.x + frame.width / 2;
  const cy = frame.y + frame.height / 2;
  const toScreen = (p: Projected): [number, number] => [cx + p.x * scale, cy - p.y * scale];
  const at = (x: number, y: number, z: number): [number, number] => toScreen(project(x, y, z, view));

  const line = (a: [number, number], b: [number, number]): void => {
    context.moveTo(a[0], a[1]);
    context.lineTo(b[0], b[1]);
  };
  // The floor's outline and the value axis at the farthest floor corner, behind the surface.
  const floor: [number, number][] = [
    [-1, -1],
    [1, -1],
    [1, 1],
    [-1, 1],
  ];
  const far = floor.reduce((best, c) => (project(c[0], c[1], -1, view).depth > project(best[0], best[1], -1, view).depth ? c : best));
  context.strokeStyle = theme.grid;
  context.lineWidth = 1;
  context.beginPath();
  for (let k = 0; k < 4; k++) line(at(floor[k]![0], floor[k]![1], -1), at(floor[(k + 1) % 4]![0], floor[(k + 1) % 4]![1], -1));
  line(at(far[0], far[1], -1), at(far[0], far[1], 1));
  context.stroke();

  const quads = surfaceQuads(values, size, input.height, view);
  for (const k of depthOrder(quads)) {
    const q = quads[k] as Quad;
    const [r, g, b] = input.colour(q.value);
    const shade = 0.55 + 0.45 * q.light;
    const fill = `rgb(${Math.round(r * shade)}, ${Math.round(g * shade)}, ${Math.round(b * shade)})`;
    context.beginPath();
    const [first, ...rest] = q.corners.map(toScreen);
    context.moveTo(first![0], first![1]);
    for (const p of rest) context.lineTo(p[0], p[1]);
    context.closePath();
    context.fillStyle = fill;
    // Stroked in its own colour, so that antialiasing leaves no seams between neighbours.
    context.strokeStyle = fill;
    context.fill();
    context.stroke();
  }

  // Labels last, so the surface never hides them.
  context.fillStyle = theme.foreground;
  context.font = theme.font;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  const label = (text: string, x: number, y: number, z: number): void => {
    const [sx, sy] = at(x, y, z);
    context.fillText(text, sx, sy);
  };
  // Each floor axis is labelled along its nearer edge, a little outside the box.
  const nearY = project(0, -1, -1, view).depth < project(0, 1, -1, view).depth ? -1 : 1;
  const nearX = project(-1, 0, -1, view).depth < project(1, 0, -1, view).depth ? -1 : 1;
  const [x0, x1] = input.x.range;
  const [y0, y1] = input.y.range;
  label(`${input.x.name} →`, 0, nearY * 1.3, -1);
  label(input.format(x0), -1, nearY * 1.15, -1);
  label(input.format(x1), 1, nearY * 1.15, -1);
  label(`${input.y.name} →`, nearX * 1.3, 0, -1);
  label(input.format(y0), nearX * 1.15, -1, -1);
  label(input.format(y1), nearX * 1.15, 1, -1);
  context.textAlign = 'right';
  for (const t of [0, 0.5, 1]) {
    const [sx, sy] = at(far[0], far[1], -1 + 2 * t);
    context.fillText(input.format(input.valueAt(t)), sx - 4, sy);
  }
  const [tx, ty] = at(far[0], far[1], 1);
  context.textAlign = 'center';
  context.fillText(input.valueName, tx, ty - 12);
  return quads.length;
}
