/**
 * The supremum of a quantity over the domain (the gradient norm, the loss, minus the loss) from
 * its samples on rays and points, and where it is reached: attained at a point, or approached
 * toward the edge of a ray. Rays come first, nearest the centre first, so that a loss flat past
 * a point (the hinge for z < 1) is attained at the point where the flat part begins.
 */
import type { NodeId } from '../ir/graph';
import type { LoweredLoss } from '../lang/lower';
import { pointOn, type Line, type Ray } from './domain';
import { tailOf, type Tail } from './growth';
import { simplestWithin } from './onesided';
import { evaluateSections, extremumAlong, sectionNodes } from './sections';

export interface Samples {
  /** The rays first, then single points. */
  readonly lines: readonly Line[];
  readonly rayCount: number;
  readonly offsets: readonly number[];
  /** The quantity at every sample (NaN where the loss is not finite), and its derivative in t. */
  readonly q: Float64Array;
  readonly dq: Float64Array;
  /** The quantity's tail on each ray. */
  readonly tails: readonly Tail[];
}

export interface Supremum {
  readonly value: number;
  readonly line: Line;
  readonly t: number;
  /** The ray toward whose edge the supremum is approached, when it is not attained. */
  readonly approached?: Ray;
  /** Set when the quantity grows without bound as it nears the point (a pole: 1/z at 0). */
  readonly blowsUp?: { readonly rate: string; readonly near: Readonly<Record<string, number | number[]>> };
}

/** Samples within this of the supremum reach it (relative to 1 + |sup|). */
const REACHED = 1e-9;

/**
 * The supremum of q = quantity(output); `sign` says whether q grows (1) or shrinks (-1) with
 * the output, so that a maximum between grid points is refined on the output itself.
 */
export function supremumOf(
  loss: LoweredLoss,
  params: Readonly<Record<string, number>>,
  s: Samples,
  output: NodeId,
  quantity: (x: number) => number,
  sign: 1 | -1,
): Supremum | undefined {
  let best = -Infinity;
  let argmax = -1;
  s.q.forEach((x, r) => {
    if (x > best) [best, argmax] = [x, r];
  });
  if (!Number.isFinite(best)) return undefined;
  const slack = (v: number) => REACHED * (1 + Math.abs(v));
  // A limit above every sample (1 - tanh(z) rounds to 2, -log(p) does not reach 0) is approached, never attained.
  let beyond: { ray: Ray; value: number } | undefined;
  s.tails.forEach((tail, l) => {
    if (tail.kind === 'limit' && tail.value > best && (!beyond || tail.value > beyond.value)) beyond = { ray: s.lines[l] as Ray, value: tail.value };
  });
  if (beyond) return { value: beyond.value, line: beyond.ray, t: beyond.ray.ts[beyond.ray.ts.length - 1] as number, approached: beyond.ray };
  // A maximum inside a ray may lie between its grid points.
  const { l, i } = locate(s.offsets, argmax);
  const line = s.lines[l] as Line;
  if (l < s.rayCount && i > 0 && i + 1 < line.ts.length) {
    const [a, b] = [line.ts[i - 1] as number, line.ts[i + 1] as number];
    const m = extremumAlong(loss, params, line, [Math.min(a, b), Math.max(a, b)], output, sign);
    const refined = quantity(m.value);
    if (refined > best + slack(best)) return withPole(loss, params, { value: refined, line, t: m.t }, output, quantity);
  }
  const at = reached(s, best);
  return at.approached ? { value: best, ...at } : withPole(loss, params, { value: best, ...at }, output, quantity);
}

/**
 * Whether the quantity grows without bound toward a point inside the domain: a pole that the
 * samples straddle and the refinement ran into. Read on both sides at distances 1e-1 .. 1e-8.
 */
function withPole(loss: LoweredLoss, params: Readonly<Record<string, number>>, sup: Supremum, output: NodeId, quantity: (x: number) => number): Supremum {
  const { line, t } = sup;
  if (line.ts.length < 2) return sup;
  const scale = Math.max(1, Math.abs(t));
  // Down to 1e-8: the refined point may sit 1e-13 from the pole, which would bend a closer reading.
  const distances = Array.from({ length: 29 }, (_, k) => 10 ** (-1 - k / 4) * scale);
  const [lo, hi] = line.bounds;
  for (const side of [1, -1]) {
    const ts = distances.map((d) => t + side * d).filter((x) => x > lo && x < hi);
    if (ts.length < 4) continue;
    const [v, y] = evaluateSections(
      loss,
      params,
      ts.map((x) => ({ line, t: x })),
      [sectionNodes(loss).value, output],
    ) as [Float64Array, Float64Array];
    const q = ts.map((_, i) => (Number.isNaN(v[i]) ? NaN : quantity(y[i] as number)));
    const tail = tailOf(
      ts.map((x) => 1 / Math.abs(x - t)),
      q,
      '1/distance',
    );
    if (tail.kind === 'diverges' && tail.sign > 0)
      return { ...sup, blowsUp: { rate: tail.rate, near: pointOn(line, simplestWithin(t - 1e-12 * scale, t + 1e-12 * scale)) } };
  }
  return sup;
}

function locate(offsets: readonly number[], row: number): { l: number; i: number } {
  let l = 0;
  while (l + 1 < offsets.length && (offsets[l + 1] as number) <= row) l++;
  return { l, i: row - (offsets[l] as number) };
}

/**
 * The first sample that reaches the supremum, and whether it is only approached there: the
 * sample is below it (the supremum is reached only farther out, where float64 rounds), or the
 * quantity still rises outward at that sample and the next.
 */
function reached(s: Samples, sup: number): { line: Line; t: number; approached?: Ray } {
  const first = (from: number, to: number) => {
    let found: { l: number; i: number; edge: number } | undefined;
    for (let l = from; l < to; l++) {
      const line = s.lines[l] as Line;
      line.ts.forEach((_, i) => {
        if (!((s.q[(s.offsets[l] as number) + i] as number) >= sup - REACHED * (1 + Math.abs(sup)))) return;
        const edge = l < s.rayCount ? ((line as Ray).edge[i] as number) : 0;
        if (!found || edge < found.edge) found = { l, i, edge };
      });
    }
    return found;
  };
  const { l, i } = (first(0, s.rayCount) ?? first(s.rayCount, s.lines.length)) as { l: number; i: number };
  const line = s.lines[l] as Line;
  const t = line.ts[i] as number;
  if (l >= s.rayCount || i + 1 >= line.ts.length) return { line, t };
  const ray = line as Ray;
  const row = s.offsets[l] as number;
  const rising = (k: number) => ray.outward * (s.dq[row + k] as number) > 0;
  return (s.q[row + i] as number) < sup || (rising(i) && rising(i + 1)) ? { line, t, approached: ray } : { line, t };
}
