/**
 * The loss restricted to lines of its domain, f(t) = l(base + t * direction), in float64: its
 * value, f'(t) and f''(t) (directional derivatives, by LossLab's autodiff in t), the switches of
 * its non-smooth ops (kinks.ts), the squared norm of its gradient in the variables and that
 * norm's rate of change along the line. Base, direction and t are leaves, so one program
 * per loss serves every line, and a batch of rows holds points of many lines.
 */
import { gradient } from '../ir/autodiff';
import type { NodeId } from '../ir/graph';
import { substitute } from '../ir/substitute';
import type { LoweredLoss } from '../lang/lower';
import { variablesOf, type Line } from './domain';
import { evaluate64 } from './float64';
import { kinkSwitches } from './kinks';
import { minimizeMany } from './minimize';
import { SCALAR } from '../ir/shape';

export interface SectionNodes {
  readonly value: NodeId;
  readonly first: NodeId;
  readonly second: NodeId;
  readonly switches: readonly NodeId[];
  /** ||grad_x l||^2 over the variables, at base + t * direction. */
  readonly gradientNormSquared: NodeId;
  /** d/dt of `gradientNormSquared`. */
  readonly gradientNormSquaredSlope: NodeId;
}

/** Not valid identifiers, so they never collide with a user's names. */
const T = '@t';
const baseLeaf = (name: string) => `@base:${name}`;
const directionLeaf = (name: string) => `@direction:${name}`;

const built = new WeakMap<LoweredLoss, SectionNodes>();

export function sectionNodes(loss: LoweredLoss): SectionNodes {
  const cached = built.get(loss);
  if (cached) return cached;
  const g = loss.graph;
  const vars = variablesOf(loss);
  const t = g.leaf(T, 'input', SCALAR);
  const along = new Map<NodeId, NodeId>(
    vars.map((v) => {
      const shape = g.shape(v.leaf);
      return [v.leaf, g.apply('add', g.leaf(baseLeaf(v.name), 'input', shape), g.apply('mul', t, g.leaf(directionLeaf(v.name), 'input', shape)))];
    }),
  );
  const value = substitute(g, loss.value, along);
  const [first] = gradient(g, value, [t]) as [NodeId];
  const [second] = gradient(g, first, [t]) as [NodeId];
  const grads = gradient(
    g,
    loss.value,
    vars.map((v) => v.leaf),
  );
  const squares = grads.map((d) => {
    const sq = g.apply('mul', d, d);
    return g.shape(sq).length !== 0 ? g.apply('sum', sq) : sq;
  });
  const normSquared = substitute(
    g,
    squares.reduce((a, b) => g.apply('add', a, b), g.constant(0)),
    along,
  );
  const nodes: SectionNodes = {
    value,
    first,
    second,
    switches: kinkSwitches(g, value),
    gradientNormSquared: normSquared,
    gradientNormSquaredSlope: gradient(g, normSquared, [t])[0] as NodeId,
  };
  built.set(loss, nodes);
  return nodes;
}

/** Points (line, t) as a batch of rows. */
export interface SectionPoint {
  readonly line: Line;
  readonly t: number;
}

/**
 * Evaluates `outputs` (nodes of `sectionNodes`) at each point, in float64. Each result has one
 * value per point, or `width` per point for a vector output (a vector switch).
 */
export function evaluateSections(
  loss: LoweredLoss,
  params: Readonly<Record<string, number>>,
  points: readonly SectionPoint[],
  outputs: readonly NodeId[],
): Float64Array[] {
  if (points.length === 0) return outputs.map(() => new Float64Array(0));
  const rows = points.length;
  const inputs: Record<string, Float64Array> = { [T]: Float64Array.from(points, (p) => p.t) };
  for (const v of variablesOf(loss)) {
    const base = new Float64Array(rows * v.width);
    const direction = new Float64Array(rows * v.width);
    points.forEach((p, r) => {
      base.set(p.line.base[v.name] as readonly number[], r * v.width);
      direction.set(p.line.direction[v.name] as readonly number[], r * v.width);
    });
    inputs[baseLeaf(v.name)] = base;
    inputs[directionLeaf(v.name)] = direction;
  }
  for (const name of Object.keys((points[0] as SectionPoint).line.held)) {
    // A label per row, or a batch's labels and data: one row of entries per point.
    const first = (points[0] as SectionPoint).line.held[name] as number | readonly number[];
    const width = typeof first === 'number' ? 1 : first.length;
    const column = new Float64Array(rows * width);
    points.forEach((p, r) => {
      const v = p.line.held[name] as number | readonly number[];
      if (typeof v === 'number') column[r] = v;
      else column.set(v, r * width);
    });
    inputs[name] = column;
  }
  return evaluate64(loss, outputs, params, rows, inputs);
}

/** Every grid point of every line, in order, with each line's first row. */
export function gridPoints(lines: readonly Line[]): { points: SectionPoint[]; offsets: number[] } {
  const points: SectionPoint[] = [];
  const offsets: number[] = [];
  for (const line of lines) {
    offsets.push(points.length);
    for (const t of line.ts) points.push({ line, t });
  }
  return { points, offsets };
}

/** The loss on every grid point of `lines`: value, f', the switches, and any `extra` outputs. */
export interface LineValues {
  readonly lines: readonly Line[];
  readonly points: readonly SectionPoint[];
  /** The first row of each line. */
  readonly offsets: readonly number[];
  readonly value: Float64Array;
  readonly first: Float64Array;
  readonly switches: readonly Float64Array[];
  /** The `extra` outputs asked for, computed in the same program. */
  readonly extra: readonly Float64Array[];
}

export function valuesOnLines(loss: LoweredLoss, params: Readonly<Record<string, number>>, lines: readonly Line[], extra: readonly NodeId[] = []): LineValues {
  const nodes = sectionNodes(loss);
  const { points, offsets } = gridPoints(lines);
  const outputs = evaluateSections(loss, params, points, [nodes.value, nodes.first, ...extra, ...nodes.switches]);
  const [value, first] = outputs as [Float64Array, Float64Array];
  return { lines, points, offsets, value, first, extra: outputs.slice(2, 2 + extra.length), switches: outputs.slice(2 + extra.length) };
}

/**
 * The largest (sign 1) or smallest (sign -1) value of `output` on [lo, hi] of a line, by a grid
 * and golden section (minimize.ts): a maximum between grid points is found, not undercut.
 */
export function extremumAlong(
  loss: LoweredLoss,
  params: Readonly<Record<string, number>>,
  line: Line,
  [lo, hi]: readonly [number, number],
  output: NodeId,
  sign: 1 | -1,
): { t: number; value: number } {
  const { value } = sectionNodes(loss);
  const f = (ts: Float64Array): Float64Array => {
    const [v, y] = evaluateSections(
      loss,
      params,
      Array.from(ts, (t) => ({ line, t })),
      [value, output],
    ) as [Float64Array, Float64Array];
    return y.map((x, i) => (Number.isFinite(v[i]) && !Number.isNaN(x) ? -sign * x : Infinity));
  };
  const [m] = minimizeMany(f, 1, lo, hi, 21, 50) as [{ x: number; value: number }];
  return { t: m.x, value: -sign * m.value };
}
